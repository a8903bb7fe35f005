/** Parquet, Arrow IPC and CSV tables opened as embeddings: vectors, metadata, pictures, the vector choice. */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
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

const TABLES = 'tests/fixtures/tables';
const state = (page: Page) => page.evaluate(() => window.projector.state());
const statusText = (page: Page) => page.getByTestId('status').textContent();

async function pickFiles(page: Page, files: string[]) {
  await page.getByTestId('file-input').setInputFiles(files.map((f) => `${TABLES}/${f}`));
  await page.waitForFunction(() => window.projector.state().status !== 'loading' && window.projector.state().status !== 'reducing', null, { timeout: 60_000 });
  return settled(page);
}

describe('tables', () => {
  it('a Parquet file from ?config= (DuckDB, snappy): vectors and metadata', async () => {
    const page = await openPage(browser, `?config=fixtures/tables/iris.parquet`);
    expect(await settled(page)).toBe('ready');
    const s = await state(page);
    expect([s.numPoints, s.dims]).toEqual([150, 4]);
    expect(s.columns).toEqual(['species', 'sample_id']);
    expect(s.vectorColumns).toEqual(['embedding']);
    expect(s.pictures).toBe(false);
    await expect(statusText(page)).resolves.toContain('150 points · 4 dims');
    // What the user sees of the metadata: colour by species gives its three values in the legend.
    await page.evaluate(() => window.projector.colorBy('species'));
    await expect(page.getByTestId('legend').textContent()).resolves.toMatch(/setosa.*versicolor.*virginica/s);
    await page.close();
  });

  it('an Arrow IPC file and a CSV, picked as files', async () => {
    const page = await openPage(browser, '?empty');
    expect(await pickFiles(page, ['iris.arrow'])).toBe('ready');
    let s = await state(page);
    expect([s.numPoints, s.dims, s.columns]).toEqual([150, 4, ['species', 'sample_id']]);

    // Quoted fields with commas; the float columns are the vector, the integer ids metadata.
    expect(await pickFiles(page, ['iris.csv'])).toBe('ready');
    s = await state(page);
    expect([s.numPoints, s.dims, s.columns]).toEqual([150, 4, ['species', 'sample_id']]);
    expect(s.vectorColumns).toEqual(['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm']);
    expect(await page.evaluate(() => window.projector.search('setosa, iris', { column: 'species' }).then((r) => r.length))).toBe(50);

    // A JSON-array vector column; words such as `"` come through DuckDB's quoting unchanged.
    expect(await pickFiles(page, ['glove-words.csv'])).toBe('ready');
    s = await state(page);
    expect([s.numPoints, s.dims, s.columns]).toEqual([60, 100, ['word', 'glove_rank']]);
    expect(await page.evaluate(() => window.projector.search('"', { column: 'word' }))).toEqual([7]);
    await page.close();
  });

  it('an image-bytes column (PNG structs, zstd) becomes the points\' pictures', async () => {
    const page = await openPage(browser, `?config=fixtures/tables/mnist-images.parquet&dim=2`);
    expect(await settled(page)).toBe('ready');
    const s = await state(page);
    expect([s.numPoints, s.dims, s.columns, s.pictures]).toEqual([120, 784, ['label'], true]);
    const [target] = await isolatedPoints(page, 1, 14);
    expect(target).toBeDefined();
    await page.mouse.move(target.x, target.y);
    await page.waitForFunction((i) => window.projector.hovered() === i, target.i);
    // The tooltip shows that row's digit: bright where its pixel vector has ink, dark elsewhere.
    const thumb = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=thumbnail]')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const out: number[] = [];
      for (let y = 0; y < 28; y++)
        for (let x = 0; x < 28; x++) out.push(d[(Math.floor(((y + 0.5) * c.height) / 28) * c.width + Math.floor(((x + 0.5) * c.width) / 28)) * 4 + 3] > 0 ? d[(Math.floor(((y + 0.5) * c.height) / 28) * c.width + Math.floor(((x + 0.5) * c.width) / 28)) * 4] : 0);
      return out;
    });
    const row = readFileSync('public/data/mnist-2k/tensors.tsv', 'utf8').split('\n')[target.i].split('\t').map(Number);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const ink = mean(thumb.filter((_, k) => row[k] > 0.5));
    const paper = mean(thumb.filter((_, k) => row[k] === 0));
    expect(ink - paper).toBeGreaterThan(100);
    await page.close();
  });

  it('two vector columns: the page asks which, and ?vector= picks one', async () => {
    const page = await openPage(browser, `?config=fixtures/tables/iris.parquet`);
    expect(await settled(page)).toBe('ready');
    await page.evaluate(() => window.projector.load('fixtures/tables/two-vectors.parquet'));
    let s = await state(page);
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/two-vectors\.parquet.*2 vector columns \(measurements, petals\)/);
    expect(s.vectorChoices).toEqual(['measurements', 'petals']);
    // Iris stays on screen while the page asks.
    expect(s.numPoints).toBe(150);
    const select = page.getByTestId('vector-select');
    await select.selectOption('petals');
    await page.waitForFunction(() => window.projector.state().dims === 2 && window.projector.state().status === 'ready', null, { timeout: 60_000 });
    s = await state(page);
    expect([s.numPoints, s.dims, s.vectorColumns, s.columns]).toEqual([150, 2, ['petals'], ['species']]);
    await expect(select.inputValue()).resolves.toBe('petals');
    await page.close();

    const linked = await openPage(browser, `?config=fixtures/tables/two-vectors.parquet&vector=measurements`);
    expect(await settled(linked)).toBe('ready');
    s = await state(linked);
    expect([s.numPoints, s.dims, s.vectorColumns]).toEqual([150, 4, ['measurements']]);
    await expect(linked.getByTestId('vector-select').inputValue()).resolves.toBe('measurements');
    await linked.close();
  });

  it('a null or NaN in the vectors names the file, column and row; the dataset on screen stays', async () => {
    const page = await openPage(browser, `?config=fixtures/tables/iris.parquet`);
    expect(await settled(page)).toBe('ready');
    for (const [file, message] of [
      ['null-vector.parquet', /null-vector\.parquet: column "embedding", row 3: is empty \(null\)/],
      ['nan-vector.parquet', /nan-vector\.parquet: column "embedding", row 4: is NaN/],
    ] as const) {
      await page.evaluate((url) => window.projector.load(url), `fixtures/tables/${file}`);
      const s = await state(page);
      expect(s.status).toBe('error');
      expect(s.error).toMatch(message);
      await expect(page.getByTestId('error').textContent()).resolves.toMatch(message);
      expect([s.numPoints, s.dims]).toEqual([150, 4]);
    }
    await page.close();
  });
});
