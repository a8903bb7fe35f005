import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import {
  createEmbeddingImage,
  encodePng,
  toImageStack,
  type EmbeddingImage,
  type ImageStack,
  type Rgb,
} from '../../src/sprite/embedding-image';

// Committed copies of ../shared/data's files (byte-identical), so the proof runs on a fresh clone.
const REFERENCE = 'public/data/digits-mlp-epochs/embedding-image-digits-1797.png';
const DIGITS = 'public/data/sklearn-digits-8x8';

function pixel(img: EmbeddingImage, x: number, y: number): number[] {
  const o = (y * img.width + x) * 4;
  return Array.from(img.rgba.subarray(o, o + 4));
}

describe('createEmbeddingImage: Comet reference sprite', () => {
  it('reproduces the digits sprite pixel for pixel', () => {
    const rows = readFileSync(join(DIGITS, 'tensors.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split('\t').map(Number));
    const labels = readFileSync(join(DIGITS, 'metadata.tsv'), 'utf8')
      .split('\n')
      .slice(1) // header: digit, sample_index
      .filter((l) => l !== '')
      .map((l) => Number(l.split('\t')[0]));
    expect(rows.length).toBe(1797);
    expect(labels.length).toBe(1797);
    const colours: Rgb[] = [
      [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255],
      [128, 128, 0], [0, 128, 128], [128, 0, 128], [255, 0, 255], [255, 255, 255],
    ];
    const img = createEmbeddingImage(rows, [8, 8], {
      preprocess: (s) => {
        const d = s.data as Float64Array;
        for (let i = 0; i < d.length; i++) d[i] = (d[i] * 255) / 16;
      },
      transparentColor: [0, 0, 0],
      backgroundColor: (i) => colours[labels[i]],
    });

    const ref = decode(readFileSync(REFERENCE));
    expect([ref.width, ref.height]).toEqual([img.width, img.height]);
    expect(img.columns).toBe(43);
    expect(ref.channels, 'reference is RGBA').toBe(4);
    const refRgba = ref.data;
    let differing = 0;
    let firstDiff = '';
    for (let p = 0; p < img.width * img.height; p++) {
      const o = p * 4;
      if (
        img.rgba[o] !== refRgba[o] ||
        img.rgba[o + 1] !== refRgba[o + 1] ||
        img.rgba[o + 2] !== refRgba[o + 2] ||
        img.rgba[o + 3] !== refRgba[o + 3]
      ) {
        if (differing++ === 0) {
          firstDiff = ` first at (${p % img.width}, ${Math.floor(p / img.width)}): ours ${Array.from(img.rgba.subarray(o, o + 4))} vs ${Array.from(refRgba.subarray(o, o + 4))}`;
        }
      }
    }
    expect(differing, `${differing} of ${img.width * img.height} pixels differ;${firstDiff}`).toBe(0);
  });
});

describe('createEmbeddingImage: semantics', () => {
  it('lays out a ceil(sqrt(n)) grid on a transparent canvas, grey -> (v,v,v,255)', () => {
    // 5 images of 1x1 -> 3x3 grid; cells 5..8 stay (0,0,0,0).
    const img = createEmbeddingImage([[10], [20], [30], [40], [50]], [1, 1]);
    expect([img.width, img.height, img.columns, img.n]).toEqual([3, 3, 3, 5]);
    expect(img.singleImageDim).toEqual([1, 1]);
    expect(pixel(img, 0, 0)).toEqual([10, 10, 10, 255]);
    expect(pixel(img, 2, 0)).toEqual([30, 30, 30, 255]);
    expect(pixel(img, 0, 1)).toEqual([40, 40, 40, 255]);
    expect(pixel(img, 1, 1)).toEqual([50, 50, 50, 255]);
    expect(pixel(img, 2, 1)).toEqual([0, 0, 0, 0]);
    expect(pixel(img, 2, 2)).toEqual([0, 0, 0, 0]);
  });

  it('clips to [0, 255] and truncates, without normalising', () => {
    const img = createEmbeddingImage([[-5, 0.99, 1.5, 254.9, 255.5, 1000, NaN, 0.5]], [8, 1]);
    expect(Array.from({ length: 8 }, (_, x) => pixel(img, x, 0)[0])).toEqual([0, 0, 1, 254, 255, 255, 0, 0]);
  });

  it('transparentColor makes exact RGB matches alpha 0, after clipping and truncation', () => {
    // 300 clips to 255, 255.7 truncates to 255: both match; 254 does not.
    const img = createEmbeddingImage([[300, 255.7, 254, 0]], [4, 1], { transparentColor: [255, 255, 255] });
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255, 0]);
    expect(pixel(img, 1, 0)).toEqual([255, 255, 255, 0]);
    expect(pixel(img, 2, 0)).toEqual([254, 254, 254, 255]);
    expect(pixel(img, 3, 0)).toEqual([0, 0, 0, 255]);
  });

  it('backgroundColor fills transparent pixels per image and makes the tile opaque', () => {
    const img = createEmbeddingImage([[0, 7], [7, 0]], [2, 1], {
      transparentColor: [0, 0, 0],
      backgroundColor: (i) => (i === 0 ? [255, 0, 0] : [0, 0, 255]),
    });
    // 2 images -> 2x2 grid of 2x1 cells.
    expect([img.width, img.height]).toEqual([4, 2]);
    expect(pixel(img, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(img, 1, 0)).toEqual([7, 7, 7, 255]);
    expect(pixel(img, 2, 0)).toEqual([7, 7, 7, 255]);
    expect(pixel(img, 3, 0)).toEqual([0, 0, 255, 255]);
    expect(pixel(img, 0, 1)).toEqual([0, 0, 0, 0]); // empty cell: no background
  });

  it('composites partial alpha over the background as Pillow alpha_composite rounds', () => {
    // Pillow: coef1 = a*128 (opaque dst), out = div255(src*coef1 + dst*coef2 + 0x4000) >> 7.
    const img = createEmbeddingImage([[200, 100, 50, 128, 10, 20, 30, 1, 10, 20, 30, 254]], [3, 1, 4], {
      backgroundColor: () => [0, 255, 100],
    });
    const ref = (s: number, d: number, a: number) => {
      const c1 = a * 128;
      const c2 = 255 * 128 - c1;
      const t = s * c1 + d * c2 + (0x80 << 7);
      return (((t >>> 8) + t) >>> 8) >>> 7;
    };
    expect(pixel(img, 0, 0)).toEqual([ref(200, 0, 128), ref(100, 255, 128), ref(50, 100, 128), 255]);
    expect(pixel(img, 1, 0)).toEqual([ref(10, 0, 1), ref(20, 255, 1), ref(30, 100, 1), 255]);
    expect(pixel(img, 2, 0)).toEqual([ref(10, 0, 254), ref(20, 255, 254), ref(30, 100, 254), 255]);
    // Near-exact blend: 200*128/255 + 0 ~ 100.4 -> 100.
    expect(pixel(img, 0, 0)[0]).toBe(100);
  });

  it('alpha 255 and 0 over a background give the pixel and the background exactly', () => {
    const values: number[] = [];
    for (let v = 0; v < 256; v++) values.push(v, 255 - v, (v * 7) % 256, v % 2 === 0 ? 255 : 0);
    const img = createEmbeddingImage([values], [256, 1, 4], { backgroundColor: () => [3, 4, 5] });
    for (let v = 0; v < 256; v++) {
      expect(pixel(img, v, 0)).toEqual(v % 2 === 0 ? [v, 255 - v, (v * 7) % 256, 255] : [3, 4, 5, 255]);
    }
  });

  it('handles non-square images: w is the width, h the height', () => {
    // 3 wide x 2 high: rows [1 2 3] [4 5 6]; 2 images -> 2x2 grid of 3x2 cells.
    const wide = createEmbeddingImage([[1, 2, 3, 4, 5, 6], [11, 12, 13, 14, 15, 16]], [3, 2]);
    expect([wide.width, wide.height, wide.columns]).toEqual([6, 4, 2]);
    expect(wide.singleImageDim).toEqual([3, 2]);
    expect(pixel(wide, 2, 0)[0]).toBe(3);
    expect(pixel(wide, 0, 1)[0]).toBe(4);
    expect(pixel(wide, 2, 1)[0]).toBe(6);
    expect(pixel(wide, 3, 0)[0]).toBe(11);
    expect(pixel(wide, 5, 1)[0]).toBe(16);
    expect(pixel(wide, 0, 2)).toEqual([0, 0, 0, 0]);

    // 2 wide x 3 high: rows [1 2] [3 4] [5 6].
    const tall = createEmbeddingImage([[1, 2, 3, 4, 5, 6], [11, 12, 13, 14, 15, 16]], [2, 3]);
    expect([tall.width, tall.height]).toEqual([4, 6]);
    expect(tall.singleImageDim).toEqual([2, 3]);
    expect(pixel(tall, 1, 0)[0]).toBe(2);
    expect(pixel(tall, 0, 1)[0]).toBe(3);
    expect(pixel(tall, 1, 2)[0]).toBe(6);
    expect(pixel(tall, 2, 0)[0]).toBe(11);
    expect(pixel(tall, 3, 2)[0]).toBe(16);
  });

  it('applies preprocess exactly once, to the whole collection as Float64Array', () => {
    const input = [[1, 2], [3, 4], [5, 6]];
    let calls = 0;
    let seen: ImageStack | null = null;
    const img = createEmbeddingImage(input, [2, 1], {
      preprocess: (s) => {
        calls++;
        seen = s;
        return { ...s, data: Array.from(s.data, (v) => v * 10) };
      },
    });
    expect(calls).toBe(1);
    expect(seen!.data).toBeInstanceOf(Float64Array);
    expect(seen!.n).toBe(3);
    expect(Array.from(seen!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(input).toEqual([[1, 2], [3, 4], [5, 6]]); // caller's data untouched
    // 3 images -> 2x2 grid of 2x1 cells.
    expect([pixel(img, 0, 0)[0], pixel(img, 1, 0)[0], pixel(img, 2, 0)[0], pixel(img, 3, 0)[0], pixel(img, 0, 1)[0], pixel(img, 1, 1)[0]])
      .toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('preprocess may modify in place and return nothing', () => {
    const source = new Float32Array([1, 2]);
    const img = createEmbeddingImage({ data: source, n: 1, d: 2 }, [2, 1], {
      preprocess: (s) => {
        (s.data as Float64Array).set([100, 300]);
      },
    });
    expect([pixel(img, 0, 0)[0], pixel(img, 1, 0)[0]]).toEqual([100, 255]);
    expect(Array.from(source)).toEqual([1, 2]);
  });

  it('RGB input is opaque; RGBA keeps its alpha', () => {
    const rgb = createEmbeddingImage([[10, 20, 30, 40, 50, 60]], [2, 1]); // inferred 3 channels
    expect(pixel(rgb, 0, 0)).toEqual([10, 20, 30, 255]);
    expect(pixel(rgb, 1, 0)).toEqual([40, 50, 60, 255]);
    const rgba = createEmbeddingImage([[10, 20, 30, 40, 50, 60, 70, 80]], [2, 1, 4]);
    expect(pixel(rgba, 0, 0)).toEqual([10, 20, 30, 40]);
    expect(pixel(rgba, 1, 0)).toEqual([50, 60, 70, 80]);
    const keyed = createEmbeddingImage([[10, 20, 30, 40, 50, 60, 70, 80]], [2, 1, 4], { transparentColor: [50, 60, 70] });
    expect(pixel(keyed, 1, 0)).toEqual([50, 60, 70, 0]);
  });

  it('nested-array and typed-matrix inputs agree with the flat form', () => {
    // Two 3-wide x 2-high RGB images with distinct values.
    const flat = [0, 1].map((i) => Array.from({ length: 18 }, (_, k) => i * 100 + k * 5));
    const nested4 = flat.map((row) =>
      Array.from({ length: 2 }, (_, y) => Array.from({ length: 3 }, (_, x) => row.slice((y * 3 + x) * 3, (y * 3 + x) * 3 + 3))),
    );
    const a = createEmbeddingImage(flat, [3, 2, 3]);
    expect(createEmbeddingImage(nested4, [3, 2]).rgba).toEqual(a.rgba);
    expect(createEmbeddingImage({ data: Float32Array.from(flat.flat()), n: 2, d: 18 }, [3, 2]).rgba).toEqual(a.rgba);
    expect(createEmbeddingImage({ data: flat.flat(), n: 2, width: 3, height: 2, channels: 3 }, [3, 2]).rgba).toEqual(a.rgba);

    const grey = [0, 1].map((i) => Array.from({ length: 6 }, (_, k) => i * 100 + k));
    const nested3 = grey.map((row) => [row.slice(0, 3), row.slice(3, 6)]);
    expect(createEmbeddingImage(nested3, [3, 2]).rgba).toEqual(createEmbeddingImage(grey, [3, 2]).rgba);
    expect(Array.from(toImageStack(nested3, [3, 2]).data)).toEqual(grey.flat());
  });

  it('a row of the wrong length is a clear error naming the image', () => {
    expect(() => toImageStack([[1, 2, 3, 4], [1, 2, 3]], [2, 2])).toThrow('image 1: expected 4 values (2 x 2 x 1), got 3');
    expect(() => toImageStack([[1, 2, 3, 4, 5]], [2, 2])).toThrow(/image 0: expected 4 values .* got 5/);
    expect(() => toImageStack([[1, 2, 3]], [2, 2, 1])).toThrow('image 0: expected 4 values (2 x 2 x 1), got 3');
    expect(() => toImageStack([[[1, 2], [3, 4]], [[1, 2], [3]]], [2, 2])).toThrow('image 1 row 1: expected 2 pixels, got 1');
    expect(() => toImageStack({ data: new Float32Array(10), n: 2, d: 5 }, [2, 2])).toThrow(/image 0: expected 4 values/);
    expect(() => createEmbeddingImage([[1, 2, 3, 4]], [0, 2])).toThrow(/positive integers/);
  });

  it('encodePng round-trips through fast-png decode', () => {
    const img = createEmbeddingImage([[0, 50, 100, 150], [200, 250, 25, 75], [1, 2, 3, 4]], [2, 2], {
      transparentColor: [0, 0, 0],
    });
    const png = decode(encodePng(img));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([img.width, img.height, 4, 8]);
    expect(Array.from(png.data)).toEqual(Array.from(img.rgba));
  });
});
