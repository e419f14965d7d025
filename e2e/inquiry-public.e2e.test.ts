// The inquiry clock on the public rally page (issue: inquiry clock "runs
// visibly on the desk and on the public page"): after a provisional
// classification the rules' inquiry window (ARA's 30 min, rally-rules §5,
// NASA-INQ) is one small line under the title, in the rally's time zone
// whatever the phone's zone, in the server's first view and live after.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('the public page shows the inquiry clock', () => {
  let server: TestServer;
  // 21:00 UTC is 16:00 in Detroit (the rally's zone, EST in February).
  let clock = Date.parse('2026-02-07T21:00:00Z');
  before(async () => { if (browser) server = await startServer({ now: () => new Date(clock) }); });
  after(async () => { await server?.close(); });

  test('provisional #1 at 16:00 EST: the page (a phone set to London) shows the window closing 16:30 EST with the minutes left, live, in the first view, closed after, and gone once the official classification is out', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const fan = await phonePage(browser, { timezoneId: 'Europe/London' });
    const page = fan.page;
    const line = async () => (await page.locator('#inquiry').innerText()).replace(/\s+/g, ' ').trim();
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      assert.equal(await page.locator('#inquiry').count(), 0, 'no window before a provisional classification');

      const pub = await server.api('POST', `/api/rallies/${server.rallyId}/publications`, { kind: 'provisional', reason: 'all crews in' }, server.officerToken);
      assert.equal(pub.status, 201);
      // Live: the publication event brings the clock, no reload.
      await page.waitForSelector('#inquiry');
      assert.equal(await line(), 'Provisional #1 posted 16:00 EST · inquiry window closes 16:30 EST (30 min left)');
      assert.match(await page.locator('#inquiry').getAttribute('title') ?? '', /^30 min inquiry window after a provisional classification \(/);
      await shot(page, 'rally-inquiry-phone');

      // The server's first view already holds it, minutes left at the server's time.
      clock += 2 * 60_000;
      const html = await (await fetch(`${server.url}/rally.html?id=${server.rallyId}`)).text();
      assert.match(html, /Provisional #1 posted 16:00 EST · inquiry window closes 16:30 EST \(28 min left\)/);
      await page.reload();
      await page.waitForSelector('#inquiry');
      assert.equal(await line(), 'Provisional #1 posted 16:00 EST · inquiry window closes 16:30 EST (28 min left)');

      clock += 30 * 60_000;
      await page.reload();
      await page.waitForFunction(() => /closed/.test(document.querySelector('#inquiry')?.textContent ?? ''));
      assert.equal(await line(), 'Provisional #1 posted 16:00 EST · inquiry window closed 16:30 EST');

      const official = await server.api('POST', `/api/rallies/${server.rallyId}/publications`, { kind: 'official', reason: 'final classification', override: { reason: 'test of the public page' } }, server.officerToken);
      assert.equal(official.status, 201);
      await page.waitForFunction(() => document.querySelector('#inquiry') === null);
      assert.deepEqual(fan.errors, []);
    } finally {
      await fan.context.close();
    }
  });
});
