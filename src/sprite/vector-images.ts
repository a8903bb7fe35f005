/**
 * Reading each vector as a picture, for embeddings logged without a sprite: which image size a
 * vector length suggests, and the value mapping to 0..255 (Comet's builder does no scaling).
 */
import type { ImageStack, Rgb } from './embedding-image';

export type ValueRange = 'auto' | '0..1' | '0..255';

export interface VectorImageSettings {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  range: ValueRange;
  invert: boolean;
  transparent: Rgb | null;
}

/** 784 -> 28x28, 3072 -> 32x32x3, any square (or 3x square) length likewise; else null. */
export function suggestImageSize(d: number): { width: number; height: number; channels: 1 | 3 } | null {
  const side = (x: number) => {
    const s = Math.round(Math.sqrt(x));
    return s * s === x ? s : null;
  };
  const grey = side(d);
  if (grey) return { width: grey, height: grey, channels: 1 };
  const rgb = d % 3 === 0 ? side(d / 3) : null;
  if (rgb) return { width: rgb, height: rgb, channels: 3 };
  return null;
}

const MIN_SIDE = 8;

/**
 * Whether vectors plausibly are pictures: a length of side x side (x 3 or 4 channels), side at
 * least 8, with values as pixels hold them (0..1 or 0..255). Word vectors are none of these.
 */
export function picturesPlausible(d: number, [min, max]: [number, number]): boolean {
  const side = (x: number) => {
    const s = Math.round(Math.sqrt(x));
    return s * s === x && s >= MIN_SIDE;
  };
  const shaped = side(d) || (d % 3 === 0 && side(d / 3)) || (d % 4 === 0 && side(d / 4));
  const pixelValues = min >= 0 && (max <= 1 || max <= 255);
  return shaped && pixelValues;
}

/** Maps the whole collection's values to 0..255 once: auto stretches its min..max. */
export function rangePreprocess(range: ValueRange, invert: boolean): (images: ImageStack) => void {
  return (images) => {
    const v = images.data as Float64Array;
    let lo = 0;
    let scale = range === '0..1' ? 255 : 1;
    if (range === 'auto') {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < v.length; i++) {
        if (v[i] < min) min = v[i];
        if (v[i] > max) max = v[i];
      }
      lo = min;
      scale = max > min ? 255 / (max - min) : 1;
    }
    for (let i = 0; i < v.length; i++) {
      const x = (v[i] - lo) * scale;
      v[i] = invert ? 255 - x : x;
    }
  };
}
