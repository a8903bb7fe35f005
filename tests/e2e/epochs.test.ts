/**
 * Watching a layer learn, on the Comet-style digits run (1,797 points, 5 epochs): aligned titles
 * move far less than independent ones and do not depend on the visiting order; play visits every
 * title; trails draw; "neighbour change" is a column; the coloured Comet sprite keeps its colours.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { drawnShare, isolatedPoints, snapshot, stableView } from './view-helpers';

const CONFIG = '?config=data/digits-mlp-epochs/template-hidden-layer-1-configs.json';
const TITLES = ['epoch-0', 'epoch-1', 'epoch-2', 'epoch-3', 'epoch-4'];

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Every title's positions, visited in the given order, with UMAP 2D. */
async function layoutsInOrder(page: Page, order: string[]): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const t of order) {
    const s = await page.evaluate((t) => window.projector.setTitle(t), t);
    expect(s.status).toBe('ready');
    out[t] = await page.evaluate(() => Array.from(window.projector.positions()));
  }
  return out;
}

/** Mean displacement between consecutive titles over the later layout's RMS radius (the bench's measure). */
function meanDisplacement(layouts: Record<string, number[]>): number {
  let sum = 0;
  for (let k = 1; k < TITLES.length; k++) {
    const a = layouts[TITLES[k - 1]];
    const b = layouts[TITLES[k]];
    const n = a.length / 3;
    let d = 0;
    let r = 0;
    for (let i = 0; i < n; i++) {
      d += Math.hypot(a[3 * i] - b[3 * i], a[3 * i + 1] - b[3 * i + 1], a[3 * i + 2] - b[3 * i + 2]);
      r += b[3 * i] ** 2 + b[3 * i + 1] ** 2 + b[3 * i + 2] ** 2;
    }
    sum += d / n / Math.sqrt(r / n);
  }
  return sum / (TITLES.length - 1);
}

