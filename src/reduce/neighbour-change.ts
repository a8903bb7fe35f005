/**
 * "Neighbour change": for each point, the share of its k nearest neighbours in one title (the
 * original space) that were not among its k nearest in the previous title. 0: the same
 * neighbourhood; 1: an entirely new one. Pure and worker-safe.
 */
import type { Tensor } from '../data/types';
import { knnGraph, type KnnGraph, type Metric } from './knn/knn';

export const CHANGE_K = 10;

export function neighbourChangeOfGraphs(prev: KnnGraph, cur: KnnGraph): Float32Array {
  const { n, k } = cur;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const before = prev.indices.subarray(i * prev.k, i * prev.k + prev.k);
    let gone = 0;
    for (let r = 0; r < k; r++) if (!before.includes(cur.indices[i * k + r])) gone++;
    out[i] = k > 0 ? gone / k : 0;
  }
  return out;
}

export function neighbourChange(prev: Tensor, cur: Tensor, metric: Metric, k = CHANGE_K): Float32Array {
  if (prev.n !== cur.n) throw new Error(`neighbour change needs the same points: ${prev.n} rows before, ${cur.n} now`);
  const kk = Math.max(0, Math.min(k, cur.n - 1));
  if (kk === 0) return new Float32Array(cur.n);
  return neighbourChangeOfGraphs(knnGraph(prev, kk, metric, { seed: 1 }), knnGraph(cur, kk, metric, { seed: 1 }));
}
