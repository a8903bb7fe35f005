import { describe, expect, it } from 'vitest';
import { rangePreprocess, suggestImageSize } from '../../src/sprite/vector-images';
import { createEmbeddingImage } from '../../src/sprite/embedding-image';

describe('reading vectors as images', () => {
  it('suggests a size when the length fits a square, grey or RGB', () => {
    expect(suggestImageSize(784)).toEqual({ width: 28, height: 28, channels: 1 });
    expect(suggestImageSize(64)).toEqual({ width: 8, height: 8, channels: 1 });
    expect(suggestImageSize(3072)).toEqual({ width: 32, height: 32, channels: 3 });
    expect(suggestImageSize(50)).toBeNull();
  });

  it('maps values to 0..255 once over the whole collection: auto stretches min..max, invert flips', () => {
    const img = (data: number[], range: 'auto' | '0..1' | '0..255', invert = false) =>
      Array.from(createEmbeddingImage({ data, n: 2, d: 2 }, [2, 1, 1], { preprocess: rangePreprocess(range, invert) }).rgba.filter((_, k) => k % 4 === 0));
    // Two 2x1 images on a 2x2 grid: [a b / c d] with the trailing cells transparent black.
    expect(img([-1, 0, 0.5, 1], 'auto')).toEqual([0, 127, 191, 255, 0, 0, 0, 0]);
    expect(img([0, 0.5, 1, 2], '0..1')).toEqual([0, 127, 255, 255, 0, 0, 0, 0]);
    expect(img([0, 100, 255, 300], '0..255', true)).toEqual([255, 155, 0, 0, 0, 0, 0, 0]);
  });
});
