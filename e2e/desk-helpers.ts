// Helpers of the desk's browser tests: the desk opened at a given width, and
// screenshots written for the user documentation (docs/web.md, docs/img).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, type TestServer } from './harness.ts';

/** Screenshots for the user documentation (docs/web.md), overwritten on every run. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'docs', 'img', `${name}.png`) });
}

export async function openDesk(b: Browser, server: TestServer, width = 1280, height = 900): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await b.newContext({ viewport: { width, height }, timezoneId: 'America/Detroit', locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/hq.html`);
  await page.selectOption('#rally', server.rallyId);
  await page.fill('#token', server.officerToken);
  await page.click('#go');
  await page.waitForSelector('#desk');
  return { page, errors, close: () => context.close() };
}