describe('aligned titles', () => {
  let page: Page;
  let aligned: Record<string, number[]>;
  beforeAll(async () => {
    page = await openPage(browser, `${CONFIG}&projection=umap&dim=2`);
    expect(await settled(page)).toBe('ready');
  });
  afterAll(() => page.close());

  it('stepping through the titles moves points far less with alignment on', async () => {
    expect((await page.evaluate(() => window.projector.state())).aligned).toBe(true);
    aligned = await layoutsInOrder(page, TITLES);
    await page.evaluate(() => window.projector.setAlignment(false));
    expect((await page.evaluate(() => window.projector.state())).aligned).toBe(false);
    const plain = await layoutsInOrder(page, TITLES);
    const ratio = meanDisplacement(aligned) / meanDisplacement(plain);
    console.log(`UMAP 2D displacement: aligned ${meanDisplacement(aligned).toFixed(3)}, plain ${meanDisplacement(plain).toFixed(3)}, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeLessThan(1 / 3);
    await page.evaluate(() => window.projector.setAlignment(true));
  });

  it('visiting titles in another order gives identical layouts', async () => {
    const other = await openPage(browser, `${CONFIG}&projection=umap&dim=2&title=epoch-3`);
    expect(await settled(other)).toBe('ready');
    const shuffled = await layoutsInOrder(other, ['epoch-3', 'epoch-1', 'epoch-4', 'epoch-0', 'epoch-2']);
    for (const t of TITLES) expect(shuffled[t]).toEqual(aligned[t]);
    await other.close();
  });

  it('"neighbour change" is a numeric column in [0, 1], missing for the first title', async () => {
    await page.evaluate(() => window.projector.setTitle('epoch-2'));
    await page.waitForFunction(() => {
      const s = window.projector.state();
      return s.columns.includes('neighbour change');
    });
    // Once computed, colouring by it gives a legend; search reaches it.
    await page.waitForFunction(() => {
      try {
        window.projector.colorBy('neighbour change');
        return document.querySelectorAll('[data-testid=legend] li').length > 1;
      } catch {
        return false;
      }
    });
    const values = await page.locator('[data-testid=legend] li').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(values.length).toBeGreaterThan(2);
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    const moved = await page.evaluate(() => window.projector.search('^1$', { column: 'neighbour change', regex: true }));
    expect(Array.isArray(moved)).toBe(true);
    await page.evaluate(() => window.projector.setTitle('epoch-0'));
    expect(await page.evaluate(() => window.projector.state().columns)).toContain('neighbour change');
  });

  it('play visits every title in order and resolves on the last', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      const tick = () => {
        const t = window.projector.state().title;
        if (t && w.seen[w.seen.length - 1] !== t) w.seen.push(t);
        requestAnimationFrame(tick);
      };
      tick();
    });
    const s = await page.evaluate(() => window.projector.play({ intervalMs: 50 }));
    expect(s.title).toBe('epoch-4');
    expect(s.playing).toBe(false);
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.slice(seen.indexOf('epoch-0'))).toEqual(TITLES);
    await expect(page.getByTestId('title-select').inputValue()).resolves.toBe('epoch-4');
  });

  it('trails draw the selected points\' paths', async () => {
    await page.evaluate(() => window.projector.setViewOptions({ pointStyle: 'dots', pointScale: 0.25 }));
    await page.evaluate(() => window.projector.select(Array.from({ length: 300 }, (_, i) => i * 5)));
    await stableView(page);
    await page.waitForTimeout(300);
    await snapshot(page, 'before');
    await page.evaluate(() => window.projector.setViewOptions({ trails: true }));
    await page.waitForFunction(() => document.querySelector('canvas') && (window as unknown as { projector: { state(): { status: string } } }).projector.state().status === 'ready');
    await page.waitForTimeout(1500);
    await snapshot(page, 'after');
    const changed = await page.evaluate(() => {
      const w = window as unknown as Record<string, Uint8ClampedArray>;
      const a = w.snap_before;
      const b = w.snap_after;
      let n = 0;
      for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 40) n++;
      return n / (a.length / 4);
    });
    console.log(`trails changed ${(changed * 100).toFixed(2)}% of pixels`);
    expect(changed).toBeGreaterThan(0.002);
    expect(await drawnShare(page, 'after')).toBeGreaterThan(await drawnShare(page, 'before'));
  });
});

describe('side by side', () => {
  it('shows another title beside this one, with a linked camera and shared hover', async () => {
    const page = await openPage(browser, `${CONFIG}&title=epoch-4`);
    expect(await settled(page)).toBe('ready');
    const s = await page.evaluate(() => window.projector.compare('epoch-0'));
    expect(s.compare).toBe('epoch-0');
    await expect(page.getByTestId('compare-title').textContent()).resolves.toBe('epoch-0');
    const second = page.locator('[data-testid=compare-view] canvas');
    const box = (await second.boundingBox())!;
    const pixels = () => second.evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await page.waitForTimeout(500);
    const before = await pixels();
    // Orbit the main view: the second one turns with it.
    const main = (await page.locator('.viewer canvas').first().boundingBox())!;
    await page.mouse.move(main.x + main.width / 2, main.y + main.height / 2);
    await page.mouse.down();
    await page.mouse.move(main.x + main.width / 2 + 120, main.y + main.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(500);
    expect(await pixels()).not.toBe(before);
    // Hovering a point in the second view hovers it everywhere (the tooltip names it).
    let hovered: number | null = null;
    for (let gy = 1; gy < 12 && hovered === null; gy++) {
      for (let gx = 1; gx < 12 && hovered === null; gx++) {
        await page.mouse.move(box.x + (box.width * gx) / 12, box.y + (box.height * gy) / 12);
        await page.waitForTimeout(30);
        hovered = await page.evaluate(() => window.projector.hovered());
      }
    }
    expect(hovered).not.toBeNull();
    await page.waitForSelector('[data-testid=tooltip]');
    const closed = await page.evaluate(() => window.projector.compare(null));
    expect(closed.compare).toBeNull();
    expect(await page.locator('[data-testid=compare-view]').count()).toBe(0);
    await page.close();
  });
});

describe('Comet pictures keep their logged colours', () => {
  it('with tint auto the coloured sprite shows its own colours; tint on multiplies them', async () => {
    const page = await openPage(browser, `${CONFIG}&dim=2`);
    expect(await settled(page)).toBe('ready');
    await page.evaluate(() => window.projector.setViewOptions({ pointScale: 4, sizeUnits: 'screen', pointStyle: 'thumbnails' }));
    const [pt] = await isolatedPoints(page, 1, 34);
    expect(pt).toBeDefined();
    await expect(page.getByTestId('legend-note').textContent()).resolves.toMatch(/colours they were logged with/);
    /** The mean colour of the middle 4x4 pixels of the point's sprite cell, and of the canvas there (a 32 px picture: 4 px a pixel). */
    const colours = () =>
      page.evaluate(async ({ i, x, y }) => {
        const img = await createImageBitmap(await (await fetch('data/digits-mlp-epochs/embedding-image-digits-1797.png')).blob(), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
        const cols = Math.floor(img.width / 8);
        const c = new OffscreenCanvas(8, 8).getContext('2d')!;
        c.drawImage(img, (i % cols) * 8, Math.floor(i / cols) * 8, 8, 8, 0, 0, 8, 8);
        const mean = (d: Uint8ClampedArray) => {
          const m = [0, 0, 0];
          for (let k = 0; k < d.length; k += 4) for (let ch = 0; ch < 3; ch++) m[ch] += d[k + ch] / (d.length / 4);
          return m.map(Math.round);
        };
        const sprite = mean(c.getImageData(2, 2, 4, 4).data);
        const canvas = document.querySelector('canvas')!;
        const r = canvas.getBoundingClientRect();
        const ratio = canvas.width / r.width;
        const src = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
        src.drawImage(canvas, 0, 0);
        const half = 8 * ratio;
        const px = src.getImageData(Math.round((x - r.left) * ratio - half), Math.round((y - r.top) * ratio - half), Math.round(2 * half), Math.round(2 * half)).data;
        return { sprite, drawn: mean(px) };
      }, pt);
    const auto = await colours();
    expect(auto.sprite.some((v, k) => Math.abs(v - auto.sprite[(k + 1) % 3]) > 20)).toBe(true); // a coloured picture
    auto.drawn.forEach((v, k) => expect(Math.abs(v - auto.sprite[k])).toBeLessThanOrEqual(16));
    await page.evaluate(() => window.projector.setViewOptions({ tint: 'on' }));
    await page.waitForTimeout(300);
    const on = await colours();
    expect(on.drawn.some((v, k) => Math.abs(v - on.sprite[k]) > 30)).toBe(true);
    await page.close();
  });
});
