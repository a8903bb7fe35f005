/**
 * Whatever happens, the page says what went wrong, the dataset on screen stays and the next action
 * works: a GPU reset (WEBGL_lose_context) and its restore; a worker that stops answering.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, openPage, settled } from './browser';
import { drawnShare, snapshot, stableView } from './view-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('failures', () => {
  it('a lost WebGL context says so; on restore the same layout is drawn again', async () => {
    const page = await openPage(browser, '?config=data/iris/projector_config.json');
    expect(await settled(page)).toBe('ready');
    await stableView(page);
    const before = await page.evaluate(() => [window.projector.screenPosition(7), Array.from(window.projector.positions())]);
    await page.evaluate(() => {
      const gl = document.querySelector('canvas')!.getContext('webgl2')!;
      (window as unknown as { lose: WEBGL_lose_context }).lose = gl.getExtension('WEBGL_lose_context')!;
      (window as unknown as { lose: WEBGL_lose_context }).lose.loseContext();
    });
    await page.waitForSelector('[data-testid=error]');
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/GPU reset the view/);
    await page.evaluate(() => (window as unknown as { lose: WEBGL_lose_context }).lose.restoreContext());
    await page.waitForFunction(() => !document.querySelector('[data-testid=error]'));
    await page.evaluate(() => window.projector.setViewOptions({ pointScale: 2 }));
    await page.waitForTimeout(500);
    await snapshot(page, 'restored');
    expect(await drawnShare(page, 'restored')).toBeGreaterThan(0.002);
    const after = await page.evaluate(() => [window.projector.screenPosition(7), Array.from(window.projector.positions())]);
    expect(after[1]).toEqual(before[1]);
    // The next action works.
    expect((await page.evaluate(() => window.projector.setProjection('pca', 2))).status).toBe('ready');
    await page.close();
  });

  it('a worker that stops answering ends its job with a named error; the dataset stays; the next action works', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    // Keep every worker the page starts, so the test can stop one as the browser would.
    await page.addInitScript(() => {
      const Original = window.Worker;
      const all: Worker[] = [];
      (window as unknown as { workers: Worker[] }).workers = all;
      window.Worker = class extends Original {
        constructor(url: string | URL, opts?: WorkerOptions) {
          super(url, opts);
          all.push(this);
        }
      } as typeof Worker;
    });
    await page.goto(new URL('?config=data/mnist-2k/projector_config.json&workerStallMs=1500', baseUrl()).href);
    await page.waitForFunction(() => typeof window.projector !== 'undefined');
    expect(await settled(page)).toBe('ready');
    const before = await page.evaluate(() => Array.from(window.projector.positions()));
    const started = page.evaluate(() => window.projector.setProjection('tsne', 2, { tsne: { iterations: 5000 } }));
    await page.waitForFunction(() => window.projector.state().status === 'reducing');
    await page.waitForTimeout(300);
    // The newest worker is the t-SNE job's: stopped, it never answers again.
    await page.evaluate(() => {
      const w = (window as unknown as { workers: Worker[] }).workers;
      w[w.length - 1].terminate();
    });
    const s = await started;
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/stopped answering/);
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/stopped answering/);
    expect(s.numPoints).toBe(2000);
    const now = await page.evaluate(() => Array.from(window.projector.positions()));
    // The layout on screen is the last one drawn (PCA, or t-SNE's last streamed step): all finite.
    expect(now.length).toBe(before.length);
    expect(now.every((v) => Number.isFinite(v))).toBe(true);
    expect((await page.evaluate(() => window.projector.setProjection('pca', 3))).status).toBe('ready');
    await page.close();
  });

  it('a link cannot make the page open javascript: or file: URLs; the next load works', async () => {
    const page = await openPage(browser, '?config=javascript:alert(1)');
    expect(await settled(page)).toBe('error');
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/only http\(s\) and relative URLs/);
    const s = await page.evaluate(() => window.projector.load('data/iris/projector_config.json'));
    expect(s).toMatchObject({ status: 'ready', numPoints: 150 });
    const file = await page.evaluate(() => window.projector.load('file:///etc/passwd'));
    expect(file.error).toMatch(/only http\(s\)/);
    expect(file.numPoints).toBe(150);
    await page.close();
  });

  it('the app runs under its Content-Security-Policy: no violation loading, reducing in workers, pictures and exports', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    await page.addInitScript(() => {
      const v: string[] = [];
      (window as unknown as { violations: string[] }).violations = v;
      document.addEventListener('securitypolicyviolation', (e) => v.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(new URL('?config=data/mnist-2k/projector_config.json', baseUrl()).href);
    await page.waitForFunction(() => typeof window.projector !== 'undefined');
    expect(await settled(page)).toBe('ready');
    expect(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'))).toContain("script-src 'self'");
    await page.evaluate(() => window.projector.setProjection('umap', 2, { umap: { epochs: 30 } }));
    await page.evaluate(async () => (await window.projector.exportPng(1)).size);
    await page.evaluate(() => window.projector.neighbors(0, 5));
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    await page.close();
  });

  it('sizes are checked before memory is taken: a 2.4 GB .npy header and a 100000 x 100000 sprite header are named errors; the dataset stays', async () => {
    const page = await openPage(browser, '?config=data/iris/projector_config.json');
    expect(await settled(page)).toBe('ready');
    const npy = await page.evaluate(() => window.projector.load('/fixtures/bad/huge-npy.json'));
    expect(npy.error).toMatch(/huge-header\.npy/);
    expect(npy.numPoints).toBe(150);
    const bomb = await page.evaluate(() => window.projector.load('/fixtures/bad/bomb-sprite.json'));
    expect(bomb.error).toMatch(/bomb-sprite\.png/);
    expect(bomb.error).toMatch(/100000/);
    expect(bomb.numPoints).toBe(150);
    expect((await page.evaluate(() => window.projector.load('data/iris/projector_config.json'))).status).toBe('ready');
    await page.close();
  });

  it('a browser without WebGL 2 gets a clear message, not a blank page; the panels still work', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    page.on('pageerror', () => undefined);
    await page.addInitScript(() => {
      const original = HTMLCanvasElement.prototype.getContext;
      // As a device without WebGL: every WebGL context is refused; 2D canvases still work.
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
        if (type.startsWith('webgl') || type === 'experimental-webgl') return null;
        return (original as (...a: unknown[]) => RenderingContext | null).call(this, type, ...rest);
      } as typeof original;
    });
    await page.goto(new URL('?config=data/iris/projector_config.json', baseUrl()).href);
    await page.waitForSelector('[data-testid=render-error]', { timeout: 30_000 });
    await expect(page.getByTestId('render-error').textContent()).resolves.toMatch(/WebGL/);
    // The data still loads, every action settles, and the panels answer.
    await page.waitForFunction(() => window.projector?.state().numPoints === 150, null, { timeout: 30_000 });
    const s = await page.evaluate(() => window.projector.setProjection('pca', 2));
    expect(s).toMatchObject({ status: 'ready', numPoints: 150, projection: { dim: 2 } });
    expect(await page.evaluate(() => window.projector.search('setosa'))).toHaveLength(50);
    await page.close();
  });
});
