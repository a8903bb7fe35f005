/** Issue 4 in the browser: colour, legend filters, selection, labels, exact hover, sprites split across textures, 100k points. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { drawnShare, snapshot } from './view-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Share of pixels whose colour differs by more than `tol` (sum over RGB) between two snapshots. */
const changedShare = (page: Page, a: string, b: string, tol = 60) =>
  page.evaluate(
    ({ a, b, tol }) => {
      const w = window as unknown as Record<string, Uint8ClampedArray>;
      const x = w[`snap_${a}`];
      const y = w[`snap_${b}`];
      let changed = 0;
      for (let i = 0; i < x.length; i += 4) if (Math.abs(x[i] - y[i]) + Math.abs(x[i + 1] - y[i + 1]) + Math.abs(x[i + 2] - y[i + 2]) > tol) changed++;
      return changed / (x.length / 4);
    },
    { a, b, tol },
  );

/** Waits until two frames in a row leave every sampled point where it was. */
async function still(page: Page) {
  const probe = () => page.evaluate(() => JSON.stringify([0, 1, 2, 50, 99].map((i) => window.projector.screenPosition(i))));
  let last = await probe();
  for (let k = 0; k < 60; k++) {
    await page.waitForTimeout(120);
    const now = await probe();
    if (now === last) return;
    last = now;
  }
}

describe('colour and the legend', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPage(browser, '?config=data/mnist-2k/projector_config.json');
    expect(await settled(page)).toBe('ready');
    await still(page);
  });
  afterAll(() => page.close());

  it('switching the colour column recolours the pictures on screen', async () => {
    await snapshot(page, 'label');
    await page.getByTestId('color-select').selectOption({ label: 'mnist_test_index' });
    await page.waitForTimeout(300);
    await snapshot(page, 'index');
    // Digits were 10 categorical colours; test indices are a viridis ramp: many drawn pixels change.
    const drawn = await drawnShare(page, 'label');
    expect(await changedShare(page, 'label', 'index')).toBeGreaterThan(drawn * 0.3);
    await expect(page.getByTestId('legend').textContent()).resolves.toContain('mnist_test_index');
    await page.getByTestId('color-select').selectOption({ label: 'label' });
    await page.waitForTimeout(300);
    await snapshot(page, 'label2');
    expect(await changedShare(page, 'label', 'label2')).toBeLessThan(0.001);
  });

  it('a legend click hides a category; shift-click shows only one; show all brings them back', async () => {
    const visibleWith = () =>
      page.evaluate(() => {
        const n = window.projector.state().numPoints;
        let visible = 0;
        for (let i = 0; i < n; i++) if (window.projector.screenPosition(i)) visible++;
        return visible;
      });
    const all = await visibleWith();
    const legend = page.getByTestId('legend');
    const ones = Number(await legend.locator('li[data-value="1"] .legend-count').textContent());
    const threes = Number(await legend.locator('li[data-value="3"] .legend-count').textContent());
    await legend.locator('li[data-value="1"]').click();
    await expect.poll(visibleWith).toBe(all - ones);
    // The points' state changes before the next frame draws it: look until that frame is on the canvas.
    const before = await drawnShare(page, 'label');
    await expect
      .poll(async () => {
        await snapshot(page, 'no-ones');
        return drawnShare(page, 'no-ones');
      })
      .toBeLessThan(before);
    await legend.locator('li[data-value="3"]').click({ modifiers: ['Shift'] });
    await expect.poll(visibleWith).toBe(threes);
    // Hidden points cannot be hovered or selected.
    await page.evaluate(() => window.projector.select([0, 1, 2]));
    await page.getByTestId('legend-show-all').click();
    await expect.poll(visibleWith).toBe(all);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('selection-count').textContent()).resolves.toBe('none selected');
  });
});

