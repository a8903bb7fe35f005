/**
 * t-SNE's affinities over threads (src/reduce/tsne/affinity-pool.ts on Node's worker_threads, the
 * code the page runs in nested workers): P is the one thread's, bit for bit, on 2 and 3 threads,
 * and so is its upper triangle built without P whole (what the page's t-SNE takes).
 */
import { describe, expect, it } from 'vitest';
import { knnGraph } from '../../src/reduce/knn/knn';
import { tsneAffinities, upperTriangle, type SparseAffinities } from '../../src/reduce/tsne/affinities';
import { affinityPool } from '../../src/reduce/tsne/affinity-pool';
import { startPoolThreads, threadedAffinities } from '../../src/node/repulsion-threads';
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
    it(`mnist-2k, ${metric}, perplexity ${perplexity}: the same P on 1, 2 and 3 threads`, async () => {
      const graph = knnGraph(mnist, Math.ceil(3 * perplexity), metric, { seed: 3 });
      const one = tsneAffinities(graph, perplexity);
      expect(one.vals.length).toBeGreaterThan(2000 * perplexity);
      for (const threads of [2, 3]) same(one, await threadedAffinities(graph, perplexity, threads));
      const pool = affinityPool(graph, perplexity, 2);
      const stop = await startPoolThreads(pool.shares());
      try {
        const upper = pool.runUpper();
        expect(upper.upper).toBe(true);
        same(upperTriangle(one), upper);
      } finally {
        pool.close();
        await stop();
      }
    }, 60_000);
  }
});
