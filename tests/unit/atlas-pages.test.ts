import { describe, expect, it } from 'vitest';
import { copyRuns, MAX_ATLAS_PAGES, planAtlas } from '../../src/render/atlas-pages';
import { spriteCell, spriteGeometry } from '../../src/data/sprite-geometry';

/** Where the point shader looks for cell i on a plan's pages (integer maths, as in GLSL). */
function shaderCell(plan: ReturnType<typeof planAtlas>, i: number) {
  const page = Math.floor(i / plan.cellsPerPage);
  const j = i - page * plan.cellsPerPage;
  return { page, x: (j % plan.pageColumns) * plan.cellWidth, y: Math.floor(j / plan.pageColumns) * plan.cellHeight };
}

describe('sprite atlases larger than the GPU allows', () => {
  it('an atlas that fits is uploaded as it is', () => {
    const g = spriteGeometry(1260, 1260, [28, 28], 2000, 'sprite.png');
    const plan = planAtlas(g, 2000, 8192);
    expect(plan).toMatchObject({ direct: true, pages: 1, pageColumns: 45, downscaled: false });
    expect(copyRuns(g, plan, 2000)).toEqual([]);
  });

  it('splits across pages at full size, each cell copied once to where the shader reads it', () => {
    const n = 2000;
    const g = spriteGeometry(1260, 1260, [28, 28], n, 'sprite.png');
    const plan = planAtlas(g, n, 1024);
    expect(plan.direct).toBe(false);
    expect(plan.downscaled).toBe(false);
    expect(plan.pages).toBe(2);
    expect(plan.pageWidth).toBeLessThanOrEqual(1024);
    expect(plan.pageHeight).toBeLessThanOrEqual(1024);
    const seen = new Map<number, { page: number; x: number; y: number; sx: number; sy: number }>();
    for (const r of copyRuns(g, plan, n)) {
      const cells = r.sw / g.cellWidth;
      expect(r.dw / plan.cellWidth).toBe(cells);
      for (let k = 0; k < cells; k++) {
        const sx = r.sx + k * g.cellWidth;
        const i = (r.sy / g.cellHeight) * g.columns + sx / g.cellWidth;
        expect(seen.has(i)).toBe(false);
        seen.set(i, { page: r.page, x: r.dx + k * plan.cellWidth, y: r.dy, sx, sy: r.sy });
      }
    }
    expect(seen.size).toBe(n);
    for (let i = 0; i < n; i++) {
      const c = seen.get(i)!;
      expect({ page: c.page, x: c.x, y: c.y }).toEqual(shaderCell(plan, i));
      expect({ x: c.sx, y: c.sy }).toEqual(spriteCell(g, i));
      expect(c.x + plan.cellWidth).toBeLessThanOrEqual(plan.pageWidth);
      expect(c.y + plan.cellHeight).toBeLessThanOrEqual(plan.pageHeight);
    }
  });

  it('an atlas wider than the limit is re-packed into narrower pages', () => {
    // 1M points of 8x8 in a 1000-column grid: 8000 px wide, more than a 4096 px GPU allows.
    const n = 1_000_000;
    const g = spriteGeometry(8000, 8000, [8, 8], n, 'sprite.png');
    const plan = planAtlas(g, n, 4096);
    expect(plan).toMatchObject({ pages: 4, pageColumns: 512, cellsPerPage: 512 * 512, downscaled: false });
    const runs = copyRuns(g, plan, n);
    expect(runs.reduce((s, r) => s + r.sw / 8, 0)).toBe(n);
    expect(runs.length).toBeLessThan(5000);
  });

  it('downscales cells, keeping their aspect, when even the pages cannot hold them', () => {
    const n = 2000;
    const g = spriteGeometry(1260, 1260, [28, 28], n, 'sprite.png');
    const plan = planAtlas(g, n, 256);
    expect(plan.downscaled).toBe(true);
    expect(plan.pages).toBeLessThanOrEqual(MAX_ATLAS_PAGES);
    expect(plan.cellWidth).toBe(plan.cellHeight);
    expect(plan.cellsPerPage * plan.pages).toBeGreaterThanOrEqual(n);
    // The largest size that fits: one pixel more would not.
    const bigger = Math.floor(256 / (plan.cellWidth + 1)) ** 2 * MAX_ATLAS_PAGES;
    expect(bigger).toBeLessThan(n);
    const runs = copyRuns(g, plan, n);
    expect(runs.reduce((s, r) => s + r.sw / g.cellWidth, 0)).toBe(n);
  });

  it('non-square cells are re-packed by their own width and height', () => {
    const n = 200;
    const g = spriteGeometry(20 * 30, 40 * 10, [30, 40], n, 'sprite.png');
    const plan = planAtlas(g, n, 256);
    expect(plan.pageColumns).toBe(Math.floor(256 / plan.cellWidth));
    expect(plan.cellsPerPage).toBe(plan.pageColumns * Math.floor(256 / plan.cellHeight));
    expect(plan.cellWidth / plan.cellHeight).toBeCloseTo(30 / 40, 1);
  });
});
