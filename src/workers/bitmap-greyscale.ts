/// <reference lib="webworker" />
import { isGreyscale } from '../data/greyscale';

/** Reads the pixels back once to tell greyscale sprites (to be tinted) from coloured ones. */
export function bitmapIsGreyscale(bitmap: ImageBitmap): boolean {
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return true;
    ctx.drawImage(bitmap, 0, 0);
    return isGreyscale(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data);
  } catch {
    return true;
  }
}
