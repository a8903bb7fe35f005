/** Headless Debian Chromium driven by playwright-core, with WebGL through SwiftShader. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

export const baseUrl = () => inject('baseUrl');

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export async function openPage(browser: Browser, query: string, viewport = { width: 1000, height: 700 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(new URL(query, baseUrl()).href);
  await page.waitForFunction(() => typeof window.projector !== 'undefined');
  return page;
}

/** Waits until the app has settled on a layout or an error. */
export async function settled(page: Page): Promise<string> {
  await page.waitForFunction(() => ['ready', 'error'].includes(window.projector.state().status), null, { timeout: 90_000 });
  return page.evaluate(() => window.projector.state().status);
}
