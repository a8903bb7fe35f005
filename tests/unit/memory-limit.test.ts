import { afterEach, describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { checkImageSize, checkTensorSize, MAX_TENSOR_BYTES, memoryBudgetBytes, setMemoryBudgetMB } from '../../src/data/memory-limit';

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

describe('setMemoryBudgetMB', () => {
  afterEach(() => {
    setMemoryBudgetMB(NaN);
  });

  it('changes the budget every size check uses, and restores the default on anything but a positive number', () => {
    expect(memoryBudgetBytes()).toBe(MAX_TENSOR_BYTES);
    expect(setMemoryBudgetMB(64)).toBe(64 * 2 ** 20);
    expect(memoryBudgetBytes()).toBe(64 * 2 ** 20);
    expect(() => checkTensorSize(4096, 4096, 'm.tsv')).not.toThrow(); // exactly 64 MiB
    expect(() => checkTensorSize(4097, 4096, 'm.tsv')).toThrow('m.tsv: a 4097 x 4096 float32 tensor needs 64.0 MiB, over the 64.0 MiB this page can hold');
    setMemoryBudgetMB(4096);
    expect(() => checkTensorSize(3_000_000, 300, 'big.tsv')).not.toThrow();
    for (const bad of [0, -5, NaN, Infinity]) {
      setMemoryBudgetMB(64);
      expect(setMemoryBudgetMB(bad)).toBe(MAX_TENSOR_BYTES);
    }
  });
});

describe('checkImageSize', () => {
  afterEach(() => {
    setMemoryBudgetMB(NaN);
  });

  it('allows what a browser decodes within the budget', () => {
    expect(() => checkImageSize(2800, 2800, 'sprite.png')).not.toThrow();
    expect(() => checkImageSize(16384, 16384, 'sprite.png')).not.toThrow(); // 1 GiB of RGBA
    expect(() => checkImageSize(32767, 100, 'strip.png')).not.toThrow();
  });

  it('refuses a decompression bomb, saying what decoding would need', () => {
    expect(() => checkImageSize(100_000, 100_000, 'bomb.png')).toThrow(DataError);
    expect(() => checkImageSize(100_000, 100_000, 'bomb.png')).toThrow(
      'bomb.png: a 100000 x 100000 image would need 37.25 GiB decoded, beyond what a browser decodes (at most 32767 pixels a side and 256M pixels, 16384 x 16384)',
    );
    expect(() => checkImageSize(40_000, 10, 'wide.png')).toThrow(/at most 32767 pixels a side/);
    expect(() => checkImageSize(20_000, 20_000, 'big.png')).toThrow(/256M pixels/);
  });

  it('refuses an image over a lowered budget', () => {
    setMemoryBudgetMB(100);
    expect(() => checkImageSize(8192, 8192, 'sprite.png')).toThrow(
      'sprite.png: a 8192 x 8192 image needs 256.0 MiB decoded, over the 100.0 MiB this page can hold',
    );
    expect(() => checkImageSize(4096, 4096, 'sprite.png')).not.toThrow();
  });

  it('refuses sizes that are not positive integers', () => {
    for (const [w, h] of [[0, 5], [5, 0], [-1, 5], [2.5, 5], [NaN, 5], [Infinity, 5]]) {
      expect(() => checkImageSize(w, h, 's.png'), `${w} x ${h}`).toThrow(/must be two positive integers/);
    }
  });
});
