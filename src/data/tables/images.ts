/** Image-bytes columns (Hugging Face's {bytes, path} structs, or plain binary). Pure. */
import { imageSizeFromHeader } from '../image-header';
import type { Cells } from './assemble';

/** Each row's bytes, or null: no picture for that row. */
export function imageCells(cells: Cells, n: number): (Uint8Array | null)[] {
  const out: (Uint8Array | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = cells[i];
    const bytes = v instanceof Uint8Array ? v : v && typeof v === 'object' ? (v as { bytes?: unknown }).bytes : null;
    out[i] = bytes instanceof Uint8Array && bytes.length > 0 ? bytes : null;
  }
  return out;
}

/** True when the bytes start like a PNG or JPEG: a binary column of other things is not pictures. */
export function isImageBytes(bytes: Uint8Array): boolean {
  return imageSizeFromHeader(bytes) !== null;
}
