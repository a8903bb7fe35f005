/** What several e2e files ask of the view: wait for it to rest, find points to hover, read pixels. */
import type { Page } from 'playwright-core';

/** Waits until points stop moving on screen (the canvas may still be taking its size, a glide may run). */
export async function stableView(page: Page) {
  const probe = () => page.evaluate(() => JSON.stringify([0, 1, 2].map((i) => window.projector.screenPosition(i))));
  let last = await probe();
  for (let k = 0; k < 50; k++) {
    await page.waitForTimeout(150);
    const now = await probe();
    if (now === last && !now.includes('null')) return;
    last = now;
  }
}

/** Points with no other point within `gap` CSS pixels on screen, so the one under the cursor is unambiguous. */
export async function isolatedPoints(page: Page, count: number, gap = 40) {
  await stableView(page);
  return page.evaluate(
    ({ count, gap }) => {
      const n = window.projector.state().numPoints;
      const pts = Array.from({ length: n }, (_, i) => window.projector.screenPosition(i));
      const out: { i: number; x: number; y: number }[] = [];
      for (let i = 0; i < n && out.length < count; i++) {
        const p = pts[i];
        // Points under the panel or the legend cannot be hovered: the cursor would be over them.
        if (!p || document.elementFromPoint(p.x, p.y)?.tagName !== 'CANVAS') continue;
        const alone = pts.every((q, j) => j === i || !q || Math.hypot(q.x - p.x, q.y - p.y) > gap);
        if (alone) out.push({ i, x: p.x, y: p.y });
      }
      return out;
    },
    { count, gap },
  );
}

/** Keeps a copy of the canvas's pixels in the page under `name`. */
export const snapshot = (page: Page, name: string) =>
  page.evaluate((name) => {
    const src = document.querySelector('canvas')!;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    (window as unknown as Record<string, Uint8ClampedArray>)[`snap_${name}`] = ctx.getImageData(0, 0, c.width, c.height).data;
  }, name);

/** Share of a snapshot's pixels unlike the top-left one (the background): how much is drawn. */
export const drawnShare = (page: Page, name: string) =>
  page.evaluate((name) => {
    const d = (window as unknown as Record<string, Uint8ClampedArray>)[`snap_${name}`];
    let drawn = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 30) drawn++;
    return drawn / (d.length / 4);
  }, name);
