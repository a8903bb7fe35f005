/**
 * `projector reduce` as a user runs it: t-SNE of mnist-2k in Node on two threads, written as a
 * layout beside the vectors, metadata and sprite; the viewer opens the folder, draws the layout as
 * it was computed, and hovering a point names its own digit.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npyTensor } from '../../src/data/npy';
import { launch, settled } from './browser';
import { startStaticServer } from './static-server';
import { isolatedPoints } from './view-helpers';

const run = promisify(execFile);
let work: string;
let browser: Browser;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'projector-reduce-'));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('projector reduce', () => {
  it('lays mnist-2k out with t-SNE in Node; the viewer opens the layout with its metadata and pictures and hovers exactly', async () => {
    const src = 'public/data/mnist-2k';
    const out = join(work, 'out');
    const { stdout } = await run('node', [
      'src/node/projector.mjs', 'reduce', '--method', 'tsne', '--dim', '2', '--iterations', '300', '--threads', '2',
      '--vectors', `${src}/tensors.tsv`, '--metadata', `${src}/metadata.tsv`, '--sprite', `${src}/sprite.png`, '--sprite-size', '28x28', '--out', out,
    ]);
    expect(stdout).toMatch(/2000 x 2, tsne, 2 threads/);
    const layout = npyTensor(new Uint8Array(readFileSync(join(out, 'layout-tensors-tsne-2d.npy'))), 'layout.npy');
    expect([layout.n, layout.d]).toEqual([2000, 2]);
    expect(Array.from(layout.data).every(Number.isFinite)).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'projector_config.json'), 'utf8'));
    expect(config.embeddings[0]).toMatchObject({ tensorPath: 'layout-tensors-tsne-2d.npy', tensorShape: [2000, 2], metadataPath: 'metadata.tsv', sprite: { imagePath: 'sprite.png', singleImageDim: [28, 28] } });
    expect(config.embeddings[1]).toMatchObject({ tensorPath: 'tensors.tsv', tensorShape: [2000, 784] });

    const labels = readFileSync(`${src}/metadata.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
    const { url, server } = await startStaticServer({ '/reduced/': out, '/': 'dist' });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      await page.goto(`${url}?config=reduced/projector_config.json`);
      await page.waitForFunction(() => typeof window.projector !== 'undefined');
      expect(await settled(page)).toBe('ready');
      const state = await page.evaluate(() => window.projector.state());
      expect(state.titles).toEqual(['tensors · t-SNE 2D', 'tensors']);
      expect([state.numPoints, state.dims]).toEqual([2000, 2]);
      expect(state.columns.length).toBeGreaterThan(0);
      // Drawn as computed: the same shape (up to the viewer's centring and uniform scale).
      const shown = await page.evaluate(() => Array.from(window.projector.positions()));
      const dx = (i: number, j: number, a: number[], stride: number) => a[i * stride] - a[j * stride];
      const ratio = dx(1, 0, shown, 3) / dx(1, 0, Array.from(layout.data), 2);
      for (const [i, j] of [[5, 9], [100, 1500], [1999, 3]]) {
        expect(dx(i, j, shown, 3)).toBeCloseTo(ratio * dx(i, j, Array.from(layout.data), 2), 4);
      }
      // Hover a few points that stand alone: each names its own digit.
      for (const p of await isolatedPoints(page, 3)) {
        await page.mouse.move(p.x, p.y);
        await page.waitForFunction((i) => window.projector.hovered() === i, p.i);
        await expect(page.getByTestId('tooltip-label').textContent()).resolves.toContain(labels[p.i]);
      }
      await page.close();
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
