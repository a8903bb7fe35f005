/**
 * Test-only helpers for UMAP: an exact brute-force kNN (the graph src/reduce/knn will build,
 * computed the slow sure way), umap-js driven with it, and layout quality measures.
 */
import { UMAP } from 'umap-js';
import type { Tensor } from '../../src/data/types';
import type { NeighborGraph } from '../../src/reduce/umap-graph';

/** Exact euclidean kNN, the point itself excluded, ties broken by index. */
export function exactKnn(t: Tensor, k: number): NeighborGraph {
  const { data, n, d } = t;
  const indices = new Int32Array(n * k).fill(-1);
  const d2 = new Float64Array(n * k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const v = data[i * d + c] - data[j * d + c];
        s += v * v;
      }
      if (s >= d2[o + k - 1]) continue;
      let p = o + k - 1;
      for (; p > o && d2[p - 1] > s; p--) {
        d2[p] = d2[p - 1];
        indices[p] = indices[p - 1];
      }
      d2[p] = s;
      indices[p] = j;
    }
  }
  return { n, k, indices, distances: Float32Array.from(d2, Math.sqrt) };
}

/** umap-js's kNN lists start with the point itself at distance 0: prepend it. */
export function withSelf(g: NeighborGraph, cols: number): { indices: number[][]; distances: number[][] } {
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < g.n; i++) {
    indices.push([i, ...Array.from(g.indices.subarray(i * g.k, i * g.k + cols))]);
    distances.push([0, ...Array.from(g.distances.subarray(i * g.k, i * g.k + cols))]);
  }
  return { indices, distances };
}

export function rowsOf(t: Tensor): number[][] {
  return Array.from({ length: t.n }, (_, i) => Array.from(t.data.subarray(i * t.d, (i + 1) * t.d)));
}

/** umap-js 1.4 fitted with the same kNN (self prepended), a seeded random, nNeighbors counting self. */
export function umapJsFit(
  t: Tensor, g: NeighborGraph, opts: { nNeighbors: number; dim: number; epochs?: number; seed: number },
): { umap: UMAP; embedding: number[][] } {
  const umap = new UMAP({
    nComponents: opts.dim,
    nNeighbors: opts.nNeighbors,
    nEpochs: opts.epochs,
    random: seededRandom(opts.seed),
  });
  const knn = withSelf(g, opts.nNeighbors - 1);
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  const embedding = umap.fit(rowsOf(t));
  return { umap, embedding };
}

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function flatten(rows: number[][]): Float32Array {
  const dim = rows[0].length;
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(r, i * dim));
  return out;
}

/** Share of points whose k nearest layout neighbours (majority vote, leave-one-out) carry their label. */
export function labelKnnAccuracy(pos: Float32Array, dim: number, labels: ArrayLike<string | number>, k = 5): number {
  const n = labels.length;
  const g = exactKnn({ data: pos, n, d: dim }, k);
  let right = 0;
  for (let i = 0; i < n; i++) {
    const votes = new Map<string | number, number>();
    for (let r = 0; r < k; r++) {
      const l = labels[g.indices[i * k + r]];
      votes.set(l, (votes.get(l) ?? 0) + 1);
    }
    let best: string | number | null = null;
    let most = -1;
    for (const [l, c] of votes) if (c > most) [best, most] = [l, c];
    if (best === labels[i]) right++;
  }
  return right / n;
}