describe('selection on a known layout', () => {
  let page: Page;
  /** Client position of grid point (col, row), interpolated between points for half-way values. */
  let at: (col: number, row: number) => { x: number; y: number };

  async function gridGeometry() {
    await still(page);
    const p = (i: number) => page.evaluate((i) => window.projector.screenPosition(i)!, i);
    const o = await p(0);
    const dx = await p(1);
    const dy = await p(10);
    at = (col, row) => ({ x: o.x + col * (dx.x - o.x) + row * (dy.x - o.x), y: o.y + col * (dx.y - o.y) + row * (dy.y - o.y) });
  }

  async function drag(points: { x: number; y: number }[], shift = false) {
    await page.getByTestId('selection-overlay').waitFor();
    if (shift) await page.keyboard.down('Shift');
    await page.mouse.move(points[0].x, points[0].y);
    await page.mouse.down();
    for (const q of points.slice(1)) await page.mouse.move(q.x, q.y, { steps: 6 });
    await page.mouse.up();
    if (shift) await page.keyboard.up('Shift');
  }

  const selected = () => page.evaluate(() => window.projector.selected());
  const gridIndices = (keep: (c: number, r: number) => boolean) => {
    const out: number[] = [];
    for (let r = 0; r < 10; r++) for (let c = 0; c < 10; c++) if (keep(c, r)) out.push(r * 10 + c);
    return out;
  };

  beforeAll(async () => {
    page = await openPage(browser, '?config=fixtures/grid/projector_config.json&dim=2');
    expect(await settled(page)).toBe('ready');
  });
  afterAll(() => page.close());

  it('2D: a box selects exactly the points inside it, and shift adds a second box', async () => {
    await gridGeometry();
    await page.getByTestId('tool-box').click();
    await drag([at(1.5, 2.5), at(5.5, 6.5)]);
    expect(await selected()).toEqual(gridIndices((c, r) => c >= 2 && c <= 5 && r >= 3 && r <= 6));
    await expect(page.getByTestId('selection-count').textContent()).resolves.toBe('16 selected');
    await drag([at(7.5, 7.5), at(9.5, 9.5)], true);
    expect((await selected()).length).toBe(16 + 4);
    await page.keyboard.press('Escape');
    expect(await selected()).toEqual([]);
  });

  it('2D: a lasso selects the points inside the drawn shape', async () => {
    await page.getByTestId('tool-lasso').click();
    // The long side runs at c + r = 8.9: points at c + r = 9 lie clearly outside, not on the line.
    await drag([at(0.5, 0.5), at(8.4, 0.5), at(0.5, 8.4), at(0.5, 0.6)]);
    expect(await selected()).toEqual(gridIndices((c, r) => c >= 1 && r >= 1 && c + r <= 8));
    await page.getByTestId('tool-lasso').click();
  });

  it('click selects one point, shift-click adds, clicking empty space clears', async () => {
    const a = at(3, 3);
    const b = at(6, 2);
    await page.mouse.click(a.x, a.y);
    expect(await selected()).toEqual([33]);
    await page.keyboard.down('Shift');
    await page.mouse.click(b.x, b.y);
    await page.keyboard.up('Shift');
    expect(await selected()).toEqual([26, 33]);
    const empty = at(4.5, 4.5);
    await page.mouse.click(empty.x, empty.y);
    expect(await selected()).toEqual([]);
  });

  it('labels name the selected points as text, never as HTML', async () => {
    await page.getByTestId('label-select').selectOption({ label: 'markup' });
    await page.evaluate(() => window.projector.select([0, 55, 99]));
    const layer = page.locator('.label-layer');
    await expect.poll(() => layer.locator('.point-label.selected').count()).toBe(3);
    const texts = await layer.locator('.point-label').allTextContents();
    expect(texts).toEqual(expect.arrayContaining(['<b>bold 0</b>', '<b>bold 55</b>', '<b>bold 99</b>']));
    await expect(layer.locator('b').count()).resolves.toBe(0);
    await page.getByTestId('label-select').selectOption({ label: 'none' });
    await expect(layer.locator('.point-label').count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
  });

  it('2D is a map: a drag pans every point by the same amount; the wheel zooms', async () => {
    const before = at(0, 0);
    const span = at(9, 0).x - before.x;
    await page.mouse.move(500, 400);
    await page.mouse.down();
    await page.mouse.move(560, 370, { steps: 5 });
    await page.mouse.up();
    await gridGeometry();
    const after = at(0, 0);
    expect(after.x - before.x).toBeCloseTo(60, 0);
    expect(after.y - before.y).toBeCloseTo(-30, 0);
    // No rotation: the grid's rows stay horizontal and keep their length.
    expect(at(9, 0).x - after.x).toBeCloseTo(span, 0);
    expect(at(9, 0).y - after.y).toBeCloseTo(0, 1);
    await page.mouse.wheel(0, -300);
    await gridGeometry();
    expect(at(9, 0).x - at(0, 0).x).toBeGreaterThan(span * 1.03);
  });

  it('3D: a box selects in screen space too', async () => {
    await page.evaluate(() => window.projector.setProjection('pca', 3));
    await gridGeometry();
    await page.getByTestId('tool-box').click();
    await drag([at(-0.5, -0.5), at(2.5, 9.5)]);
    expect(await selected()).toEqual(gridIndices((c) => c <= 2));
    await page.getByTestId('tool-box').click();
  });
});

/**
 * Hover against the GPU's own answer: the points are drawn again with their index as colour and
 * the pixel under the cursor read back. For 200 points clearly visible at their centre, hovering
 * there must name exactly the point drawn on top.
 */
async function hoverMatchesGpu(page: Page, count: number) {
  await still(page);
  const targets = await page.evaluate((count) => {
    const p = window.projector;
    const n = p.state().numPoints;
    const out: { i: number; x: number; y: number }[] = [];
    for (let i = 0; i < n && out.length < count; i += 1 + (i % 3)) {
      const s = p.screenPosition(i);
      if (!s) continue;
      const x = Math.floor(s.x) + 0.5;
      const y = Math.floor(s.y) + 0.5;
      if (document.elementFromPoint(x, y)?.tagName !== 'CANVAS') continue;
      // Clearly visible: the GPU shows it at the centre pixel and all eight around it (GPU and CPU
      // may differ by a fraction of a pixel exactly on a neighbour's edge).
      let shown = true;
      for (let dy = -1; dy <= 1 && shown; dy++) for (let dx = -1; dx <= 1 && shown; dx++) shown = p.debug.pickAt(x + dx, y + dy, 'gpu').index === i;
      if (shown) out.push({ i, x, y });
    }
    return out;
  }, count);
  expect(targets.length).toBe(count);
  await page.evaluate(() => {
    const w = window as unknown as { lastMove: [number, number] };
    document.querySelector('canvas')!.addEventListener('pointermove', (e) => (w.lastMove = [e.clientX, e.clientY]));
  });
  let agree = 0;
  const misses: unknown[] = [];
  for (const { i, x, y } of targets) {
    await page.mouse.move(x, y);
    // Hover picks in the frame after the move: two frames later it has answered.
    const got = await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const [x, y] = (window as unknown as { lastMove: [number, number] }).lastMove;
      return { hovered: window.projector.hovered(), gpu: window.projector.debug.pickAt(x, y, 'gpu').index };
    });
    if (got.hovered === got.gpu && got.gpu === i) agree++;
    else misses.push({ i, ...got });
  }
  expect(misses).toEqual([]);
  return agree;
}

