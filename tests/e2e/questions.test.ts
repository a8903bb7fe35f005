/**
 * Asking the cloud questions on real data: search GloVe for "king", its exact cosine neighbours
 * (checked against a brute-force computation here), a bad regex, isolating a result and showing
 * all again; on MNIST, isolating keeps each point's own picture and metadata, focus and fit move
 * the camera, and the legend works from the keyboard.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { isolatedPoints, stableView } from './view-helpers';

const words = readFileSync('public/data/glove-100d-10k/metadata.tsv', 'utf8').split('\n').slice(1).filter((l) => l !== '').map((l) => l.split('\t')[0]);

/** GloVe's vectors as the app holds them (float32), and exact cosine neighbours by brute force. */
function bruteForceCosine(query: number, k: number): { index: number; distance: number }[] {
  const rows = readFileSync('public/data/glove-100d-10k/tensors.tsv', 'utf8').split('\n').filter((l) => l.trim() !== '');
  const vecs = rows.map((l) => Float32Array.from(l.split('\t').map(Number)));
  const q = vecs[query];
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const qn = norm(q);
  const all = vecs
    .map((v, index) => {
      let dot = 0;
      for (let j = 0; j < v.length; j++) dot += q[j] * v[j];
      return { index, distance: 1 - dot / (qn * norm(v)) };
    })
    .filter((r) => r.index !== query);
  all.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return all.slice(0, k);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('GloVe: search, neighbours, isolate', () => {
  let page: Page;
  let king = -1;
  beforeAll(async () => {
    page = await openPage(browser, '?config=data/glove-100d-10k/projector_config.json');
    expect(await settled(page)).toBe('ready');
  });

  it('finds exactly one "king" with an anchored regex; it becomes the selection', async () => {
    const found = await page.evaluate(() => window.projector.search('^king$', { regex: true }));
    expect(found.length).toBe(1);
    king = found[0];
    expect(words[king]).toBe('king');
    expect(await page.evaluate(() => window.projector.selected())).toEqual([king]);
    await expect(page.getByTestId('search-count').textContent()).resolves.toBe('1 of 10,000');
    // A substring search is case-insensitive and ascending.
    const sub = await page.evaluate(() => window.projector.search('KING', { column: 'word' }));
    expect(sub).toEqual(words.flatMap((w, i) => (w.toLowerCase().includes('king') ? [i] : [])));
  });

  it('its 100 cosine neighbours are exact', async () => {
    const ours = await page.evaluate((i) => window.projector.neighbors(i, 100, 'cosine'), king);
    const ref = bruteForceCosine(king, 100);
    expect(ours.map((r) => r.index)).toEqual(ref.map((r) => r.index));
    ours.forEach((r, k) => expect(r.distance).toBeCloseTo(ref[k].distance, 5));
    expect(words[ours[0].index]).toBe('prince');
  });

  it('the inspector lists them, says how many the layout kept, and a row inspects its point', async () => {
    await page.evaluate((i) => window.projector.inspect(i), king);
    await expect(page.getByTestId('inspector-name').textContent()).resolves.toBe('king');
    const rows = page.locator('[data-testid=neighbor-list] li button');
    expect(await rows.count()).toBe(100);
    const ref = bruteForceCosine(king, 3);
    expect(await rows.nth(0).locator('.result-name').textContent()).toBe(words[ref[0].index]);
    expect(await page.getByTestId('inspector-kept').textContent()).toMatch(/^\d+ of 100 kept in this layout$/);
    await rows.nth(1).hover();
    expect(await page.evaluate(() => window.projector.hovered())).toBe(ref[1].index);
    await rows.nth(1).click();
    await expect(page.getByTestId('inspector-name').textContent()).resolves.toBe(words[ref[1].index]);
  });

  it('a regular expression that does not compile shows its message and changes nothing', async () => {
    await page.evaluate((i) => window.projector.select([i]), king);
    const message = await page.evaluate(() => window.projector.search('(king', { regex: true }).then(() => null, (e: Error) => e.message));
    expect(message).toMatch(/Invalid regular expression/);
    expect(await page.evaluate(() => window.projector.selected())).toEqual([king]);
    await page.getByTestId('search-regex').check();
    await page.keyboard.press('/');
    await page.keyboard.type('[a-');
    await page.waitForTimeout(400);
    await expect(page.getByTestId('search-error').textContent()).resolves.toMatch(/Invalid regular expression/);
    expect(await page.evaluate(() => window.projector.selected())).toEqual([king]);
  });

  it('isolating a search result re-projects just it; show all returns at once', async () => {
    const before = await page.evaluate(() => Array.from(window.projector.positions()));
    const found = await page.evaluate(() => window.projector.search('^(king|queen|prince|princess|duke|emperor|throne|royal|monarch|.*land)$', { regex: true }));
    expect(found.length).toBeGreaterThan(20);
    const s = await page.evaluate((f) => window.projector.isolate(f), found);
    expect(s.status).toBe('ready');
    expect(s.isolated).toBe(found.length);
    await expect(page.getByTestId('isolated-note').textContent()).resolves.toContain(`showing ${found.length} of 10,000`);
    const pos = await page.evaluate(() => Array.from(window.projector.positions()));
    expect(pos.length).toBe(30000);
    const shown = new Set(found);
    for (let i = 0; i < 10000; i++) {
      const finite = Number.isFinite(pos[3 * i]);
      expect(finite).toBe(shown.has(i));
    }
    // Not shown: no screen position, no search hit.
    const outside = [0, 1, 2].find((i) => !shown.has(i))!;
    expect(await page.evaluate((i) => window.projector.screenPosition(i), outside)).toBeNull();
    expect(await page.evaluate(() => window.projector.search('^the$', { regex: true }))).toEqual([]);
    // Hover names the shown point under the cursor, with its own row's word.
    await stableView(page);
    const p = await page.evaluate((i) => window.projector.screenPosition(i), found[0]);
    await page.mouse.move(p!.x, p!.y);
    await page.waitForFunction(() => window.projector.hovered() !== null);
    const hovered = await page.evaluate(() => window.projector.hovered());
    expect(shown.has(hovered!)).toBe(true);
    await expect(page.getByTestId('tooltip').locator('dd').first().textContent()).resolves.toBe(words[hovered!]);
    // Isolating within the isolated set narrows it.
    const inner = await page.evaluate((f) => window.projector.isolate(f.slice(0, 10)), found);
    expect(inner.isolated).toBe(10);

    const t0 = Date.now();
    const all = await page.evaluate(() => window.projector.isolate(null));
    expect(all.isolated).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await page.evaluate(() => Array.from(window.projector.positions()))).toEqual(before);
    expect(await page.locator('[data-testid=isolated-note]').count()).toBe(0);
  });
});

