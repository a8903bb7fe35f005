/** Headless Debian Chromium driven by playwright-core, with WebGL through SwiftShader. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const baseUrl = () => inject('baseUrl');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
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
