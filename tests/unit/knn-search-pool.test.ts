/**
 * The approximate neighbour search over threads (src/reduce/knn/approx/search-pool.ts on Node's
 * worker_threads, the code the page runs in nested workers): the graph is identical, bit for bit,
 * for 1, 2 and 3 threads, and its recall against the exact graph holds its bar.
 */
import { describe, expect, it } from 'vitest';
import { knnExact, knnGraph, knnRecall, type KnnGraph, type Metric } from '../../src/reduce/knn/knn';
import { threadedKnnGraph } from '../../src/node/repulsion-threads';
import { readTsvTensor } from './reduce-fixtures';
import type { Tensor } from '../../src/data/types';

const same = (a: KnnGraph, b: KnnGraph) => {
  expect(b.k).toBe(a.k);
  expect(Buffer.from(b.indices.buffer, b.indices.byteOffset, b.indices.byteLength).equals(Buffer.from(a.indices.buffer, a.indices.byteOffset, a.indices.byteLength))).toBe(true);
  expect(Buffer.from(b.distances.buffer, b.distances.byteOffset, b.distances.byteLength).equals(Buffer.from(a.distances.buffer, a.distances.byteOffset, a.distances.byteLength))).toBe(true);
};

describe('the neighbour search over threads', () => {
  const glove = readTsvTensor('public/data/glove-100d-10k/tensors.tsv');
  const mnist = readTsvTensor('public/data/mnist-2k/tensors.tsv');

  const cases: [string, Tensor, Metric, number][] = [
    // 100 columns: searched in full; k = 15 and k = 90 (the graph widened past NN-descent's 60).
    ['GloVe 10k', glove, 'cosine', 15],
    ['GloVe 10k', glove, 'euclidean', 90],
    // 784 columns: the projection runs on the threads too.
    ['mnist-2k', mnist, 'cosine', 15],
    ['mnist-2k', mnist, 'euclidean', 50],
  ];
  for (const [name, t, metric, k] of cases) {
    it(`${name}, ${metric}, k = ${k}: the same graph on 1, 2 and 3 threads`, async () => {
      const opts = { exactBelow: 0, seed: 7 };
      const one = knnGraph(t, k, metric, opts);
      for (const threads of [2, 3]) same(one, await threadedKnnGraph(t, k, metric, opts, threads));
    }, 120_000);
  }

  it('GloVe 10k, cosine, k = 15 on 2 threads: recall@15 against the exact graph >= 0.97', async () => {
    const g = await threadedKnnGraph(glove, 15, 'cosine', { exactBelow: 0, seed: 42 }, 2);
    // 0.978 before the search was split over threads (one thread, the same seed).
    expect(knnRecall(g, knnExact(glove, 15, 'cosine'))).toBeGreaterThanOrEqual(0.97);
  }, 120_000);

  it('mnist-2k, cosine, k = 15 on 2 threads (projected): recall@15 >= 0.95', async () => {
    const g = await threadedKnnGraph(mnist, 15, 'cosine', { exactBelow: 0, seed: 42 }, 2);
    expect(knnRecall(g, knnExact(mnist, 15, 'cosine'))).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
