/**
 * t-SNE's affinities over threads (src/reduce/tsne/affinity-pool.ts on Node's worker_threads, the
 * code the page runs in nested workers): P's upper triangle, what t-SNE keeps, built without P
 * whole, is the one thread's upperTriangle(tsneAffinities()), bit for bit, on 2 and 3 threads.
 */
import { describe, expect, it } from 'vitest';
import { knnGraph } from '../../src/reduce/knn/knn';
import { tsneAffinities, upperTriangle, type SparseAffinities } from '../../src/reduce/tsne/affinities';
import { threadedAffinities } from '../../src/node/repulsion-threads';
import { readTsvTensor } from './reduce-fixtures';

const bytes = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const same = (a: SparseAffinities, b: SparseAffinities) => {
  expect(b.n).toBe(a.n);
  expect(bytes(b.rowPtr).equals(bytes(a.rowPtr))).toBe(true);
  expect(bytes(b.cols).equals(bytes(a.cols))).toBe(true);
  expect(bytes(b.vals).equals(bytes(a.vals))).toBe(true);
};

describe("t-SNE's affinities over threads", () => {
  const mnist = readTsvTensor('public/data/mnist-2k/tensors.tsv');
  for (const [metric, perplexity] of [['cosine', 30], ['euclidean', 5]] as const) {
    it(`mnist-2k, ${metric}, perplexity ${perplexity}: the same upper triangle of P on 1, 2 and 3 threads`, async () => {
      const graph = knnGraph(mnist, Math.ceil(3 * perplexity), metric, { seed: 3 });
      const one = upperTriangle(tsneAffinities(graph, perplexity));
      expect(one.vals.length).toBeGreaterThan(1000 * perplexity);
      for (const threads of [2, 3]) {
        const upper = await threadedAffinities(graph, perplexity, threads);
        expect(upper.upper).toBe(true);
        same(one, upper);
      }
    }, 60_000);
  }
});
