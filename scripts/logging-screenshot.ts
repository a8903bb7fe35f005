/**
 * The README's logging walkthrough, run for real: `projector log` three epochs of the digits MLP's
 * second hidden layer (pictures built from the 8x8 digits), `projector serve` the folder, open the
 * printed URL and write docs/logging.png. Needs a built app (npm run build).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium';

const D = 'public/data';
const logs = mkdtempSync(join(tmpdir(), 'projector-logs-'));
for (const e of [0, 1, 2]) {
  execFileSync('node', [
    'src/node/projector.mjs', 'log',
    '--vectors', `${D}/digits-mlp-epochs/vectors-hidden-layer-2-epoch-${e}.tsv`,
    '--labels', `${D}/sklearn-digits-8x8/metadata.tsv`,
    '--images', `${D}/sklearn-digits-8x8/tensors.tsv`, '--size', '8x8', '--preprocess', 'v*255/16',
    '--transparent', '0,0,0', '--background-by', 'digit',
    '--title', `epoch-${e}`, '--group', 'hidden-layer-2', '--out', join(logs, 'mlp'),
  ], { stdio: 'inherit' });
}
const server = spawn('node', ['src/node/projector.mjs', 'serve', logs, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => server.stdout!.on('data', (b: Buffer) => {
  const m = /http:\/\/\S+/.exec(b.toString());
  if (m) resolve(m[0]);
}));
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
await page.goto(`${url}&title=epoch-2&projection=umap&dim=2`);
await page.waitForFunction('window.projector && window.projector.state().status === "ready"', null, { timeout: 120_000 });
await page.waitForTimeout(800);
const target = await page.evaluate(`(() => {
  for (let i = 0; i < 1797; i++) {
    const p = window.projector.screenPosition(i);
    if (p && p.x > 560 && p.x < 760 && p.y > 280 && p.y < 480 && document.elementFromPoint(p.x, p.y).tagName === 'CANVAS') return p;
  }
  return null;
})()`) as { x: number; y: number } | null;
if (target) {
  await page.mouse.move(target.x, target.y);
  await page.waitForFunction('window.projector.hovered() !== null');
}
await page.screenshot({ path: 'docs/logging.png' });
await browser.close();
server.kill();
console.log(`wrote docs/logging.png (served ${url})`);
