import { DataError } from './errors';
import type { SpriteGeometry } from './types';

/**
 * Cell layout of a sprite atlas. The grid is whatever fits the image: TF and Comet write
 * square grids of ceil(sqrt(N)) cells, but nothing requires it, so columns and rows are
 * derived separately and leftover pixels at the right or bottom are ignored.
 */
export function spriteGeometry(
  imageWidth: number,
  imageHeight: number,
  singleImageDim: [number, number],
  n: number,
  fileName: string,
): SpriteGeometry {
  const [cellWidth, cellHeight] = singleImageDim;
  if (!isPositiveInt(cellWidth) || !isPositiveInt(cellHeight)) {
    throw new DataError(fileName, `singleImageDim [${cellWidth}, ${cellHeight}] must be two positive integers`);
  }
  if (!isPositiveInt(imageWidth) || !isPositiveInt(imageHeight)) {
    throw new DataError(fileName, `sprite image has no pixels (${imageWidth}x${imageHeight})`);
  }
  if (cellWidth > imageWidth || cellHeight > imageHeight) {
    throw new DataError(
      fileName,
      `a sprite cell of ${cellWidth}x${cellHeight} is bigger than the ${imageWidth}x${imageHeight} image`,
    );
  }
  const columns = Math.floor(imageWidth / cellWidth);
  const rows = Math.floor(imageHeight / cellHeight);
  if (columns * rows < n) {
    throw new DataError(
      fileName,
      `sprite holds ${columns * rows} cells of ${cellWidth}x${cellHeight} (${columns} x ${rows} in ${imageWidth}x${imageHeight}) but there are ${n} points`,
    );
  }
  return { cellWidth, cellHeight, columns, rows, imageWidth, imageHeight };
}

/** Top-left pixel of point i's cell; cells fill row-major from the top-left. */
export function spriteCell(geom: SpriteGeometry, i: number): { x: number; y: number } {
  return {
    x: (i % geom.columns) * geom.cellWidth,
    y: Math.floor(i / geom.columns) * geom.cellHeight,
  };
}

function isPositiveInt(v: number): boolean {
  return Number.isSafeInteger(v) && v > 0;
}
