/** Bad input shows a message naming the file and the line or field; the dataset on screen stays. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';

let browser: Browser;
let page: Page;
let before: { positions: number[]; title: string | null; numPoints: number };

beforeAll(async () => {
  browser = await launch();
  page = await openPage(browser, '?config=data/iris/projector_config.json');
  expect(await settled(page)).toBe('ready');
  before = await page.evaluate(() => ({
    positions: Array.from(window.projector.positions()),
    title: window.projector.state().title,
    numPoints: window.projector.state().numPoints,
  }));
});
afterAll(async () => {
  await browser?.close();
});

async function expectErrorAndIrisStays(message: RegExp) {
  const error = page.getByTestId('error');
  await error.waitFor({ state: 'visible' });
  await expect(error.textContent()).resolves.toMatch(message);
  const s = await page.evaluate(() => window.projector.state());
  expect(s.status).toBe('error');
  expect(s.error).toMatch(message);
  expect(s.title).toBe(before.title);
  expect(s.numPoints).toBe(before.numPoints);
  expect(await page.evaluate(() => Array.from(window.projector.positions()))).toEqual(before.positions);
  await expect(page.getByTestId('status').textContent()).resolves.toContain('150 points · 4 dims');
  // Still usable: hovering still works after the failure.
  const p = await page.evaluate(() => window.projector.screenPosition(0));
  expect(p).not.toBeNull();
}

const loadConfig = (name: string) => page.evaluate((url) => window.projector.load(url), `fixtures/bad/${name}`);

describe('bad input', () => {
  it('a ragged row names the file and line', async () => {
    await loadConfig('ragged.json');
    await expectErrorAndIrisStays(/ragged\.tsv line 3\b.*expected 4 values, found 3/);
  });

  it('a config that is not JSON names the file', async () => {
    await loadConfig('not-json.json');
    await expectErrorAndIrisStays(/not-json\.json.*JSON/);
  });

  it('a config missing tensorPath names the field', async () => {
    await loadConfig('missing-field.json');
    await expectErrorAndIrisStays(/missing-field\.json.*embeddings\[0\]\.tensorPath/);
  });

  it('NaN in the vectors names the line', async () => {
    await loadConfig('nan.json');
    await expectErrorAndIrisStays(/nan\.tsv line 10\b/);
  });

  it('metadata with a row too few says both counts', async () => {
    await loadConfig('short-metadata.json');
    await expectErrorAndIrisStays(/short-metadata\.tsv.*149.*150/);
  });

  it('a sprite too small for the points says so', async () => {
    await loadConfig('small-sprite.json');
    await expectErrorAndIrisStays(/small-sprite\.png.*4 cells.*150/);
  });

  it('a tensorShape that disagrees with the file', async () => {
    await loadConfig('shape-mismatch.json');
    await expectErrorAndIrisStays(/tensors\.tsv.*\b5\b.*\b4\b|tensors\.tsv.*\b4\b.*\b5\b/);
  });

  it('a declared size too large for memory is refused, not crashing the tab', async () => {
    await loadConfig('huge.json');
    await expectErrorAndIrisStays(/tensors\.tsv.*100000000 x 784.*over the .* this page can hold/);
  });

  it('a ragged TSV opened through the file picker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragged-'));
    const file = join(dir, 'vectors.tsv');
    writeFileSync(file, '1\t2\t3\n4\t5\t6\n7\t8\n');
    await page.getByTestId('file-input').setInputFiles([file]);
    await expectErrorAndIrisStays(/vectors\.tsv line 3\b/);
  });

  it('recovers: a good load after the errors clears the message', async () => {
    await page.evaluate(() => window.projector.load('data/sklearn-digits-8x8/projector_config.json'));
    expect(await settled(page)).toBe('ready');
    await expect(page.getByTestId('error').count()).resolves.toBe(0);
    expect(await page.evaluate(() => window.projector.state().numPoints)).toBe(1797);
  });
});
