/// <reference lib="webworker" />
import { isGreyscale } from '../data/greyscale';

/**
 * Pixels read back at most: a larger picture is read on a regular grid of its pixels (nearest,
 * never blended), as isGreyscale already samples large atlases on a stride. Reading all of
 * mnist-10k's 2800 x 2800 atlas back took ~500 ms, the longest step of its first view.
 */
const MAX_READ_PIXELS = 1 << 20;

/** Reads the pixels back once to tell greyscale sprites (to be tinted) from coloured ones. */
export function bitmapIsGreyscale(bitmap: ImageBitmap): boolean {
  try {
    const scale = Math.min(1, Math.sqrt(MAX_READ_PIXELS / (bitmap.width * bitmap.height)));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d');
    if (!ctx) return true;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(bitmap, 0, 0, w, h);
    return isGreyscale(ctx.getImageData(0, 0, w, h).data);
  } catch {
    return true;
  }
}