describe('MNIST: isolate keeps pictures; focus, fit, keyboard', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPage(browser, '?config=data/mnist-2k/projector_config.json');
    expect(await settled(page)).toBe('ready');
  });

  it('isolated digits are laid out again by UMAP, every one placed, each hovered with its own label and picture', async () => {
    const threes = await page.evaluate(() => window.projector.search('^3$', { column: 'label', regex: true }));
    expect(threes.length).toBeGreaterThan(150);
    await page.evaluate((f) => window.projector.isolate(f), threes);
    const s = await page.evaluate(() => window.projector.setProjection('umap', 2));
    expect(s).toMatchObject({ status: 'ready', isolated: threes.length });
    const pos = await page.evaluate(() => Array.from(window.projector.positions()));
    const shown = new Set(threes);
    for (let i = 0; i < 2000; i++) expect(Number.isFinite(pos[3 * i])).toBe(shown.has(i));
    const pts = await isolatedPoints(page, 5, 30);
    expect(pts.length).toBeGreaterThan(0);
    for (const { i, x, y } of pts) {
      expect(shown.has(i)).toBe(true);
      await page.mouse.move(x, y);
      await page.waitForFunction((i) => window.projector.hovered() === i, i);
      // The id buffer (what the GPU drew there) names the same row.
      expect(await page.evaluate(({ x, y }) => window.projector.debug.pickAt(x, y, 'gpu').index, { x, y })).toBe(i);
      await expect(page.getByTestId('tooltip').locator('dd').first().textContent()).resolves.toBe('3');
    }
    await page.mouse.move(1, 1);
    // Down to one point: it is placed, alone, at the centre.
    const one = await page.evaluate((i) => window.projector.isolate([i]), threes[0]);
    expect(one).toMatchObject({ status: 'ready', isolated: 1 });
    expect(await page.evaluate((i) => window.projector.screenPosition(i), threes[0])).not.toBeNull();
    const back = await page.evaluate(() => window.projector.isolate(null));
    expect(back.isolated).toBeNull();
    await page.evaluate(() => window.projector.setProjection('pca', 3));
  });

  it('double-click flies to a point; Fit frames everything again', async () => {
    const [pt] = await isolatedPoints(page, 1, 20);
    const canvas = (await page.locator('.viewer canvas').first().boundingBox())!;
    await page.mouse.dblclick(pt.x, pt.y);
    await page.waitForTimeout(900);
    const after = await page.evaluate((i) => window.projector.screenPosition(i), pt.i);
    const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
    expect(Math.hypot(after!.x - centre.x, after!.y - centre.y)).toBeLessThan(Math.hypot(pt.x - centre.x, pt.y - centre.y));
    expect(Math.hypot(after!.x - centre.x, after!.y - centre.y)).toBeLessThan(120);
    await page.getByTestId('fit').click();
    await stableView(page);
    const inView = await page.evaluate(() => {
      let n = 0;
      for (let i = 0; i < 2000; i++) if (window.projector.screenPosition(i)) n++;
      return n;
    });
    expect(inView).toBe(2000);
  });

  it('legend items work from the keyboard', async () => {
    const item = page.locator('[data-testid=legend] li[data-value="7"]');
    await item.focus();
    await page.keyboard.press('Enter');
    expect(await item.getAttribute('class')).toBe('off');
    await page.keyboard.press(' ');
    expect(await item.getAttribute('class')).toBeNull();
  });

  it('the search box: "/" focuses it, results list, a click inspects the point', async () => {
    // The box shows the last search a script made (^3$ as a regex, in label).
    expect(await page.getByTestId('search-input').inputValue()).toBe('^3$');
    await page.getByTestId('search-regex').uncheck();
    await page.mouse.click(5, 300);
    await page.keyboard.press('/');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('9');
    await page.getByTestId('search-column').selectOption('label');
    await page.waitForFunction(() => document.querySelector('[data-testid=search-count]')?.textContent?.includes(' of 2,000'));
    const count = await page.getByTestId('search-count').textContent();
    const n = Number(count!.split(' ')[0].replace(',', ''));
    expect(n).toBeGreaterThan(150);
    expect(await page.locator('[data-testid=search-results] li button').count()).toBe(100);
    expect((await page.evaluate(() => window.projector.selected())).length).toBe(n);
    const first = Number(await page.locator('[data-testid=search-results] li button').first().getAttribute('data-index'));
    await page.locator('[data-testid=search-results] li button').first().click();
    await page.waitForSelector('[data-testid=neighbor-list] li');
    await expect(page.getByTestId('inspector').locator('dd').first().textContent()).resolves.toBe(String(first));
    expect(await page.locator('[data-testid=inspector] canvas.thumbnail').first().isVisible()).toBe(true);
  });
});
