/**
 * How a sprite atlas reaches the GPU when it is larger than the GPU's largest texture (TF's
 * projector gives up at 8192 px): its cells are re-packed, in order, into up to MAX_ATLAS_PAGES
 * textures; if even that cannot hold them, the cells are downscaled (the caller says so), never
 * dropped. Point i lives on page floor(i / cellsPerPage), row-major within the page, which is
 * what the point shader computes.
 */
import type { SpriteGeometry } from '../data/types';

/** Texture units the point shader samples pages from. */
export const MAX_ATLAS_PAGES = 4;

/** One drawImage: a strip of consecutive cells from one source row to one page row. */
export interface CopyRun {
  page: number;
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  dx: number;
  dy: number;
  dw: number;
  dh: number;
}

export interface AtlasPlan {
  /** True when the source image fits one texture and is uploaded as it is. */
  direct: boolean;
  pages: number;
  pageWidth: number;
  pageHeight: number;
  pageColumns: number;
  cellsPerPage: number;
  /** Cell size on the pages (smaller than the source's when downscaled). */
  cellWidth: number;
  cellHeight: number;
  downscaled: boolean;
}

export function planAtlas(geom: SpriteGeometry, n: number, maxTextureSize: number): AtlasPlan {
  if (geom.imageWidth <= maxTextureSize && geom.imageHeight <= maxTextureSize) {
    return {
      direct: true,
      pages: 1,
      pageWidth: geom.imageWidth,
      pageHeight: geom.imageHeight,
      pageColumns: geom.columns,
      cellsPerPage: geom.columns * geom.rows,
      cellWidth: geom.cellWidth,
      cellHeight: geom.cellHeight,
      downscaled: false,
    };
  }
  let cw = geom.cellWidth;
  let ch = geom.cellHeight;
  // Largest cell (keeping the aspect) whose pages hold every point.
  for (;;) {
    const pageColumns = Math.floor(maxTextureSize / cw);
    const pageRows = Math.floor(maxTextureSize / ch);
    const cellsPerPage = pageColumns * pageRows;
    const pages = cellsPerPage > 0 ? Math.ceil(n / cellsPerPage) : Infinity;
    if (pages <= MAX_ATLAS_PAGES || (cw === 1 && ch === 1)) {
      const usedColumns = Math.min(pageColumns, Math.max(1, n));
      const usedRows = Math.min(pageRows, Math.ceil(Math.min(n, cellsPerPage) / usedColumns));
      return {
        direct: false,
        pages: Math.max(1, Math.min(pages, MAX_ATLAS_PAGES)),
        pageWidth: usedColumns * cw,
        pageHeight: Math.max(1, usedRows) * ch,
        pageColumns,
        cellsPerPage,
        cellWidth: cw,
        cellHeight: ch,
        downscaled: cw !== geom.cellWidth || ch !== geom.cellHeight,
      };
    }
    // Shrink the longer side by one pixel and the other in proportion.
    if (cw >= ch) {
      cw--;
      ch = Math.max(1, Math.round((geom.cellHeight * cw) / geom.cellWidth));
    } else {
      ch--;
      cw = Math.max(1, Math.round((geom.cellWidth * ch) / geom.cellHeight));
    }
  }
}

/** The copies that re-pack cells 0..n-1 onto the plan's pages (none for a direct plan). */
export function copyRuns(geom: SpriteGeometry, plan: AtlasPlan, n: number): CopyRun[] {
  const runs: CopyRun[] = [];
  if (plan.direct) return runs;
  const limit = Math.min(n, plan.cellsPerPage * plan.pages);
  for (let i = 0; i < limit; ) {
    const srcCol = i % geom.columns;
    const srcRow = Math.floor(i / geom.columns);
    const page = Math.floor(i / plan.cellsPerPage);
    const j = i - page * plan.cellsPerPage;
    const dCol = j % plan.pageColumns;
    const dRow = Math.floor(j / plan.pageColumns);
    const len = Math.min(geom.columns - srcCol, plan.pageColumns - dCol, limit - i);
    runs.push({
      page,
      sx: srcCol * geom.cellWidth,
      sy: srcRow * geom.cellHeight,
      sw: len * geom.cellWidth,
      sh: geom.cellHeight,
      dx: dCol * plan.cellWidth,
      dy: dRow * plan.cellHeight,
      dw: len * plan.cellWidth,
      dh: plan.cellHeight,
    });
    i += len;
  }
  return runs;
}
