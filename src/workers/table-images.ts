/// <reference lib="webworker" />
/** Decodes a table's image bytes (sizes checked first) and draws them into one sprite atlas. */
import { DataError } from '../data/errors';
import { atlasLayout } from '../data/tables/atlas-layout';
import type { TableImages } from '../data/tables/types';
import { bitmapIsGreyscale } from './bitmap-greyscale';

// Decoded a batch at a time: the browser decodes them in parallel, memory stays bounded.
const BATCH = 64;

export async function drawTableImages(
  images: TableImages,
  file: string,
  progress: (done: number, total: number) => void,
): Promise<{ bitmap: ImageBitmap; greyscale: boolean; cell: [number, number] }> {
  const { cells, column } = images;
  const layout = atlasLayout(cells, file, column);
  const [cw, ch] = layout.cell;
  const canvas = new OffscreenCanvas(layout.width, layout.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(`${file}: no 2D canvas in this browser to draw the pictures`);
  for (let start = 0; start < cells.length; start += BATCH) {
    const batch = cells.slice(start, start + BATCH);
    const bitmaps = await Promise.all(
      batch.map(async (bytes, k) => {
        if (!bytes) return null;
        try {
          // Straight alpha and no colour conversion, as for sprite files.
          return await createImageBitmap(new Blob([bytes as BlobPart]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
        } catch {
          throw new DataError(file, `column "${column}", row ${start + k + 1}: not a readable PNG or JPEG image`);
        }
      }),
    );
    bitmaps.forEach((bmp, k) => {
      if (!bmp) return;
      const i = start + k;
      ctx.drawImage(bmp, (i % layout.columns) * cw, Math.floor(i / layout.columns) * ch, cw, ch);
      bmp.close();
    });
    progress(Math.min(cells.length, start + BATCH), cells.length);
  }
  const bitmap = canvas.transferToImageBitmap();
  return { bitmap, greyscale: bitmapIsGreyscale(bitmap), cell: layout.cell };
}
