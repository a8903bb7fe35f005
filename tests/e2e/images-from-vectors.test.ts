/** Pictures without a logged sprite: MNIST's vectors read as 28x28 images; .npy vectors. */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { isolatedPoints } from './view-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('images from vectors', () => {
  it('MNIST without its sprite: build 28x28 pictures, hover a point, see its picture', async () => {
    const page = await openPage(browser, '?config=fixtures/mnist-no-sprite/projector_config.json&dim=2');
    expect(await settled(page)).toBe('ready');
    const panel = page.getByTestId('images-panel');
    await expect(panel.isVisible()).resolves.toBe(true);
    // 784 values a vector: the panel proposes 28 x 28 grey.
    await expect(page.getByTestId('images-width').inputValue()).resolves.toBe('28');
    await expect(page.getByTestId('images-height').inputValue()).resolves.toBe('28');
    await page.getByTestId('images-invert').check();
    await page.getByTestId('images-background').selectOption({ label: 'label' });
    await page.getByTestId('images-build').click();
    await page.getByTestId('images-download-png').waitFor({ timeout: 60_000 });

    const [target] = await isolatedPoints(page, 1, 14);
    expect(target).not.toBeNull();
    await page.mouse.move(target!.x, target!.y);
    await page.waitForFunction((i) => window.projector.hovered() === i, target!.i);
    // The tooltip's picture is the vector drawn as 28x28: compare with the pixels themselves.
    const rows = readFileSync('public/data/mnist-2k/tensors.tsv', 'utf8').trim().split('\n');
    const row = rows[target!.i].split('\t').map(Number);
    // 'auto' stretches the whole collection's min..max to 0..255.
    let min = Infinity;
    let max = -Infinity;
    for (const line of rows) for (const v of line.split('\t').map(Number)) (min = Math.min(min, v)), (max = Math.max(max, v));
    const thumb = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=thumbnail]')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      // Sample the centre of each of the 28 x 28 cells of the enlarged picture.
      const out: number[][] = [];
      for (let y = 0; y < 28; y++)
        for (let x = 0; x < 28; x++) {
          const k = (Math.floor(((y + 0.5) * c.height) / 28) * c.width + Math.floor(((x + 0.5) * c.width) / 28)) * 4;
          out.push([d[k], d[k + 1], d[k + 2], d[k + 3]]);
        }
      return out;
    });
    const ink = row.map((v, k) => ({ v, px: thumb[k] }));
    // Inverted: blank paper is white, full ink black; all opaque (no transparent colour chosen).
    for (const { v, px } of ink) {
      expect(px[3]).toBe(255);
      expect(Math.abs(px[0] - (255 - ((v - min) / (max - min)) * 255))).toBeLessThanOrEqual(1.5);
    }
    expect(ink.filter(({ v }) => v > min + (max - min) / 2).length).toBeGreaterThan(20);
    await page.close();
  });

  it('a transparent colour and a background by label give each digit its legend colour', async () => {
    const page = await openPage(browser, '?config=fixtures/mnist-no-sprite/projector_config.json&dim=2');
    expect(await settled(page)).toBe('ready');
    await page.getByTestId('images-transparent').selectOption('black');
    await page.getByTestId('images-background').selectOption({ label: 'label' });
    await page.getByTestId('images-build').click();
    await page.getByTestId('images-download-png').waitFor({ timeout: 60_000 });
    // The downloadable PNG and config: a config that uses the sprite, with the cell size.
    const config = JSON.parse(
      await page.evaluate(async () => (await fetch(document.querySelector<HTMLAnchorElement>('[data-testid=images-download-config]')!.href)).text()),
    );
    expect(config.embeddings[0]).toMatchObject({ tensorShape: [2000, 784], sprite: { singleImageDim: [28, 28] } });
    const png = await page.evaluate(async () => {
      const blob = await (await fetch(document.querySelector<HTMLAnchorElement>('[data-testid=images-download-png]')!.href)).blob();
      const bmp = await createImageBitmap(blob);
      return { width: bmp.width, height: bmp.height, type: blob.type };
    });
    // ceil(sqrt(2000)) = 45 cells a side, Comet's grid.
    expect(png).toEqual({ width: 45 * 28, height: 45 * 28, type: 'image/png' });
    // Blank paper (0 -> black -> transparent) shows the background: the point's legend colour.
    const [target] = await isolatedPoints(page, 1, 14);
    await page.mouse.move(target.x, target.y);
    await page.waitForFunction((i) => window.projector.hovered() === i, target.i);
    const label = readFileSync('public/data/mnist-2k/metadata.tsv', 'utf8').trim().split('\n')[target.i + 1].split('\t')[0];
    const swatch = await page.locator(`[data-testid=legend] li[data-value="${label}"] .swatch`).evaluate((e) => getComputedStyle(e).backgroundColor);
    const corner = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=thumbnail]')!;
      return Array.from(c.getContext('2d')!.getImageData(1, 1, 1, 1).data);
    });
    expect(`rgb(${corner.slice(0, 3).join(', ')})`).toBe(swatch);
    expect(corner[3]).toBe(255);
    await page.close();
  });
});

describe('.npy vectors', () => {
  it('opens a NumPy file with its labels, as np.save wrote it', async () => {
    const page = await openPage(browser, '?empty');
    const rows = readFileSync('public/data/iris/metadata.tsv', 'utf8').trim().split('\n');
    const state = await page.evaluate(async (labels) => {
      // iris-like 150 x 4 float32 in NumPy's v1.0 format.
      const n = 150;
      const d = 4;
      let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
      const pad = 64 - ((10 + header.length + 1) % 64);
      header += ' '.repeat(pad % 64) + '\n';
      const bytes = new Uint8Array(10 + header.length + n * d * 4);
      bytes.set([0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0)), 1, 0, header.length & 255, header.length >> 8]);
      bytes.set(new TextEncoder().encode(header), 10);
      const data = new Float32Array(bytes.buffer, 10 + header.length, n * d);
      for (let i = 0; i < n * d; i++) data[i] = Math.sin(i) + (i % 4);
      const files = [new File([bytes], 'iris.npy'), new File([labels], 'iris_metadata.tsv')];
      return window.projector.loadFiles(files);
    }, rows.join('\n'));
    expect(state).toMatchObject({ status: 'ready', error: null, numPoints: 150, dims: 4 });
    expect(state.columns.length).toBe(6);
    await page.close();
  });
});

