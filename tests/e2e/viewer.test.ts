/** Loading real datasets, switching groups and titles, hovering: what a user sees in the page. */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, openPage, settled } from './browser';
import { drawnShare, isolatedPoints, snapshot } from './view-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const positions = (page: Page) => page.evaluate(() => Array.from(window.projector.positions()));

describe('opening the page', () => {
  it('asks for the config once (the boot script asks early, the app takes that response) and for each file once', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(new URL('?config=data/mnist-2k/projector_config.json', baseUrl()).href);
    await page.waitForFunction(() => typeof window.projector !== 'undefined');
    expect(await settled(page)).toBe('ready');
    const count = (end: string) => asked.filter((p) => p.endsWith(end)).length;
    expect(count('/data/mnist-2k/projector_config.json')).toBe(1);
    for (const file of ['tensors.tsv', 'metadata.tsv', 'sprite.png']) expect(count(`/data/mnist-2k/${file}`)).toBe(1);
    // The app itself replaced the static note.
    await expect(page.getByText('Loading…', { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByTestId('status').textContent()).resolves.toContain('2,000 points');
    await page.close();
  });
});

describe('a sprite dataset from ?config=', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPage(browser, '?config=data/mnist-2k/projector_config.json');
  });
  afterAll(() => page.close());

  it('shows every point with its count and dims', async () => {
    expect(await settled(page)).toBe('ready');
    await page.waitForFunction(() => window.projector.screenPosition(0) !== null);
    const s = await page.evaluate(() => window.projector.state());
    expect(s).toMatchObject({ numPoints: 2000, dims: 784, columns: ['label', 'mnist_test_index'], projection: { method: 'pca', dim: 3 } });
    await expect(page.getByTestId('status').textContent()).resolves.toContain('2,000 points · 784 dims');
    expect((await positions(page)).length).toBe(6000);
    await snapshot(page, 'first');
    expect(await drawnShare(page, 'first')).toBeGreaterThan(0.02);
    // Colour legend of the first metadata column: the ten digits.
    await expect(page.getByTestId('legend').locator('li').count()).resolves.toBe(10);
  });

  it('hovering a point shows its label and its sprite thumbnail', async () => {
    const target = await isolatedPoints(page, 1, 16);
    expect(target.length).toBe(1);
    const { i, x, y } = target[0];
    await page.mouse.move(x, y);
    await page.waitForFunction((i) => window.projector.hovered() === i, i);
    const tooltip = page.getByTestId('tooltip');
    await expect(tooltip.isVisible()).resolves.toBe(true);
    const meta = readFileSync('public/data/mnist-2k/metadata.tsv', 'utf8').trim().split('\n')[i + 1].split('\t');
    await expect(tooltip.textContent()).resolves.toContain(`label${meta[0]}mnist_test_index${meta[1]}`);
    // The thumbnail holds the picture: MNIST sprites are dark ink on white, so both must appear.
    const inkAndPaper = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=thumbnail]')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0, light = 0;
      for (let k = 0; k < d.length; k += 4) (d[k] < 80 ? dark++ : d[k] > 200 ? light++ : 0);
      return { dark, light };
    });
    expect(inkAndPaper.dark).toBeGreaterThan(50);
    expect(inkAndPaper.light).toBeGreaterThan(50);
  });
});

