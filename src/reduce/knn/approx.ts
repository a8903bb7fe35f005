/**
 * The approximate k-NN pipeline behind knnApprox (./knn). Pure and worker-safe.
 *
 *   1. search space (./space): unit rows for cosine; above 128 columns a projection on a
 *      64-dimensional near-principal subspace — unless that keeps under 80% of the variance:
 *      then the full rows up to 256 columns, else 128 directions;
 *   2. rows reordered by one RP tree's leaves, so that neighbours sit together in memory;
 *   3. RP-tree leaves + NN-descent (./descent, ./rp-trees) for Kd = min(K, 60) neighbours
 *      per row, K = ceil(1.2 k) + 9; for K > Kd, widened to K from neighbours' neighbours;
 *   4. the K candidates, plus exact copies of the row (found by hashing), re-ranked by their
 *      exact distances in the original space (./metric): the k nearest are kept.
 * The slack K - k covers what the projection misorders. All randomness comes from one seeded
 * generator, so the output depends only on the input and the seed.
 */
import type { Tensor } from '../../data/types';
import type { Metric } from './types';
import { expandNeighbours, nnDescent } from './descent';
import { rerank, rowDistances, rowsOf, type ExtraCandidates } from './metric';
import { searchSpace, type SpaceOptions } from './space';
import { treeOrder } from './rp-trees';
import { createRandom } from '../random';

/** The search space's settings (see knn-space.ts), then the search's own. */
export interface ApproxTuning extends Omit<SpaceOptions, 'rng'> {
  /** Candidates per row searched: K = min(n - 1, ceil(k * candidateFactor) + candidateExtra). */
  candidateFactor: number;
  candidateExtra: number;
  /** NN-descent sample size per row: min(K, maxCandidates). */
  maxCandidates: number;
  /** NN-descent keeps at most this many per row; a larger K is reached from neighbours' neighbours. */
  descentMaxK: number;
  /** Neighbours of each neighbour looked at when widening to K. */
  expandFanout: number;
  /** Trees: clamp(treesBase + round(n^0.25), minTrees, maxTrees). */
  treesBase: number;
  minTrees: number;
  maxTrees: number;
  /** Leaf size: clamp(K, minLeaf, maxLeaf). */
  minLeaf: number;
  maxLeaf: number;
  /**
   * Iterations: min(cap, max(minIterations, round(log2 n))), cap = iterationCap, or
   * expandIterationCap when the graph is widened afterwards (which explores further itself).
   */
  minIterations: number;
  iterationCap: number;
  expandIterationCap: number;
  delta: number;
}

export const DEFAULT_TUNING: ApproxTuning = {
  projectAbove: 128,
  dims: 64,
  minVariance: 0.8,
  fullUpTo: 256,
  wideDims: 128,
  powerIterations: 1,
  sampleRows: 3000,
  candidateFactor: 1.2,
  candidateExtra: 9,
  maxCandidates: 12,
  descentMaxK: 60,
  expandFanout: 30,
  treesBase: -6,
  minTrees: 3,
  maxTrees: 12,
  minLeaf: 10,
  maxLeaf: 60,
  minIterations: 5,
  iterationCap: 6,
  expandIterationCap: 5,
  delta: 0.01,
};

export interface ApproxResult {
  indices: Int32Array;
  distances: Float32Array;
  /** For the bench: the candidates per row searched, and the NN-descent iterations run. */
  K: number;
  iterations: number;
  /** Search-space dimensions, and the share of the variance they keep. */
  dims: number;
  variance: number;
  /** Wall time of each phase, ms: search space, trees (+ random fill), descent, re-rank. */
  phasesMs: { space: number; trees: number; descent: number; rerank: number };
}

/** What the re-rank needs: each row's candidates, found in the search space. */
export interface Candidates {
  /** n x K candidate rows per row (in the caller's numbering). */
  cand: Int32Array;
  K: number;
  k: number;
  /** The order rows are best visited in (neighbours close together). */
  order: Int32Array;
  /** Exact copies of a row, which the search may have missed. */
  extra: ExtraCandidates | null;
  iterations: number;
  dims: number;
  variance: number;
  phasesMs: Omit<ApproxResult['phasesMs'], 'rerank'>;
}

export function approxSearch(
  t: Tensor, k: number, metric: Metric, seed: number, report: (fraction: number) => void,
  tuning: Partial<ApproxTuning> = {},
): ApproxResult {
  const c = approxCandidates(t, k, metric, seed, report, tuning);
  const t2 = performance.now();
  const dist = rowDistances(rowsOf(t), metric);
  const { n } = t;
  const step = Math.max(1, Math.floor(n / 10));
  const { indices, distances } = rerank(n, c.cand, c.K, k, dist, (done) => {
    if (done % step === 0) report(0.9 + (0.1 * done) / n);
  }, undefined, c.extra ?? undefined, c.order);
  const t3 = performance.now();
  report(1);
  return { indices, distances, K: c.K, iterations: c.iterations, dims: c.dims, variance: c.variance, phasesMs: { ...c.phasesMs, rerank: t3 - t2 } };
}

/**
 * The search up to the re-rank: about 1.2 k + 9 candidates per row (reports up to 0.9). The
 * re-rank of each row is independent of the others, so a pool of threads can share it
 * (./rerank-part).
 */
