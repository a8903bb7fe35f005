/**
 * TF's remaining tools: Sphereize changes PCA exactly as centring and unit-normalising the vectors
 * first does; the Custom projection places GloVe words by their dot products with man -> woman
 * and king -> queen.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';

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
});
