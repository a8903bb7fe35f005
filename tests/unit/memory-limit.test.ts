import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { checkTensorSize, MAX_TENSOR_BYTES } from '../../src/data/memory-limit';

describe('checkTensorSize', () => {
  it('allows anything up to 1.5 GiB of float32', () => {
    expect(MAX_TENSOR_BYTES).toBe(1.5 * 2 ** 30);
    expect(() => checkTensorSize(10000, 784, 'm.tsv')).not.toThrow();
    expect(() => checkTensorSize(MAX_TENSOR_BYTES / 4 / 1024, 1024, 'm.tsv')).not.toThrow();
  });

  it('refuses a declared size that cannot fit, naming the file', () => {
    expect(() => checkTensorSize(MAX_TENSOR_BYTES / 4 / 1024 + 1, 1024, 'big.tsv')).toThrow(DataError);
    expect(() => checkTensorSize(3_000_000, 300, 'big.tsv')).toThrow(
      'big.tsv: a 3000000 x 300 float32 tensor needs 3.35 GiB, over the 1.50 GiB this page can hold',
    );
  });

  it('refuses shapes that are not positive integers', () => {
    for (const [n, d] of [[0, 4], [4, 0], [-1, 2], [2.5, 2], [NaN, 2], [Infinity, 2]]) {
      expect(() => checkTensorSize(n, d, 'x.tsv'), `${n} x ${d}`).toThrow(/must be two positive integers/);
    }
  });
});
