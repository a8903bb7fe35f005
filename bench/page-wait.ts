/** Waiting on a page condition from Node: waitForFunction evaluates strings with eval, which the app's CSP forbids. */
import type { Page } from 'playwright-core';

export async function until(page: Page, expr: string, { timeout = 600_000, polling = 50 } = {}): Promise<void> {
  const end = performance.now() + timeout;
  while (!(await page.evaluate(`Boolean(${expr})`))) {
    if (performance.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, polling));
  }
}
