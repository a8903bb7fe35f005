/**
 * Test-only helpers for UMAP: an exact brute-force kNN graph, umap-js driven with it, and a
 * layout quality measure.
 */
import { UMAP } from 'umap-js';
import type { Tensor } from '../../src/data/types';
import { exactNeighbours, knnLabelAccuracy } from '../../src/reduce/embedding-quality';
import type { NeighborGraph } from '../../src/reduce/umap/graph';
import { createRandom } from '../../src/reduce/random';

/** Exact euclidean kNN, the point itself excluded, ties broken by index. */
export function exactKnn(t: Tensor, k: number): NeighborGraph {
  const r = exactNeighbours(t.data, t.n, t.d, k);
  return { n: t.n, k: r.k, indices: r.indices, distances: r.distances };
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
    random: createRandom(opts.seed).next,
  });
  const knn = withSelf(g, opts.nNeighbors - 1);
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  const embedding = umap.fit(rowsOf(t));
  return { umap, embedding };
}


export function flatten(rows: number[][]): Float32Array {
  const dim = rows[0].length;
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(r, i * dim));
  return out;
}

/** Leave-one-out k-NN label accuracy of a layout (numeric labels), as the bench measures it. */
export function labelKnnAccuracy(pos: Float32Array, dim: number, labels: ArrayLike<number>, k = 5): number {
  return knnLabelAccuracy(pos, labels.length, dim, labels, k);
}