describe('exact hover', () => {
  it('200 points on MNIST in 3D and in 2D: hover names the point drawn on top, as the GPU draws it', async () => {
    const page = await openPage(browser, '?config=data/mnist-2k/projector_config.json');
    expect(await settled(page)).toBe('ready');
    expect(await hoverMatchesGpu(page, 200)).toBe(200);
    await page.evaluate(() => window.projector.setProjection('pca', 2));
    expect(await hoverMatchesGpu(page, 200)).toBe(200);
    await page.close();
  });
});

describe('sprites and sizes', () => {
  it('an atlas over the GPU limit is split across textures and draws the same pictures', async () => {
    const whole = await openPage(browser, '?config=data/mnist-2k/projector_config.json&dim=2');
    expect(await settled(whole)).toBe('ready');
    await still(whole);
    const split = await openPage(browser, '?config=data/mnist-2k/projector_config.json&dim=2&maxTextureSize=1024');
    expect(await settled(split)).toBe('ready');
    await still(split);
    const pixels = async (p: Page) => {
      await snapshot(p, 'x');
      return p.evaluate(() => Array.from((window as unknown as { snap_x: Uint8ClampedArray }).snap_x));
    };
    const a = await pixels(whole);
    const b = await pixels(split);
    let differ = 0;
    for (let k = 0; k < a.length; k += 4) if (Math.abs(a[k] - b[k]) + Math.abs(a[k + 1] - b[k + 1]) + Math.abs(a[k + 2] - b[k + 2]) > 30) differ++;
    expect(differ / (a.length / 4)).toBeLessThan(0.002);
    await expect(split.getByTestId('notice').count()).resolves.toBe(0);
    await whole.close();
    await split.close();
  });

  it('an atlas too big even for the pages is downscaled with a notice, never dropped', async () => {
    const page = await openPage(browser, '?config=data/mnist-2k/projector_config.json&dim=2&maxTextureSize=256');
    expect(await settled(page)).toBe('ready');
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/downscaled from 28×28 to \d+×\d+ px/);
    await still(page);
    await snapshot(page, 'small');
    expect(await drawnShare(page, 'small')).toBeGreaterThan(0.02);
    await page.close();
  });

  it('the size slider enlarges points; dots replace the pictures', async () => {
    const page = await openPage(browser, '?config=data/mnist-2k/projector_config.json&dim=2');
    expect(await settled(page)).toBe('ready');
    await still(page);
    await snapshot(page, 'one');
    await page.getByTestId('point-size').fill('1');
    await page.waitForTimeout(300);
    await snapshot(page, 'two');
    expect(await drawnShare(page, 'two')).toBeGreaterThan((await drawnShare(page, 'one')) * 1.3);
    await page.getByTestId('point-style').selectOption('dots');
    await page.waitForTimeout(300);
    await snapshot(page, 'dots');
    expect(await changedShare(page, 'two', 'dots')).toBeGreaterThan(0.02);
    await page.close();
  });
});

