/**
 * The logging side as a user runs it: `projector log` three epochs into one group, `projector
 * serve` the folder, open the printed URL in Chromium and see the group, its titles and sprites.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoricalColor } from '../../src/color/palette';
import { launch, settled } from './browser';
import { isolatedPoints } from './view-helpers';
import { urlFrom } from './serve-url';

const CLI = 'src/node/projector.mjs';
const N = 300;
const run = promisify(execFile);

let work: string;
let server: ChildProcess | null = null;
let browser: Browser | null = null;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'projector-cli-'));
  const src = 'public/data/sklearn-digits-8x8';
  // The first 300 digits: 8x8 images with values 0..16, logged both as vectors and as images.
  writeFileSync(join(work, 'digits.tsv'), readFileSync(`${src}/tensors.tsv`, 'utf8').split('\n').slice(0, N).join('\n') + '\n');
  writeFileSync(join(work, 'labels.tsv'), readFileSync(`${src}/metadata.tsv`, 'utf8').split('\n').slice(0, N + 1).join('\n') + '\n');
  mkdirSync(join(work, 'logs'));
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** GET with the path sent as written: fetch() would resolve the `..` before sending. */
function rawGet(port: number, path: string): Promise<{ status: number; type: string | undefined }> {
  return new Promise((ok, fail) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      ok({ status: res.statusCode ?? 0, type: res.headers['content-type'] });
    }).on('error', fail);
  });
}

/** A point with no other within 16 CSS pixels, over the canvas, so hovering it is unambiguous. */
const isolatedPoint = async (page: Page) => (await isolatedPoints(page, 1, 16))[0] ?? null;

/** Hovers a point and returns its index and what the tooltip's thumbnail shows. */
async function hoverThumbnail(page: Page) {
  const target = await isolatedPoint(page);
  expect(target).not.toBeNull();
  await page.mouse.move(target!.x, target!.y);
  await page.waitForFunction(() => window.projector.hovered() !== null);
  const hovered = (await page.evaluate(() => window.projector.hovered()))!;
  await page.getByTestId('thumbnail').waitFor();
  const pixels = await page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=thumbnail]')!;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
  });
  await page.mouse.move(3, 690);
  await page.waitForFunction(() => window.projector.hovered() === null);
  return { hovered, pixels };
}

/** The tile of a digit: ink in grey, the rest (value 0, made transparent) over its class colour. */
function expectDigitTile(pixels: number[], digit: number) {
  const [r, g, b] = categoricalColor(digit).map((c) => Math.round(c * 255));
  let background = 0;
  let opaque = 0;
  const total = pixels.length / 4;
  for (let k = 0; k < pixels.length; k += 4) {
    if (pixels[k + 3] === 255) opaque++;
    if (pixels[k] === r && pixels[k + 1] === g && pixels[k + 2] === b) background++;
  }
  expect(opaque).toBe(total);
  // An 8x8 digit is about half ink, half background.
  expect(background / total).toBeGreaterThan(0.2);
  expect(background / total).toBeLessThan(0.9);
}

describe('projector log + serve', () => {
  it('logs three epochs into one group, serves them, and the viewer shows the group, titles and sprites', async () => {
    const out = join(work, 'logs', 'run1');
    for (const epoch of [0, 1, 2]) {
      const { stdout } = await run(process.execPath, [
        CLI, 'log',
        '--vectors', join(work, 'digits.tsv'),
        '--labels', join(work, 'labels.tsv'),
        '--images', join(work, 'digits.tsv'), '--size', '8x8',
        '--preprocess', 'v*255/16', '--transparent', '0,0,0', '--background-by', 'digit',
        '--title', `epoch-${epoch}`, '--group', 'digits',
        '--out', out,
      ]);
      expect(stdout).toContain(`logged "epoch-${epoch}" (300 x 64) in ${join(out, 'template-digits-configs.json')}`);
    }
    const config = JSON.parse(readFileSync(join(out, 'template-digits-configs.json'), 'utf8'));
    expect(config.embeddings.map((e: { tensorName: string }) => e.tensorName)).toEqual(['epoch-0', 'epoch-1', 'epoch-2']);
    expect(config.embeddings[2]).toEqual({
      tensorName: 'epoch-2',
      tensorShape: [300, 64],
      tensorPath: 'vectors-digits-epoch-2.tsv',
      metadataPath: 'metadata-digits-300.tsv',
      sprite: { imagePath: 'embedding-image-digits-300.png', singleImageDim: [8, 8] },
    });

    // `projector sprite` builds the same sprite on its own.
    await run(process.execPath, [
      CLI, 'sprite', '--images', join(work, 'digits.tsv'), '--size', '8x8', '--preprocess', 'v*255/16', '--transparent', '0,0,0',
      '--labels', join(work, 'labels.tsv'), '--background-by', 'digit', '--out', join(work, 'sprite.png'),
    ]);
    expect(readFileSync(join(work, 'sprite.png')).equals(readFileSync(join(out, 'embedding-image-digits-300.png')))).toBe(true);

    // A bad call fails with one line naming the file and the cause, and exit code 1.
    const bad = await run(process.execPath, [CLI, 'log', '--vectors', join(work, 'digits.tsv'), '--labels', 'public/data/sklearn-digits-8x8/metadata.tsv', '--out', out]).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('projector log: public/data/sklearn-digits-8x8/metadata.tsv: 1797 label rows but 300 vectors; there must be one per vector');

    server = spawn(process.execPath, [CLI, 'serve', join(work, 'logs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await urlFrom(server);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?config=logs\/run1\/template-digits-configs\.json$/);
    const port = Number(new URL(url).port);

    // Only the folder is served: climbing out is refused however it is spelled.
    for (const path of ['/logs/../package.json', '/logs/%2e%2e/package.json', '/logs/..%2f..%2fetc/passwd', '/logs/run1/%2e%2e/%2e%2e/package.json']) {
      expect((await rawGet(port, path)).status, path).toBe(403);
    }
    expect(await rawGet(port, '/logs/run1/metadata-digits-300.tsv')).toEqual({ status: 200, type: 'text/tab-separated-values; charset=utf-8' });
    expect(await rawGet(port, '/logs/run1/embedding-image-digits-300.png')).toEqual({ status: 200, type: 'image/png' });

    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    await page.goto(url);
    await page.waitForFunction(() => typeof window.projector !== 'undefined');
    expect(await settled(page)).toBe('ready');
    const s = await page.evaluate(() => window.projector.state());
    expect(s).toMatchObject({ groups: ['digits'], group: 'digits', titles: ['epoch-0', 'epoch-1', 'epoch-2'], title: 'epoch-0', numPoints: 300, dims: 64 });
    expect(s.columns).toEqual(['digit', 'sample_index', 'neighbour change']);

    const digits = readFileSync(join(work, 'labels.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split('\t')[0]));
    const first = await hoverThumbnail(page);
    expectDigitTile(first.pixels, digits[first.hovered]);

    // Another title of the group shares the sprite.
    await page.getByTestId('title-select').selectOption('epoch-2');
    await page.waitForFunction(() => window.projector.state().title === 'epoch-2' && window.projector.state().status === 'ready');
    const again = await hoverThumbnail(page);
    expectDigitTile(again.pixels, digits[again.hovered]);
    await page.close();

    server.kill('SIGTERM');
    const code = await new Promise((done) => (server!.exitCode !== null ? done(server!.exitCode) : server!.once('exit', done)));
    expect(code).toBe(0);
  });
});
