/**
 * Cross-origin isolation: served with COOP/COEP (as npm start, the dev server and projector serve
 * do) the vectors are held once in shared memory for the page and its workers; served without,
 * every job gets its own copy and the status line says so. Both give the same layouts and neighbours.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { startStaticServer } from './static-server';

let browser: Browser;
let plain: Awaited<ReturnType<typeof startStaticServer>>;
beforeAll(async () => {
  browser = await launch();
  plain = await startStaticServer({ '/': 'dist' }, { isolated: false });
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (plain ? plain.server.close(() => done()) : done()));
});

const CONFIG = '?config=data/mnist-2k/projector_config.json';

/** What the page computes from its vectors: PCA and UMAP positions, a row's neighbours. */
async function results(page: Page) {
  expect(await settled(page)).toBe('ready');
  const pca = await page.evaluate(() => Array.from(window.projector.positions()));
  const neighbours = await page.evaluate(() => window.projector.neighbors(5, 10, 'cosine'));
  const umap = await page.evaluate(() => window.projector.setProjection('umap', 2, { umap: { epochs: 50 } }));
  expect(umap.status).toBe('ready');
  const layout = await page.evaluate(() => Array.from(window.projector.positions()));
  return { pca, neighbours, layout };
}

describe('shared memory', () => {
  it('isolated: the page holds the vectors once and every job reads them; without isolation the same results, and the status line says so', async () => {
    // One thread each: UMAP on several threads is a different (equally good) layout.
    const isolated = await openPage(browser, `${CONFIG}&workers=1`);
    expect(await isolated.evaluate(() => window.crossOriginIsolated)).toBe(true);
    const a = await results(isolated);
    const view = await isolated.evaluate(() => window.projector.state());
    expect(view.sharedMemory).toBe(true);
    expect(await isolated.getByTestId('isolation-note').count()).toBe(0);
    await isolated.close();

    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(new URL(`${CONFIG}&workers=1`, plain.url).href);
    await page.waitForFunction(() => typeof window.projector !== 'undefined');
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
    const b = await results(page);
    expect(await page.evaluate(() => window.projector.state().sharedMemory)).toBe(false);
    await expect(page.getByTestId('isolation-note').textContent()).resolves.toMatch(/not cross-origin isolated/);
    await page.close();

    expect(b.pca).toEqual(a.pca);
    expect(b.neighbours).toEqual(a.neighbours);
    expect(b.layout).toEqual(a.layout);
  });

  it("t-SNE's repulsion runs on every thread asked for when isolated, one without isolation: the identical layout", async () => {
    const tsne = async (base: string, query: string) => {
      const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
      await page.goto(new URL(`${CONFIG}${query}`, base).href);
      await page.waitForFunction(() => typeof window.projector !== 'undefined');
      expect(await settled(page)).toBe('ready');
      const s = await page.evaluate(() => window.projector.setProjection('tsne', 2, { tsne: { iterations: 150 } }));
      expect(s.status).toBe('ready');
      const out = { threads: s.layoutThreads, positions: await page.evaluate(() => Array.from(window.projector.positions())) };
      await page.close();
      return out;
    };
    const { baseUrl } = await import('./browser');
    const two = await tsne(baseUrl(), '&workers=2');
    expect(two.threads).toBe(2);
    const one = await tsne(baseUrl(), '&workers=1');
    expect(one.threads).toBe(1);
    const plainRun = await tsne(plain.url, '&workers=2');
    expect(plainRun.threads).toBe(1);
    expect(plainRun.positions).toEqual(one.positions);
    expect(two.positions).toEqual(one.positions);
    expect(two.positions.every(Number.isFinite)).toBe(true);
  });

  it("UMAP's epochs on two threads when isolated: the same layout run to run, every point placed", async () => {
    const umap = async () => {
      const page = await openPage(browser, `${CONFIG}&workers=2`);
      expect(await settled(page)).toBe('ready');
      const s = await page.evaluate(() => window.projector.setProjection('umap', 2, { umap: { epochs: 100 } }));
      expect(s.status).toBe('ready');
      const out = { threads: s.layoutThreads, positions: await page.evaluate(() => Array.from(window.projector.positions())) };
      await page.close();
      return out;
    };
    const a = await umap();
    expect(a.threads).toBe(2);
    expect(a.positions.every(Number.isFinite)).toBe(true);
    const b = await umap();
    expect(b.positions).toEqual(a.positions);
  });

  it('GloVe 10k: the neighbour graph searched on two threads and t-SNE on two give the one-thread layout exactly', async () => {
    const run = async (workers: number) => {
      const page = await openPage(browser, `?config=data/glove-100d-10k/projector_config.json&workers=${workers}`);
      expect(await settled(page)).toBe('ready');
      const s = await page.evaluate(() => window.projector.setProjection('tsne', 2, { tsne: { iterations: 30 } }));
      expect(s.status).toBe('ready');
      const out = { threads: s.layoutThreads, positions: await page.evaluate(() => Array.from(window.projector.positions())) };
      await page.close();
      return out;
    };
    const two = await run(2);
    const one = await run(1);
    expect([two.threads, one.threads]).toEqual([2, 1]);
    expect(two.positions).toEqual(one.positions);
  });
});
