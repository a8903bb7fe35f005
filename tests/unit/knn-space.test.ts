/**
 * The approximate search's subspace (src/reduce/knn/approx/space.ts): its sample taken straight
 * from the compressed rows gives the basis, bit for bit, that gathering the sampled rows densely
 * and compressing them gives.
 */
import { describe, expect, it } from 'vitest';
import { searchBasis } from '../../src/reduce/knn/approx/space';
import { DEFAULT_TUNING } from '../../src/reduce/knn/approx/approx';
import { rowsOf } from '../../src/reduce/knn/metric';
import { createRandom } from '../../src/reduce/random';
import { readTsvTensor } from './reduce-fixtures';
import type { Metric } from '../../src/reduce/knn/types';

describe('the search subspace', () => {
  const mnist = readTsvTensor('public/data/mnist-2k/tensors.tsv');
  for (const metric of ['cosine', 'euclidean'] as Metric[]) {
    it(`is the same from compressed rows as from dense ones (mnist-2k, ${metric})`, () => {
      const sparse = rowsOf(mnist);
      expect(sparse.csr).not.toBeNull();
      const dense = { ...sparse, csr: null };
      const options = { ...DEFAULT_TUNING, sampleRows: 700 };
      const a = searchBasis(sparse, metric, { ...options, rng: createRandom(7) });
      const b = searchBasis(dense, metric, { ...options, rng: createRandom(7) });
      if (a.kind !== 'project' || b.kind !== 'project') throw new Error('expected a projection');
      expect(a.m).toBe(64);
      expect(a.variance).toBe(b.variance);
      expect(Buffer.from(a.V.buffer).equals(Buffer.from(b.V.buffer))).toBe(true);
    });
  }
});
