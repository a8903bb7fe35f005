/** Regenerates docs/screenshot.png from the built app (npm run build first): MNIST 2k in UMAP 2D, thumbnails coloured by digit, zoomed in, one point hovered. */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium';
import { startStaticServer } from '../tests/e2e/static-server';

const { url, server } = await startStaticServer({ '/': 'dist' });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
await page.goto(`${url}?config=data/mnist-2k/projector_config.json`);
await page.waitForFunction(() => window.projector?.state().status === 'ready');
await page.waitForFunction(() => window.projector.screenPosition(0) !== null);
await page.evaluate(() => window.projector.setProjection('umap', 2));
// Zoom in until the thumbnails read as digits.
const box = (await page.locator('canvas').boundingBox())!;
await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
for (let k = 0; k < 6; k++) await page.mouse.wheel(0, -200);
await page.waitForTimeout(500);
const target = await page.evaluate(() => {
  const n = window.projector.state().numPoints;
  for (let i = 0; i < n; i++) {
    const p = window.projector.screenPosition(i);
    if (p && p.x > 500 && p.x < 700 && p.y > 300 && p.y < 420) return p;
  }
  return null;
});
if (target) {
  await page.mouse.move(target.x, target.y);
  await page.waitForFunction(() => window.projector.hovered() !== null);
}
await page.screenshot({ path: 'docs/screenshot.png' });
await browser.close();
server.close();
console.log('wrote docs/screenshot.png');
