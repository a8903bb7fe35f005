/**
 * TF's remaining tools: Sphereize changes PCA exactly as centring and unit-normalising the vectors
 * first does; the Custom projection places GloVe words by their dot products with man -> woman
 * and king -> queen.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { stableView } from './view-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const rowsOf = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t').map(Number));

describe('TF tools', () => {
  it('Sphereize: PCA of the vectors centred and scaled to unit length', async () => {
    const page = await openPage(browser, '?config=data/iris/projector_config.json');
    expect(await settled(page)).toBe('ready');
    const plain = await page.evaluate(() => Array.from(window.projector.positions()));
    const s = await page.evaluate(() => window.projector.setProjection('pca', 3, { pca: { sphereize: true } }));
    expect(s.status).toBe('ready');
    const sphered = await page.evaluate(() => Array.from(window.projector.positions()));
    expect(sphered).not.toEqual(plain);
    // The same vectors, sphereized here and opened as files, give the same PCA layout.
    const rows = rowsOf('public/data/iris/tensors.tsv');
    const d = rows[0].length;
    const mean = Array.from({ length: d }, (_, c) => rows.reduce((a, r) => a + r[c], 0) / rows.length);
    const tsv = rows
      .map((r) => {
        const centred = r.map((v, c) => Math.fround(v) - mean[c]);
        const norm = Math.hypot(...centred);
        return centred.map((v) => String(Math.fround(v / norm))).join('\t');
      })
      .join('\n');
    const other = await openPage(browser, '?empty');
    await other.evaluate((text) => window.projector.loadFiles([new File([text], 'sphered.tsv')]), tsv);
    expect(await settled(other)).toBe('ready');
    await other.evaluate(() => window.projector.setProjection('pca', 3));
    const expected = await other.evaluate(() => Array.from(window.projector.positions()));
    sphered.forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThan(1e-4));
    await other.close();
    await page.close();
  });

  it('Custom: words placed by their dot products with man -> woman and king -> queen', async () => {
    const page = await openPage(browser, '?config=data/glove-100d-10k/projector_config.json');
    expect(await settled(page)).toBe('ready');
    const s = await page.evaluate(() =>
      window.projector.setProjection('custom', 2, { custom: { column: 'word', x: ['^man$', '^woman$'], y: ['^king$', '^queen$'], regex: true } }),
    );
    expect(s).toMatchObject({ status: 'ready', projection: { method: 'custom', dim: 2 } });
    await expect(page.getByTestId('custom-count-x0').textContent()).resolves.toContain('1 match');
    const ours = await page.evaluate(() => Array.from(window.projector.positions()));
    const words = readFileSync('public/data/glove-100d-10k/metadata.tsv', 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0]);
    const vecs = rowsOf('public/data/glove-100d-10k/tensors.tsv').map((r) => r.map(Math.fround));
    const v = (w: string) => vecs[words.indexOf(w)];
    const xDir = v('woman').map((a, c) => a - v('man')[c]);
    const yDir = v('queen').map((a, c) => a - v('king')[c]);
    const dot = (a: number[], b: number[]) => a.reduce((sum, x, c) => sum + x * b[c], 0);
    const x = vecs.map((r) => dot(r, xDir));
    const y = vecs.map((r) => dot(r, yDir));
    // Ours = the dot products centred and scaled by one factor (as every layout is).
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    const scale = Math.max(...x.map((xi, i) => Math.hypot(xi - mx, y[i] - my)));
    x.forEach((xi, i) => {
      expect(Math.abs(ours[3 * i] - (xi - mx) / scale)).toBeLessThan(1e-4);
      expect(Math.abs(ours[3 * i + 1] - (y[i] - my) / scale)).toBeLessThan(1e-4);
    });
    // "woman" is to the right of "man", "queen" above "king".
    const at = (w: string) => words.indexOf(w);
    expect(ours[3 * at('woman')]).toBeGreaterThan(ours[3 * at('man')]);
    expect(ours[3 * at('queen') + 1]).toBeGreaterThan(ours[3 * at('king') + 1]);
    await page.close();
  });

  it('Sequences: a __seq_next__ column draws a line from each point to its next', async () => {
    const page = await openPage(browser, '?config=fixtures/sequences/projector_config.json&dim=2');
    expect(await settled(page)).toBe('ready');
    await stableView(page);
    await page.waitForTimeout(300);
    const dark = await page.evaluate(() => {
      const canvas = document.querySelector('canvas')!;
      const r = canvas.getBoundingClientRect();
      const ratio = canvas.width / r.width;
      const ctx = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      const bg = ctx.getImageData(2, 2, 1, 1).data;
      /** Whether anything is drawn within 2 px of the midpoint between points a and b. */
      const drawnBetween = (a: number, b: number) => {
        const p = window.projector.screenPosition(a)!;
        const q = window.projector.screenPosition(b)!;
        const x = Math.round(((p.x + q.x) / 2 - r.left) * ratio);
        const y = Math.round(((p.y + q.y) / 2 - r.top) * ratio);
        const d = ctx.getImageData(x - 2, y - 2, 5, 5).data;
        for (let k = 0; k < d.length; k += 4) if (Math.abs(d[k] - bg[0]) + Math.abs(d[k + 1] - bg[1]) + Math.abs(d[k + 2] - bg[2]) > 40) return true;
        return false;
      };
      return { inSequence: [drawnBetween(0, 1), drawnBetween(5, 6), drawnBetween(10, 11)], across: [drawnBetween(3, 4), drawnBetween(0, 4)] };
    });
    expect(dark.inSequence).toEqual([true, true, true]);
    expect(dark.across).toEqual([false, false]);
    await page.close();
  });

  it('Edit labels: the selected points get a value in a new column, seen by colour and search, downloaded as TSV', async () => {
    const page = await openPage(browser, '?config=data/iris/projector_config.json');
    expect(await settled(page)).toBe('ready');
    await page.evaluate(() => window.projector.select([0, 1, 2]));
    await page.getByTestId('edit-column').fill('tag');
    await page.getByTestId('edit-value').fill('flower');
    await page.getByTestId('edit-apply').click();
    expect(await page.evaluate(() => window.projector.state().columns)).toContain('tag');
    await page.evaluate(() => window.projector.colorBy('tag'));
    expect(await page.locator('[data-testid=legend] li[data-value="flower"]').count()).toBe(1);
    expect(await page.evaluate(() => window.projector.search('flower', { column: 'tag' }))).toEqual([0, 1, 2]);
    const tsv = await page.evaluate(async () => (await window.projector.exportMetadata()).text());
    const lines = tsv.trim().split('\n');
    expect(lines[0].split('\t').at(-1)).toBe('tag');
    expect(lines.length).toBe(151);
    expect(lines[1].split('\t').at(-1)).toBe('flower');
    expect(lines[4].split('\t').at(-1)).toBe('');
    await page.close();
  });
});
