// Helpers of the desk's browser tests: the desk opened at a given width, and
// screenshots written for the user documentation (docs/web.md, docs/img).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, type TestServer } from './harness.ts';

/**
 * Screenshots for the user documentation (docs/web.md): written to docs/img
 * when RALLYHQ_DOC_SHOTS=1 (`RALLYHQ_DOC_SHOTS=1 node --import tsx --test e2e/desk*.e2e.test.ts`),
 * else to the temporary directory, so an ordinary test run leaves the tree clean.
 */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.RALLYHQ_DOC_SHOTS === '1' ? join(ROOT, 'docs', 'img') : tmpdir();
  await page.screenshot({ path: join(dir, `${name}.png`), scale: 'css' });
}

/** `timezoneId`: the laptop's own zone (the rally's by default; another one shows the desk never reads it). */
export async function openDesk(b: Browser, server: TestServer, width = 1280, height = 900, timezoneId = 'America/Detroit'): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await b.newContext({ viewport: { width, height }, timezoneId, locale: 'en-US' });
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