describe('a 100k-point view', () => {
  it('loads, orbits, hovers and box-selects without locking up', async () => {
    const page = await openPage(browser, '?empty', { width: 800, height: 600 });
    const state = await page.evaluate(async () => {
      // 100k points in 3 dims (shown as they are), ten clusters, with a label column.
      let seed = 7;
      const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
      const rows: string[] = [];
      // One column: TF reads it without a header line.
      const labels: string[] = [];
      for (let i = 0; i < 100_000; i++) {
        const k = i % 10;
        rows.push([Math.cos(k) * 3 + rnd(), Math.sin(k) * 3 + rnd(), k * 0.3 + rnd()].map((v) => v.toFixed(4)).join('\t'));
        labels.push(`c${k}`);
      }
      const files = [new File([rows.join('\n')], 'vectors.tsv'), new File([labels.join('\n')], 'metadata.tsv')];
      return window.projector.loadFiles(files);
    });
    expect(state).toMatchObject({ status: 'ready', error: null, numPoints: 100_000 });
    // One buffer each for position and colour (3 floats), index (1 float) and state (1 byte).
    const memory = await page.evaluate(() => window.projector.debug.memory());
    expect(memory.gpuBufferBytes).toBe(100_000 * (12 + 12 + 4 + 1));
    const frames = await page.evaluate(() => window.projector.debug.measureOrbit(3));
    expect(frames).toHaveLength(3);
    expect(Math.min(...frames)).toBeGreaterThan(0);
    // Orbit by dragging: the view turns.
    const before = await page.evaluate(() => window.projector.screenPosition(0));
    await page.mouse.move(400, 300);
    await page.mouse.down();
    await page.mouse.move(480, 320, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.evaluate(() => window.projector.screenPosition(0))).not.toEqual(before);
    await still(page);
    // Hover answers within a frame or two even now.
    const target = await page.evaluate(() => {
      for (let i = 0; i < 100_000; i += 997) {
        const s = window.projector.screenPosition(i);
        if (s && document.elementFromPoint(s.x, s.y)?.tagName === 'CANVAS') return s;
      }
      return null;
    });
    const t0 = Date.now();
    await page.mouse.move(target!.x, target!.y);
    await page.waitForFunction(() => window.projector.hovered() !== null);
    await page.getByTestId('tooltip').waitFor();
    expect(Date.now() - t0).toBeLessThan(2000);
    await page.getByTestId('tool-box').click();
    await page.getByTestId('selection-overlay').waitFor();
    await page.mouse.move(300, 200);
    await page.mouse.down();
    await page.mouse.move(500, 400, { steps: 3 });
    await page.mouse.up();
    const count = await page.evaluate(() => window.projector.selected().length);
    expect(count).toBeGreaterThan(100);
    await expect(page.getByTestId('selection-count').textContent()).resolves.toBe(`${count.toLocaleString('en-US')} selected`);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('selection-count').textContent()).resolves.toBe('none selected');
    await page.close();
  });
});
