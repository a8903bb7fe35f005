/**
 * UMAP's epochs over threads sharing memory: as good as one thread (digit separation, 10-NN
 * preservation), identical run to run for a seed and thread count.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { threadedUmap } from '../../src/node/repulsion-threads';
import { neighbourPreservation } from '../../src/reduce/embedding-quality';
import { Umap } from '../../src/reduce/umap/umap';
import { readDigitLabels, readTsvTensor } from './reduce-fixtures';
import { exactKnn, labelKnnAccuracy } from './umap-helpers';

const digits = readTsvTensor('public/data/sklearn-digits-8x8/tensors.tsv');
const labels = readDigitLabels();
const graph = exactKnn(digits, 15);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

function layout(threads: number, dim: 2 | 3): Float32Array {
  const u = new Umap(graph, { nNeighbors: 15, minDist: 0.1, epochs: 200, seed: 7, dim });
  const t = threadedUmap(u, threads);
  closers.push(t.close);
  expect(t.threads).toBe(threads);
  u.step(u.totalEpochs);
  return u.positions().slice();
}

describe('UMAP epochs on several threads', () => {
  for (const dim of [2, 3] as const) {
    it(`${dim}D: two and three threads separate the digits and keep neighbours as well as one; identical run to run`, () => {
      const one = layout(1, dim);
      const two = layout(2, dim);
      const three = layout(3, dim);
      expect(Array.from(layout(2, dim))).toEqual(Array.from(two));
      const acc1 = labelKnnAccuracy(one, dim, labels);
      const keep1 = neighbourPreservation(graph.indices, graph.k, one, digits.n, dim, 10);
      for (const many of [two, three]) {
        expect(many.every(Number.isFinite)).toBe(true);
        expect(labelKnnAccuracy(many, dim, labels)).toBeGreaterThan(Math.min(0.9, acc1 - 0.02));
        expect(neighbourPreservation(graph.indices, graph.k, many, digits.n, dim, 10)).toBeGreaterThan(keep1 * 0.95);
      }
    });
  }
});
