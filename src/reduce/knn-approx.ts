/**
 * The approximate k-NN pipeline behind knnApprox (./knn): search space (./knn-space), RP-tree
 * leaves + NN-descent there (./knn-descent) for K >= k candidates per row, then the candidates
 * re-ranked by their exact distances in the original space (./knn-metric). Pure, worker-safe.
 */
import type { Tensor } from '../data/types';
import type { Metric } from './knn';
import { nnDescent } from './knn-descent';
import { inverseNorms, rerank, rowDistances } from './knn-metric';
import { searchSpace } from './knn-space';
import { createRandom } from './random';

export interface ApproxTuning {
  /** Search-space dimensions when d is larger. */
  maxDims: number;
  /** Power iterations for the search subspace, and the rows it is searched on. */
  powerIterations: number;
  sampleRows: number;
  /** Candidates per row searched: K = min(n - 1, ceil(k * candidateFactor) + candidateExtra). */
  candidateFactor: number;
  candidateExtra: number;
  /** NN-descent sample size per row: min(K, maxCandidates). */
  maxCandidates: number;
  /** Trees: min(maxTrees, treesBase + round(n^0.25)). */
  treesBase: number;
  maxTrees: number;
  /** Leaf size: clamp(K, minLeaf, maxLeaf). */
  minLeaf: number;
  maxLeaf: number;
  /** Iterations: max(minIterations, round(log2 n)). */
  minIterations: number;
  delta: number;
}

export const DEFAULT_TUNING: ApproxTuning = {
  maxDims: 50,
  powerIterations: 1,
  sampleRows: 3000,
  candidateFactor: 1.5,
  candidateExtra: 10,
  maxCandidates: 60,
  treesBase: 5,
  maxTrees: 32,
  minLeaf: 10,
  maxLeaf: 60,
  minIterations: 5,
  delta: 0.001,
};

export interface ApproxResult {
  indices: Int32Array;
  distances: Float32Array;
  /** For the bench: the candidates per row searched, and the NN-descent iterations run. */
  K: number;
  iterations: number;
  /** Wall time of each phase, ms: search space, trees (+ random fill), descent, re-rank. */
  phasesMs: { space: number; trees: number; descent: number; rerank: number };
}

export function approxSearch(
  t: Tensor, k: number, metric: Metric, seed: number, report: (fraction: number) => void,
  tuning: Partial<ApproxTuning> = {},
): ApproxResult {
  const p = { ...DEFAULT_TUNING, ...tuning };
  const { n, d } = t;
  const rng = createRandom(seed);
  const K = Math.min(n - 1, Math.ceil(k * p.candidateFactor) + p.candidateExtra);
  const inv = metric === 'cosine' ? inverseNorms(t) : null;

  const t0 = performance.now();
  const space = searchSpace(t, metric, inv, { maxDims: p.maxDims, powerIterations: p.powerIterations, sampleRows: p.sampleRows, rng });
  const spaceShare = d > p.maxDims ? 0.25 : 0.02;
  report(spaceShare);

  const descentShare = 0.9 - spaceShare;
  const t1 = performance.now();
  const { indices: cand, iterations, treesMs } = nnDescent(space.X, n, space.m, {
    K,
    maxCandidates: Math.min(K, p.maxCandidates),
    maxIterations: Math.max(p.minIterations, Math.round(Math.log2(n))),
    delta: p.delta,
    nTrees: Math.min(p.maxTrees, p.treesBase + Math.round(n ** 0.25)),
    leafSize: Math.min(p.maxLeaf, Math.max(p.minLeaf, K)),
    rng,
    report: (f) => report(spaceShare + descentShare * f),
  });

  const t2 = performance.now();
  const dist = rowDistances(t, metric);
  const step = Math.max(1, Math.floor(n / 10));
  const { indices, distances } = rerank(n, cand, K, k, dist, (i) => {
    if ((i + 1) % step === 0) report(0.9 + (0.1 * (i + 1)) / n);
  });
  const t3 = performance.now();
  report(1);
  const phasesMs = { space: t1 - t0, trees: treesMs, descent: t2 - t1 - treesMs, rerank: t3 - t2 };
  return { indices, distances, K, iterations, phasesMs };
}