export function approxCandidates(
  t: Tensor, k: number, metric: Metric, seed: number, report: (fraction: number) => void,
  tuning: Partial<ApproxTuning> = {},
): Candidates {
  const p = { ...DEFAULT_TUNING, ...tuning };
  const { n, d } = t;
  const rng = createRandom(seed);
  const K = Math.min(n - 1, Math.ceil(k * p.candidateFactor) + p.candidateExtra);
  const t0 = performance.now();
  const rows = rowsOf(t);
  const space = searchSpace(rows, metric, { ...p, rng });
  const spaceShare = space.m < d ? 0.25 : 0.02;
  report(spaceShare);

  const descentShare = 0.9 - spaceShare;
  const t1 = performance.now();
  const Kd = Math.min(K, p.descentMaxK);
  const expand = Kd < K;
  const descentEnd = expand ? 0.8 : 1;
  // Store the rows in a tree's leaf order: neighbours then sit close together in memory.
  const order = treeOrder(space.X, n, space.m, 64, rng);
  const X = permuteRows(space.X, n, space.m, order);
  const { indices: graph, iterations, treesMs } = nnDescent(X, n, space.m, {
    K: Kd,
    maxCandidates: Math.min(Kd, p.maxCandidates),
    maxIterations: Math.min(expand ? p.expandIterationCap : p.iterationCap, Math.max(p.minIterations, Math.round(Math.log2(n)))),
    delta: p.delta,
    nTrees: Math.min(p.maxTrees, Math.max(p.minTrees, p.treesBase + Math.round(n ** 0.25))),
    leafSize: Math.min(p.maxLeaf, Math.max(p.minLeaf, Kd)),
    rng,
    report: (f) => report(spaceShare + descentShare * descentEnd * f),
  });
  const candPermuted = expand
    ? expandNeighbours(X, n, space.m, graph, Kd, K, p.expandFanout, rng, (f) => report(spaceShare + descentShare * (0.8 + 0.2 * f)))
    : graph;
  const cand = unpermuteGraph(candPermuted, n, K, order);
  const t2 = performance.now();
  return {
    cand, K, k, order, extra: duplicateCandidates(t, k), iterations, dims: space.m, variance: space.variance,
    phasesMs: { space: t1 - t0, trees: treesMs, descent: t2 - t1 - treesMs },
  };
}

/** out row r = X row order[r]. */
function permuteRows(X: Float64Array, n: number, m: number, order: Int32Array): Float64Array {
  const out = new Float64Array(n * m);
  for (let r = 0; r < n; r++) out.set(X.subarray(order[r] * m, (order[r] + 1) * m), r * m);
  return out;
}

/** A graph over permuted rows (row r = original row order[r]) back in original rows and ids. */
function unpermuteGraph(g: Int32Array, n: number, K: number, order: Int32Array): Int32Array {
  const out = new Int32Array(n * K);
  for (let r = 0; r < n; r++) {
    const o = order[r] * K;
    for (let c = 0; c < K; c++) {
      const j = g[r * K + c];
      out[o + c] = j < 0 ? -1 : order[j];
    }
  }
  return out;
}

/**
 * Rows with identical values, as extra candidates: each member of a group of copies gets up to k
 * of the others (the next ones, cyclically). A copy is at distance 0, but the search would only
 * find it by chance when many rows are near; this makes duplicates certain. Null when there are
 * none. Rows are grouped by a hash of their bits, then compared value by value.
 */
function duplicateCandidates(t: Tensor, k: number): ExtraCandidates | null {
  const { n, d, data } = t;
  const bits = new Uint32Array(data.buffer, data.byteOffset, n * d);
  const hash = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let j = i * d; j < (i + 1) * d; j++) {
      // -0 and +0 are the same value.
      h = Math.imul(h ^ (data[j] === 0 ? 0 : bits[j]), 0x01000193);
    }
    hash[i] = h >>> 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => hash[a] - hash[b] || a - b);
  const sameRow = (a: number, b: number) => {
    for (let j = 0; j < d; j++) if (data[a * d + j] !== data[b * d + j]) return false;
    return true;
  };
  const groups: number[][] = [];
  for (let s = 0; s < n; ) {
    let e = s + 1;
    while (e < n && hash[order[e]] === hash[order[s]]) e++;
    if (e - s > 1) {
      // Usually one group per run of equal hashes; collisions split it.
      const run: number[][] = [];
      for (let r = s; r < e; r++) {
        const i = order[r];
        const g = run.find((members) => sameRow(members[0], i));
        if (g) g.push(i);
        else run.push([i]);
      }
      for (const g of run) if (g.length > 1) groups.push(g);
    }
    s = e;
  }
  if (groups.length === 0) return null;
  const count = new Int32Array(n);
  for (const g of groups) for (const i of g) count[i] = Math.min(k, g.length - 1);
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + count[i];
  const idx = new Int32Array(ptr[n]);
  for (const g of groups) {
    for (let a = 0; a < g.length; a++) {
      const i = g[a];
      for (let c = 0; c < count[i]; c++) idx[ptr[i] + c] = g[(a + 1 + c) % g.length];
    }
  }
  return { ptr, idx };
}
