/**
 * Keeping and sharing a view: the link reproduces title, layout (same seed), colours, filters,
 * selection and camera in a fresh page; exports parse back to what is on screen; a view of local
 * files is kept as a session instead of a link.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { snapshot, stableView } from './view-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a view in a link', () => {
  it('a fresh page opened on shareUrl() shows the same state, positions, camera and pixels', async () => {
    const page = await openPage(browser, '?config=data/mnist-2k/projector_config.json');
    expect(await settled(page)).toBe('ready');
    const s = await page.evaluate(() => window.projector.setProjection('umap', 2, { umap: { seed: 7, epochs: 120 } }));
    expect(s.status).toBe('ready');
    await page.evaluate(() => {
      window.projector.hide(['3']);
      window.projector.select([1, 2, 5, 8, 13, 21, 34, 55, 89, 144]);
      window.projector.setViewOptions({ pointScale: 1.5 });
    });
    // Pan the map.
    const box = (await page.locator('.viewer canvas').first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 4 });
    await page.mouse.up();
    await stableView(page);
    await page.waitForFunction(() => location.search.includes('view='));
    const url = await page.evaluate(() => window.projector.shareUrl());
    expect(url).toContain('view=');
    const before = await page.evaluate(() => ({
      state: window.projector.state(),
      view: window.projector.viewState(),
      positions: Array.from(window.projector.positions()),
      screen: [1, 2, 100, 1500].map((i) => window.projector.screenPosition(i)),
    }));
    await snapshot(page, 'a');
    const a = await page.evaluate(() => Array.from((window as unknown as Record<string, Uint8ClampedArray>).snap_a));

    const other = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await other.goto(url);
    await other.waitForFunction(() => typeof window.projector !== 'undefined');
    await other.waitForFunction(() => window.projector.state().status === 'ready' && window.projector.state().projection.method === 'umap' && window.projector.selected().length === 10, null, { timeout: 90_000 });
    await stableView(other);
    await other.waitForTimeout(500);
    const after = await other.evaluate(() => ({
      state: window.projector.state(),
      view: window.projector.viewState(),
      positions: Array.from(window.projector.positions()),
      screen: [1, 2, 100, 1500].map((i) => window.projector.screenPosition(i)),
    }));
    expect(after.state).toMatchObject({ title: before.state.title, projection: { method: 'umap', dim: 2 }, colorColumn: 'label' });
    expect(after.view.hidden).toEqual(['3']);
    expect(after.view.selected).toEqual(before.view.selected);
    expect(after.view.settings.umap.seed).toBe(7);
    after.positions.forEach((v, k) => (Number.isNaN(before.positions[k]) ? expect(v).toBeNaN() : expect(Math.abs(v - before.positions[k])).toBeLessThan(1e-4)));
    after.screen.forEach((p, k) => {
      expect(Math.abs(p!.x - before.screen[k]!.x)).toBeLessThan(1);
      expect(Math.abs(p!.y - before.screen[k]!.y)).toBeLessThan(1);
    });
    await snapshot(other, 'b');
    const b = await other.evaluate(() => Array.from((window as unknown as Record<string, Uint8ClampedArray>).snap_b));
    let differ = 0;
    for (let k = 0; k < a.length; k += 4) if (Math.abs(a[k] - b[k]) + Math.abs(a[k + 1] - b[k + 1]) + Math.abs(a[k + 2] - b[k + 2]) > 30) differ++;
    expect(differ / (a.length / 4)).toBeLessThan(0.01);
    await other.close();

    // Exports parse back to what is on screen.
    const exported = await page.evaluate(async () => {
      const tsv = await (await window.projector.exportCoordinates('tsv')).text();
      const npy = new Uint8Array(await (await window.projector.exportCoordinates('npy')).arrayBuffer());
      const sel = await (await window.projector.exportSelection()).text();
      const png = await window.projector.exportPng(2, true);
      const bitmap = await createImageBitmap(png);
      const canvas = document.querySelector('canvas')!;
      return { tsv, npy: Array.from(npy), sel, png: [bitmap.width, bitmap.height, canvas.clientWidth, canvas.clientHeight] };
    });
    const lines = exported.tsv.trim().split('\n');
    expect(lines[0]).toBe('x\ty\tlabel\tmnist_test_index');
    expect(lines.length).toBe(2001);
    lines.slice(1).forEach((line, i) => {
      const [x, y] = line.split('\t');
      if (Number.isNaN(before.positions[3 * i])) expect(x).toBe('');
      else {
        expect(Math.fround(Number(x))).toBe(before.positions[3 * i]);
        expect(Math.fround(Number(y))).toBe(before.positions[3 * i + 1]);
      }
    });
    const npy = Uint8Array.from(exported.npy);
    const headerLen = npy[8] | (npy[9] << 8);
    const header = new TextDecoder().decode(npy.subarray(10, 10 + headerLen));
    expect(header).toContain("'shape': (2000, 2)");
    const values = new Float32Array(npy.slice(10 + headerLen).buffer);
    expect(values[2 * 5]).toBe(before.positions[3 * 5]);
    expect(exported.sel.split('\n')[0]).toBe('index\tlabel\tmnist_test_index');
    expect(exported.sel.trim().split('\n').length).toBe(11);
    expect(exported.png[0]).toBe(exported.png[2] * 2);
    expect(exported.png[1]).toBe(exported.png[3] * 2);
    await page.close();
  });

  it('local files: no link, the page says so; a session applies once the same files are open', async () => {
    const page = await openPage(browser, '?empty');
    await page.getByTestId('file-input').setInputFiles(['public/data/iris/tensors.tsv', 'public/data/iris/metadata.tsv']);
    expect(await settled(page)).toBe('ready');
    const refused = await page.evaluate(() => {
      try {
        window.projector.shareUrl();
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(refused).toMatch(/local files/);
    await page.getByTestId('share-menu').locator('summary').click();
    await expect(page.getByTestId('local-note').textContent()).resolves.toMatch(/a link cannot carry them/);
    await page.evaluate(() => window.projector.select([0, 1, 2]));
    const session = await page.evaluate(() => window.projector.viewState());
    expect(session.configs).toBeNull();
    await page.evaluate(() => window.projector.select([]));
    const s = await page.evaluate((v) => window.projector.applyViewState(v), session);
    expect(s.status).toBe('ready');
    expect(await page.evaluate(() => window.projector.selected())).toEqual([0, 1, 2]);
    await page.close();
  });

  it('TF bookmarks: a file in TF\'s format applies exactly; ours download in that format and apply again', async () => {
    const page = await openPage(browser, '?config=fixtures/bookmarks/projector_config.json');
    expect(await settled(page)).toBe('ready');
    await page.waitForFunction(() => window.projector.bookmarks().length === 2);
    expect(await page.evaluate(() => window.projector.bookmarks())).toEqual([{ label: 'PCA as TF saved it' }, { label: 't-SNE grid' }]);
    const saved = JSON.parse(readFileSync('tests/fixtures/bookmarks/bookmarks.json', 'utf8')) as { projections: Record<string, number>[] }[];
    const tsne = await page.evaluate(() => window.projector.applyBookmark(1));
    expect(tsne).toMatchObject({ status: 'ready', projection: { method: 'tsne', dim: 2 }, colorColumn: null });
    const p1 = await page.evaluate(() => Array.from(window.projector.positions()));
    saved[1].projections.forEach((p, i) => {
      expect(p1[3 * i]).toBe(Math.fround(p['tsne-0']));
      expect(p1[3 * i + 1]).toBe(Math.fround(p['tsne-1']));
    });
    expect(await page.evaluate(() => window.projector.selected())).toEqual([5, 50, 149]);
    const pca = await page.evaluate(() => window.projector.applyBookmark(0));
    expect(pca).toMatchObject({ projection: { method: 'pca', dim: 3 }, colorColumn: 'species' });
    const p0 = await page.evaluate(() => Array.from(window.projector.positions()));
    saved[0].projections.forEach((p, i) => expect([p0[3 * i], p0[3 * i + 1], p0[3 * i + 2]]).toEqual([p['pca-0'], p['pca-1'], p['pca-2']].map(Math.fround)));
    // Every point of a saved layout is on screen, at its saved place.
    await stableView(page);
    expect(await page.evaluate(() => window.projector.screenPosition(75))).not.toBeNull();

    // Ours: the layout on screen, downloaded as TF's JSON array, applies again exactly.
    await page.evaluate(() => window.projector.setProjection('pca', 2));
    const mine = await page.evaluate(() => Array.from(window.projector.positions()));
    await page.evaluate(() => window.projector.addBookmark('mine'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bookmarks-download').click()]);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, unknown>[];
    expect(file.length).toBe(3);
    for (const field of ['projections', 'selectedPoints', 'selectedProjection', 'pcaComponentDimensions', 'tSNEIteration', 'tSNEPerplexity', 'tSNELearningRate', 'dataSetDimensions']) {
      expect(file[2][field]).toBeDefined();
    }
    expect(file[2]).toMatchObject({ label: 'mine', selectedProjection: 'pca', dataSetDimensions: [150, 4] });
    await page.evaluate(() => window.projector.applyBookmark(1));
    await page.evaluate(() => window.projector.applyBookmark(2));
    expect(await page.evaluate(() => Array.from(window.projector.positions()))).toEqual(mine);
    await page.close();
  });
});