describe('hover picking', () => {
  it('names the point under the cursor: iris points in 3D and 2D, all six metadata fields', async () => {
    const page = await openPage(browser, '?config=data/iris/projector_config.json');
    expect(await settled(page)).toBe('ready');
    const rows = readFileSync('public/data/iris/metadata.tsv', 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const header = rows[0];
    const fieldsOf = (i: number) => header.map((h, c) => `${h}${rows[i + 1][c]}`);
    const tooltipFields = () => page.getByTestId('tooltip-label').locator('.field').allTextContents();

    // 3D: a point nearer the camera is drawn larger and may cover a target's centre, so the
    // tooltip must name whichever point is picked there, and that point must be close on screen.
    for (const { i, x, y } of await isolatedPoints(page, 6, 16)) {
      await page.mouse.move(x, y);
      await page.waitForFunction(() => window.projector.hovered() !== null);
      const h = (await page.evaluate(() => window.projector.hovered()))!;
      const at = (await page.evaluate((h) => window.projector.screenPosition(h), h))!;
      expect(h === i || Math.hypot(at.x - x, at.y - y) < 20).toBe(true);
      await page.waitForFunction((h) => window.projector.hovered() === h, h);
      expect(await tooltipFields()).toEqual(fieldsOf(h));
    }

    // 2D: every point is the same size; with 16 px to the nearest neighbour the target is the
    // only point under the cursor, so picking must name exactly it.
    await page.evaluate(() => window.projector.setProjection('pca', 2));
    const targets = await isolatedPoints(page, 10, 16);
    expect(targets.length).toBe(10);
    for (const { i, x, y } of targets) {
      await page.mouse.move(x, y);
      await page.waitForFunction((i) => window.projector.hovered() === i, i);
      expect(await tooltipFields()).toEqual(fieldsOf(i));
    }
    // Off every point: no tooltip.
    await page.mouse.move(3, 690);
    await page.waitForFunction(() => window.projector.hovered() === null);
    await expect(page.getByTestId('tooltip').count()).resolves.toBe(0);
    await page.close();
  });
});

describe('a folder opened with the file picker', () => {
  it('becomes Comet groups with titles; switching title and group changes the layout', async () => {
    const page = await openPage(browser, '?empty');
    const dir = 'public/data/digits-mlp-epochs';
    const files = readdirSync(dir).map((name) => `${dir}/${name}`);
    await page.getByTestId('file-input').setInputFiles(files);
    expect(await settled(page)).toBe('ready');
    await page.waitForFunction(() => window.projector.state().numPoints === 1797);
    const s = await page.evaluate(() => window.projector.state());
    expect(s.groups.sort()).toEqual(['hidden-layer-1', 'hidden-layer-2']);
    expect(s.titles).toEqual(['epoch-0', 'epoch-1', 'epoch-2', 'epoch-3', 'epoch-4']);
    // Titles of one series also carry how each point's neighbourhood changed since the last.
    expect(s.columns).toEqual(['label', 'predicted_epoch4', 'correct_epoch4', 'split', 'neighbour change']);
    const first = await positions(page);
    const firstGroup = s.group!;

    // The user picks another title in the native select.
    await page.getByTestId('title-select').selectOption('epoch-4');
    await page.waitForFunction(() => window.projector.state().title === 'epoch-4' && window.projector.state().status === 'ready');
    const afterTitle = await positions(page);
    expect(afterTitle).not.toEqual(first);
    expect(await page.evaluate(() => window.projector.state().projection.method)).toBe('pca');
    await expect(page.getByTestId('status').textContent()).resolves.toContain('epoch-4 · 1,797 points · 32 dims');

    const other = s.groups.find((g) => g !== firstGroup)!;
    await page.getByTestId('group-select').selectOption(other);
    await page.waitForFunction((g) => window.projector.state().group === g && window.projector.state().status === 'ready', other);
    const afterGroup = await page.evaluate(() => window.projector.state());
    expect(afterGroup.title).toBe('epoch-0');
    expect(afterGroup.dims).toBe(other === 'hidden-layer-2' ? 16 : 32);
    expect(await positions(page)).not.toEqual(afterTitle);
    await page.close();
  });
});

describe('?config= parameters and progress', () => {
  it('repeated config, title and dim; a progress bar with stage and bytes while loading', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    // Record every progress text the page shows, from the first moment.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid=progress]');
        if (el?.textContent && seen[seen.length - 1] !== el.textContent) seen.push(el.textContent);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const q = '?config=data/digits-mlp-epochs/template-hidden-layer-2-configs.json&config=data/mnist-2k/projector_config.json&title=epoch-3&dim=2';
    await page.goto(new URL(q, baseUrl()).href);
    expect(await settled(page)).toBe('ready');
    const s = await page.evaluate(() => window.projector.state());
    expect(s.groups).toEqual(['hidden-layer-2', 'MNIST 2k (784d pixels)']);
    expect(s).toMatchObject({ group: 'hidden-layer-2', title: 'epoch-3', dims: 16, projection: { method: 'pca', dim: 2 } });
    const pos = await positions(page);
    expect(pos.filter((_, i) => i % 3 === 2).every((z) => z === 0)).toBe(true);

    await page.evaluate(() => window.projector.setGroup('MNIST 2k (784d pixels)'));
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.some((t) => /Loading and parsing tensors\.tsv · [\d.]+ (bytes|KiB|MiB) \/ 4\.3 MiB/.test(t))).toBe(true);
    expect(seen.some((t) => /PCA 2D/.test(t))).toBe(true);
    await page.close();
  });
});

