/** The approximate graph's re-rank split into shares (as a pool of threads does) gives the same graph. */
import { describe, expect, it } from 'vitest';
import { knnGraph, knnGraphWith, type Reranker } from '../../src/reduce/knn/knn';
import { rerankShare, visitRanges } from '../../src/reduce/knn/rerank-part';
import type { Tensor } from '../../src/data/types';
import { readTsvTensor } from './reduce-fixtures';

/** Runs the shares one after another, each writing only its rows of the common outputs. */
const inShares = (t: Tensor, parts: number, metric: 'cosine' | 'euclidean'): Reranker => async (c) => {
  const indices = new Int32Array(t.n * c.k).fill(-7);
  const distances = new Float32Array(t.n * c.k).fill(-7);
  for (const [from, to] of visitRanges(t.n, parts).reverse()) {
    rerankShare({ data: t.data, n: t.n, d: t.d, metric, cand: c.cand, K: c.K, k: c.k, order: c.order, extra: c.extra, indices, distances, from, to });
  }
  return { indices, distances };
};

describe('the re-rank in shares', () => {
  const mnist = readTsvTensor('public/data/mnist-2k/tensors.tsv');
  for (const metric of ['cosine', 'euclidean'] as const) {
    for (const parts of [1, 2, 3, 7]) {
      it(`${metric}, ${parts} shares: the single-thread graph, every row written`, async () => {
        const opts = { exactBelow: 0, seed: 3 };
        const one = knnGraph(mnist, 15, metric, opts);
        const split = await knnGraphWith(mnist, 15, metric, opts, inShares(mnist, parts, metric));
        expect(split.k).toBe(15);
        expect(Array.from(split.indices)).toEqual(Array.from(one.indices));
        expect(Array.from(split.distances)).toEqual(Array.from(one.distances));
      });
    }
  }

  it('visit ranges cover every visit once, in order', () => {
    for (const [n, parts] of [[10, 3], [5, 7], [2000, 2]]) {
      const r = visitRanges(n, parts);
      expect(r[0][0]).toBe(0);
      expect(r[r.length - 1][1]).toBe(n);
      for (let p = 1; p < r.length; p++) expect(r[p][0]).toBe(r[p - 1][1]);
    }
  });
});
