/**
 * Words, not dots: GloVe opens with no colouring (10,000 words are no categories), its words drawn
 * as labels without overlapping at every zoom, and no offer to read word vectors as pictures.
 * MNIST keeps its digit colours and its images panel.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, settled } from './browser';
import { stableView } from './view-helpers';

const words = readFileSync('public/data/glove-100d-10k/metadata.tsv', 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l !== '')
  .map((l) => l.split('\t')[0]);

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface LabelBox {
  index: number;
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The labels the view has placed once it rests, with their boxes as the page draws them. */
async function restedLabels(page: Page): Promise<{ api: { index: number; text: string }[]; boxes: LabelBox[] }> {
  await stableView(page);
  let last = '';
  for (let k = 0; k < 40; k++) {
    await page.waitForTimeout(250);
    const now = await page.evaluate(() => JSON.stringify(window.projector.labels()));
    if (now === last && now !== '[]') break;
    last = now;
  }
  return page.evaluate(() => ({
    api: window.projector.labels(),
    boxes: [...document.querySelectorAll<HTMLElement>('.label-layer .point-label')].map((el) => {
      const r = el.getBoundingClientRect();
      return { index: Number(el.dataset.index), text: el.textContent ?? '', left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }),
  }));
}

function overlapping(boxes: LabelBox[]): [string, string][] {
  const out: [string, string][] = [];
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) {
      const p = boxes[a];
      const q = boxes[b];
      if (p.left < q.right - 0.5 && p.right > q.left + 0.5 && p.top < q.bottom - 0.5 && p.bottom > q.top + 0.5) out.push([p.text, q.text]);
    }
  }
  return out;
}

describe('GloVe words read as text', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPage(browser, '?config=data/glove-100d-10k/projector_config.json');
    expect(await settled(page)).toBe('ready');
  });

  it('opens with colouring off and no legend; the word column cannot colour', async () => {
    const s = await page.evaluate(() => window.projector.state());
    expect(s.numPoints).toBe(10000);
    expect(s.colorColumn).toBeNull();
    expect(await page.locator('[data-testid=legend]').count()).toBe(0);
    const refused = await page.evaluate(() => {
      try {
        window.projector.colorBy('word');
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(refused).toMatch(/too many values/);
    expect((await page.evaluate(() => window.projector.state())).colorColumn).toBeNull();
    const option = page.locator('[data-testid=color-select] option', { hasText: 'word' });
    expect(await option.textContent()).toBe('word (too many values)');
    expect(await option.isDisabled()).toBe(true);
    // Numbers keep a continuous scale.
    await page.evaluate(() => window.projector.colorBy('glove_rank'));
    expect(await page.locator('[data-testid=legend] .ramp').count()).toBe(1);
    await page.evaluate(() => window.projector.colorBy(null));
    expect(await page.locator('[data-testid=legend]').count()).toBe(0);
  });

  it('the images panel starts collapsed', async () => {
    expect(await page.locator('[data-testid=images-panel]').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
  });

  it('at the default zoom at least 100 words are drawn, none overlapping, each its row word; zooming in shows more', async () => {
    const before = await restedLabels(page);
    expect(before.boxes.length).toBeGreaterThanOrEqual(100);
    expect(before.api.map((l) => l.index)).toEqual(before.boxes.map((b) => b.index));
    for (const b of before.boxes) expect(b.text).toBe(words[b.index]);
    for (const l of before.api) expect(l.text).toBe(words[l.index]);
    expect(overlapping(before.boxes)).toEqual([]);
    // Frequent words come first in 3D too, when near: the most frequent placed word is high in the file.
    const canvas = (await page.locator('.viewer canvas').first().boundingBox())!;
    for (const b of before.boxes) {
      expect(b.left).toBeGreaterThanOrEqual(canvas.x - 0.5);
      expect(b.right).toBeLessThanOrEqual(canvas.x + canvas.width + 0.5);
    }

    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let k = 0; k < 5; k++) {
      await page.mouse.wheel(0, -200);
      await page.waitForTimeout(60);
    }
    const after = await restedLabels(page);
    expect(overlapping(after.boxes)).toEqual([]);
    for (const b of after.boxes) expect(b.text).toBe(words[b.index]);
    expect(after.boxes.length).toBeGreaterThan(before.boxes.length);
    const placeMs = await page.evaluate(() => window.projector.debug.labelPlacementMs());
    console.log(`labels: ${before.boxes.length} at the first view, ${after.boxes.length} zoomed in; placement ${placeMs.toFixed(1)} ms`);
  });

  it('in 2D, frequent words are labelled first and labels stay clear of each other', async () => {
    // Away from the canvas: a hovered word would come first.
    await page.mouse.move(1, 1);
    await page.evaluate(() => window.projector.setProjection('pca', 2));
    expect(await page.evaluate(() => window.projector.hovered())).toBeNull();
    const { boxes, api } = await restedLabels(page);
    expect(boxes.length).toBeGreaterThanOrEqual(100);
    expect(overlapping(boxes)).toEqual([]);
    // Row order is frequency order: labels are placed in it, and the most frequent words come first.
    const rows = api.map((l) => l.index);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(rows[0]).toBeLessThan(20);
    console.log(`2D: ${rows.length} labels, first ${api.slice(0, 8).map((l) => l.text).join(' ')}`);
  });
});

describe('MNIST keeps its pictures, colours and panel', () => {
  it('colours by digit with a legend; the first view fills most of the canvas', async () => {
    const page = await openPage(browser, '?config=data/mnist-2k/projector_config.json');
    expect(await settled(page)).toBe('ready');
    expect((await page.evaluate(() => window.projector.state())).colorColumn).toBe('label');
    expect(await page.locator('[data-testid=legend] li').count()).toBe(10);
    await stableView(page);
    const share = await page.evaluate(() => {
      const canvas = document.querySelector('canvas')!.getBoundingClientRect();
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let i = 0; i < window.projector.state().numPoints; i++) {
        const p = window.projector.screenPosition(i);
        if (!p) continue;
        [x0, y0, x1, y1] = [Math.min(x0, p.x), Math.min(y0, p.y), Math.max(x1, p.x), Math.max(y1, p.y)];
      }
      return Math.max((x1 - x0) / canvas.width, (y1 - y0) / canvas.height);
    });
    expect(share).toBeGreaterThan(0.75);
    await page.close();
  });

  it('vectors that are pictures keep the images panel open', async () => {
    const page = await openPage(browser, '?config=/fixtures/mnist-no-sprite/projector_config.json');
    expect(await settled(page)).toBe('ready');
    expect(await page.locator('[data-testid=images-panel]').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    await page.close();
  });
});
