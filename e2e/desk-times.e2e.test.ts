// Times on the desk, the audit and the notice board are read as rally people
// read them: rally-local, 24-hour, with the zone named — on a laptop set to
// another zone too (a steward flown in from London keeps the clock of home).
// Sno*Drift runs in America/Detroit: 21:00 UTC is 16:00 EST.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { openDesk, shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Anything written the browser's way: 12-hour clocks, US dates, the laptop's zone. */
async function browserWayTimes(p: Page): Promise<string[]> {
  const text = await p.locator('main, #app, body').first().innerText();
  return [...text.matchAll(/\b\d{1,2}:\d\d(?::\d\d)? ?[AP]M\b|\b\d{1,2}\/\d{1,2}\/\d{4}\b|\bGMT\b|\bBST\b/g)].map((m) => m[0]);
}

describe('times on the desk, the audit and the notice board', () => {
  let server: TestServer;
  const clock = Date.parse('2026-02-07T21:00:00Z');
  before(async () => { if (browser) server = await startServer({ now: () => new Date(clock) }); });
  after(async () => { await server?.close(); });

  test('a laptop set to Europe/London: publication, inquiry clock, protest, notice, acknowledgment and audit all say 16:00 EST, never 9:00 PM or GMT', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server, 1280, 900, 'Europe/London');
    try {
      const p = desk.page;
      await p.click('#tab-publish');
      await p.selectOption('#pub-kind', 'provisional');
      await p.fill('#pub-reason', 'all crews in');
      await p.click('#publish');
      await p.waitForSelector('#publications li[data-kind="provisional"]');
      assert.match(await p.locator('#publications li[data-kind="provisional"]').innerText(), /provisional #1 7 Feb 2026 16:0\d:\d\d EST — all crews in/i);
      await p.waitForFunction(() => /until 16:30 EST/.test(document.querySelector('#inquiry-clock')?.textContent ?? ''));
      await p.getByLabel('About car').fill('7');
      await p.getByLabel('Lodged by').fill('entrant of car 2');
      await p.getByLabel('Grounds').fill('car 7 cut a chicane on SS14');
      await p.getByRole('button', { name: 'Record as received now' }).click();
      await p.waitForFunction(() => /received 7 Feb 2026 16:00:00 EST/.test(document.querySelector('#protests')?.textContent ?? ''));
      assert.deepEqual(await browserWayTimes(p), [], 'publication & inquiry tab');
      await shot(p, 'desk-times-london');

      await p.click('#tab-notices');
      await p.getByLabel('Title').fill('Service park speed limit');
      await p.getByRole('button', { name: 'Post on the notice board' }).click();
      await p.waitForSelector('#notice-list li[data-notice="1"]');
      assert.match(await p.locator('#notice-list li[data-notice="1"]').innerText(), /posted 7 Feb 2026 16:00:00 EST/);
      await p.getByLabel('Car', { exact: true }).fill('7');
      await p.getByRole('button', { name: 'Issue crew code' }).click();
      const link = await p.locator('#crew-link').getAttribute('href');
      assert.ok(link);

      const phone = await phonePage(browser, { timezoneId: 'Europe/London' });
      try {
        await phone.page.goto(link);
        await phone.page.getByRole('button', { name: 'Acknowledge document 1' }).click();
        await phone.page.waitForSelector('[data-acked]');
        assert.match(await phone.page.locator('li[data-notice="1"]').innerText(), /Posted 7 Feb 2026 16:00:00 EST/);
        assert.match(await phone.page.locator('[data-acked]').innerText(), /at 7 Feb 2026 16:00:00 EST/);
        assert.deepEqual(await browserWayTimes(phone.page), [], 'public notice board');
      } finally {
        await phone.context.close();
      }
      await p.reload();
      await p.click('#tab-notices');
      await p.waitForFunction(() => /car 7 \(16:00:00 EST\)/.test(document.querySelector('#notice-list li[data-notice="1"] .ack-line')?.textContent ?? ''));
      assert.deepEqual(await browserWayTimes(p), [], 'notice board tab');

      await p.click('#tab-audit');
      await p.waitForSelector('#audit-facts tbody tr');
      assert.match(await p.locator('#audit-facts tbody tr').first().innerText(), / EST/);
      assert.match(await p.locator('main').innerText(), /publish — Results officer, 7 Feb 2026 16:00:00 EST/);
      assert.deepEqual(await browserWayTimes(p), [], 'audit tab');

      await p.click('#tab-phones');
      await p.getByLabel('Post').fill('SS16 finish');
      await p.getByLabel('Controls').fill('ss16f');
      await p.click('#enr-btn');
      await p.waitForSelector('#enr-code');
      assert.match(await p.locator('#enr-out').innerText(), /Works once, until \d{1,2} Feb 2026 \d\d:\d\d:\d\d EST/);
      assert.deepEqual(await browserWayTimes(p), [], 'marshal phones tab');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });
});
