/** PCA -> UMAP -> t-SNE on mnist-2k: layouts stream, the main thread stays free, switches cancel. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, settled } from './browser';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 900, height: 600 } });
  // Long tasks on the main thread, recorded from the first moment.
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await openPageOn(page, '?config=data/mnist-2k/projector_config.json');
  // Let the first frame (shader compile, sprite upload: loading work, not reduction) finish first.
  await page.evaluate(() => window.projector.setProjection('pca'));
  await page.waitForTimeout(500);
});
afterAll(async () => {
  await browser?.close();
});

async function openPageOn(p: Page, query: string) {
  const { baseUrl } = await import('./browser');
  await p.goto(new URL(query, baseUrl()).href);
  await p.waitForFunction(() => typeof window.projector !== 'undefined');
  expect(await settled(p)).toBe('ready');
}

const positions = () => page.evaluate(() => Array.from(window.projector.positions()));
const now = () => page.evaluate(() => performance.now());
const longTasksSince = (t: number) =>
  page.evaluate((t) => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter((e) => e.start >= t), t);

/** Samples projection progress in the page every 30 ms until the run settles. */
async function progressWhileRunning(): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const seen: number[] = [];
        const timer = setInterval(() => {
          const s = window.projector.state();
          const p = s.projection.progress;
          if (seen[seen.length - 1] !== p) seen.push(p);
          if (s.status === 'ready' || s.status === 'error') {
            clearInterval(timer);
            resolve(seen);
          }
        }, 30);
      }),
  );
}

describe('projection methods on mnist-2k', () => {
  it('UMAP from the projection select streams layouts, with no long task on the main thread', async () => {
    const pca = await positions();
    const t0 = await now();
    await page.getByTestId('projection-select').selectOption('umap');
    const seen = await progressWhileRunning();
    const s = await page.evaluate(() => window.projector.state());
    expect(s.status).toBe('ready');
    expect(s.projection).toMatchObject({ method: 'umap', progress: 1 });
    const intermediate = seen.filter((p) => p > 0 && p < 1);
    expect(new Set(intermediate).size).toBeGreaterThanOrEqual(3);
    expect(intermediate).toEqual([...intermediate].sort((a, b) => a - b));
    const umap = await positions();
    expect(umap.length).toBe(pca.length);
    expect(umap).not.toEqual(pca);
    await expect(page.getByTestId('iteration').textContent()).resolves.toMatch(/Epoch (\d[\d,]*) \/ \1/);
    expect(await longTasksSince(t0)).toEqual([]);
  });

  it('t-SNE streams too, and switching back to UMAP is instant from the cache', async () => {
    const umap = await positions();
    const t0 = await now();
    const run = page.evaluate(() => window.projector.setProjection('tsne', 3, { tsne: { iterations: 300 } }));
    const seen = await progressWhileRunning();
    await run;
    expect(await page.evaluate(() => window.projector.state().projection)).toMatchObject({ method: 'tsne', progress: 1 });
    expect(new Set(seen.filter((p) => p > 0 && p < 1)).size).toBeGreaterThanOrEqual(3);
    const tsne = await positions();
    expect(tsne).not.toEqual(umap);
    expect(await longTasksSince(t0)).toEqual([]);

    const started = Date.now();
    await page.evaluate(() => window.projector.setProjection('umap'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await positions()).toEqual(umap);
  });

  it('switching mid-run cancels at once: no late layout overwrites the newer choice', async () => {
    await page.evaluate(() => window.projector.setProjection('pca'));
    const pca = await positions();
    void page.evaluate(() => window.projector.setProjection('tsne', 3, { tsne: { iterations: 5000, seed: 7 } }));
    await page.waitForFunction(() => window.projector.state().projection.progress > 0.02);
    await page.getByTestId('projection-select').selectOption('pca');
    await page.waitForFunction(() => window.projector.state().status === 'ready');
    expect(await page.evaluate(() => window.projector.state().projection)).toMatchObject({ method: 'pca', progress: 1 });
    await page.waitForTimeout(1500);
    expect(await positions()).toEqual(pca);
    expect(await page.evaluate(() => window.projector.state().projection.method)).toBe('pca');
  });

  it('vectors with 3 or fewer dimensions are shown as they are, with no reduction', async () => {
    await page.evaluate(async () => {
      const rows = ['0\t0\t0', '1\t0\t0', '0\t2\t0', '0\t0\t-1'].join('\n');
      await window.projector.loadFiles([new File([rows], 'coords.tsv')]);
    });
    const s = await page.evaluate(() => window.projector.state());
    expect(s).toMatchObject({ status: 'ready', numPoints: 4, dims: 3 });
    await expect(page.getByTestId('projection-panel').textContent()).resolves.toContain('shown as they are');
    // Centred on the mean (0.25, 0.5, -0.25) and scaled so the farthest point is at radius 1.
    const p = await positions();
    const c = [0.25, 0.5, -0.25];
    const raw = [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, -1].map((v, i) => v - c[i % 3]);
    const r = Math.max(...[0, 1, 2, 3].map((i) => Math.hypot(raw[3 * i], raw[3 * i + 1], raw[3 * i + 2])));
    p.forEach((v, i) => expect(v).toBeCloseTo(raw[i] / r, 5));
  });
});