describe('dropping files on the page', () => {
  it('bare TSVs without a config become one embedding', async () => {
    const page = await openPage(browser, '?empty');
    await page.evaluate(async () => {
      const get = async (path: string, name: string) => new File([await (await fetch(path)).blob()], name);
      const dt = new DataTransfer();
      dt.items.add(await get('data/iris/tensors.tsv', 'tensors.tsv'));
      dt.items.add(await get('data/iris/metadata.tsv', 'metadata.tsv'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
    });
    expect(await settled(page)).toBe('ready');
    const s = await page.evaluate(() => window.projector.state());
    expect(s).toMatchObject({ numPoints: 150, dims: 4, titles: ['tensors'] });
    expect(s.columns[0]).toBe('species');
    await page.close();
  });
});

describe('a .bytes tensor', () => {
  it("opens TF's binary iris config with its label file", async () => {
    const page = await openPage(browser, '?empty');
    const s = await page.evaluate(() => window.projector.load('data/tf-demo-iris/projector_config.bytes-iris.json'));
    expect(s).toMatchObject({ status: 'ready', numPoints: 150, dims: 4, groups: ['Demo datasets (binary tensor)'] });
    expect(s.columns).toEqual(['sepal-length', 'sepal-width', 'petal-length', 'petal-width', 'class']);
    await page.close();
  });
});

describe('night mode', () => {
  it('turns the page and the view dark, and is remembered', async () => {
    const page = await openPage(browser, '?config=data/iris/projector_config.json');
    expect(await settled(page)).toBe('ready');
    const pageBackground = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const lightness = (rgb: string) => rgb.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
    const pixelAt = async (x: number, y: number) => {
      const shot = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
      // A 1x1 PNG: decode its single pixel through the browser.
      return page.evaluate(async (b64) => {
        const img = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const c = new OffscreenCanvas(1, 1).getContext('2d')!;
        c.drawImage(img, 0, 0);
        return Array.from(c.getImageData(0, 0, 1, 1).data.slice(0, 3));
      }, shot.toString('base64'));
    };
    const corner = await page.locator('.stage').boundingBox();
    const before = await pixelAt(corner!.x + corner!.width - 5, corner!.y + corner!.height - 5);
    expect(before.reduce((a, b) => a + b) / 3).toBeGreaterThan(200);
    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const after = await pixelAt(corner!.x + corner!.width - 5, corner!.y + corner!.height - 5);
    expect(after.reduce((a, b) => a + b) / 3).toBeLessThan(50);
    expect(lightness(await pageBackground())).toBeLessThan(50);
    // The points are still drawn, and the choice survives a reload.
    expect(await page.evaluate(() => window.projector.screenPosition(0))).not.toBeNull();
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.close();
  });
});
