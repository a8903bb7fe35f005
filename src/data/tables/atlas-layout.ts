/**
 * The sprite atlas for a table's pictures: one cell size for every row, square-ish grid filled
 * row-major from the top-left (TF's layout), checked against the browser's and the budget's
 * limits before any picture is decoded. Pure.
 */
import { DataError } from '../errors';
import { imageSizeFromHeader } from '../image-header';
import { checkImageSize } from '../memory-limit';

/** Atlases wider or taller than this are drawn with smaller cells: every GPU takes 8192. */
export const MAX_ATLAS_SIDE = 8192;

export interface AtlasLayout {
  cell: [number, number];
  columns: number;
  width: number;
  height: number;
}

/** Checks each picture's declared size, then sizes the atlas from the largest. */
export function atlasLayout(cells: (Uint8Array | null)[], file: string, column: string): AtlasLayout {
  let w = 0;
  let h = 0;
  cells.forEach((bytes, i) => {
    if (!bytes) return;
    const size = imageSizeFromHeader(bytes);
    const where = `${file} column "${column}" row ${i + 1}`;
    if (!size) throw new DataError(file, `column "${column}", row ${i + 1}: not a PNG or JPEG image`);
    checkImageSize(size.width, size.height, where);
    w = Math.max(w, size.width);
    h = Math.max(h, size.height);
  });
  if (w === 0) throw new DataError(file, `column "${column}" holds no pictures`);
  const columns = Math.ceil(Math.sqrt(cells.length));
  const rows = Math.ceil(cells.length / columns);
  const scale = Math.min(1, MAX_ATLAS_SIDE / (columns * w), MAX_ATLAS_SIDE / (rows * h));
  const cell: [number, number] = [Math.max(1, Math.floor(w * scale)), Math.max(1, Math.floor(h * scale))];
  const layout = { cell, columns, width: columns * cell[0], height: rows * cell[1] };
  checkImageSize(layout.width, layout.height, file);
  return layout;
}
