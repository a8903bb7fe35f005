/**
 * The layout worker of a job that finished is kept for the next layout (its code compiled, its
 * helper threads booted): one worker serves UMAP, t-SNE and UMAP again, each layout the one a
 * fresh page computes; a cancelled job's worker is ended, and the next job starts a fresh one.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, settled } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const CONFIG = '?config=data/mnist-2k/projector_config.json&workers=2';

/** A page that counts the layout workers it starts. */
async function countingPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.addInitScript(() => {
    const Original = window.Worker;
    const w = window as unknown as { layoutWorkers: number };
    w.layoutWorkers = 0;
    window.Worker = class extends Original {
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        if (String(url).includes('layout.worker')) w.layoutWorkers++;
      }
    } as typeof Worker;
  });
  await page.goto(new URL(CONFIG, baseUrl()).href);
  await page.waitForFunction(() => typeof window.projector !== 'undefined');
  expect(await settled(page)).toBe('ready');
  return page;
}

const layoutWorkers = (page: Page) => page.evaluate(() => (window as unknown as { layoutWorkers: number }).layoutWorkers);

type Step = ['umap' | 'tsne', 2 | 3, Record<string, unknown>];
const STEPS: Step[] = [
  ['umap', 2, { umap: { epochs: 60 } }],
  ['tsne', 2, { tsne: { iterations: 80 } }],
  ['umap', 3, { umap: { epochs: 60, seed: 5 } }],
];

async function run(page: Page, [method, dim, patch]: Step): Promise<number[]> {
  const s = await page.evaluate(([m, d, p]) => window.projector.setProjection(m, d, p), [method, dim, patch] as const);
  expect(s.status).toBe('ready');
  expect(s.layoutThreads).toBe(2);
  return page.evaluate(() => Array.from(window.projector.positions()));
}

describe('the layout worker', () => {
  it('serves one layout after another, each the layout a fresh page gives', async () => {
    const page = await countingPage();
    const kept: number[][] = [];
    for (const step of STEPS) kept.push(await run(page, step));
    expect(await layoutWorkers(page)).toBe(1);
    await page.close();
    for (let i = 0; i < STEPS.length; i++) {
      const fresh = await countingPage();
      expect(await run(fresh, STEPS[i])).toEqual(kept[i]);
      expect(await layoutWorkers(fresh)).toBe(1);
      await fresh.close();
    }
  });

  it('is ended with a cancelled job; the next job starts a fresh one and computes the same layout', async () => {
    const page = await countingPage();
    const first = await run(page, STEPS[0]);
    expect(await layoutWorkers(page)).toBe(1);
    // The kept worker takes the long t-SNE; PCA supersedes it, which cancels the job.
    const long = page.evaluate(() => window.projector.setProjection('tsne', 2, { tsne: { iterations: 5000 } }));
    await page.waitForFunction(() => window.projector.state().status === 'reducing');
    await page.waitForFunction(() => (window.projector.state().iteration?.current ?? 0) > 0);
    expect((await page.evaluate(() => window.projector.setProjection('pca', 2))).status).toBe('ready');
    await long;
    const again = await run(page, STEPS[1]);
    expect(await layoutWorkers(page)).toBe(2);
    await page.close();
    const fresh = await countingPage();
    expect(await run(fresh, STEPS[1])).toEqual(again);
    await fresh.close();
    expect(first.length).toBe(2000 * 3);
  });
});
