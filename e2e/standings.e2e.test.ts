// The public standings page (no token): reached from the rally page, the ARA
// 2026 drivers' table with the workings of a total, who can still win, and the
// position after each round once a second round has a result — on a 390 px
// phone without sideways scrolling, and readable with JavaScript off.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type TestServer } from './harness.ts';
import { shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('the public standings page', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  test('from the rally page to the ARA drivers\' standings on a phone: workings, who can still win, positions after each round', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: 'America/Detroit', locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.getByRole('link', { name: 'Standings' }).click();
      await page.waitForURL(/\/standings\.html\?rally=snodrift-2026/);
      // The seeded ARA 2026 season links Sno*Drift (round 3 of its calendar) to this rally.
      await page.getByRole('heading', { name: 'ARA National Championship — drivers' }).waitFor();
      assert.match(await page.locator('#standings-status').innerText(), /After Round 3: Sno\*Drift Rally, 6–7 Feb 2026\s+provisional: R3 not yet official/i);
      const first = page.locator('#standings tbody tr').first();
      // ARA national points 22-17-14-12-10 for 1st–5th (rally-rules §6.2; ara-evidence.md).
      assert.match(await first.innerText(), /^1\s+Samuel Sorensen\s+22\s+22$/);
      await first.getByText('Samuel Sorensen').click();
      assert.match(await first.locator('details').innerText(), /R3 22 counted: final classification 1st → 22\s+Total 22 = 22/);
      assert.match(await page.locator('#title-maths').innerText(), /Samuel Sorensen leads with 22 points; 7 rounds left/);
      assert.match(await page.locator('#contenders').innerText(), /Travis Pastrana: 17 now, can reach/);
      assert.ok(await pageWidth(page) <= 390, 'no sideways scrolling of the page on a 390 px phone');
      await shot(page, 'standings-workings-phone');
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'standings-phone');

      // A second round with a result (entered as an external result): Pastrana wins it, Sorensen third.
      const put = await server.api('PUT', '/api/championships/ara-2026/rounds/100aw/results', {
        status: 'final', source: 'illustrative external result',
        crews: ([['Travis Pastrana', 'L4WD', 1], ['Lia Block', 'L4WD', 2], ['Samuel Sorensen', 'O4WD', 3]] as const).map(([driver, cls, position]) => ({ driver, make: 'Subaru', class: cls, status: 'finished', position, eligibility: ['ara-national'] })),
      }, server.adminToken);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      await page.reload();
      const history = page.locator('#history');
      assert.deepEqual(await history.locator('thead th').allInnerTexts(), ['Competitor', 'after R3', 'after R4']);
      // 17 + 22 = 39 and 22 + 14 = 36: the lead changes hands at round 4.
      assert.match(await history.locator('tr', { hasText: 'Travis Pastrana' }).innerText(), /P2\s+17 pts\s+P1\s+39 pts/);
      assert.match(await history.locator('tr', { hasText: 'Samuel Sorensen' }).innerText(), /P1\s+22 pts\s+P2\s+36 pts/);
      // The last column is the table above it, row for row.
      const table = await page.locator('#standings tbody tr').evaluateAll((rows) => rows.map((r) => `P${r.children[0]!.textContent} ${r.children[2]!.textContent}`));
      const last = await history.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r.lastElementChild as HTMLElement).innerText.replace(/\s+pts/, '').replace(/\s+/, ' ')));
      assert.deepEqual(last, table);
      await page.locator('#position-chart canvas').waitFor();
      assert.ok(await pageWidth(page) <= 390, 'the history and its chart stay inside the phone');
      await page.locator('#history-title').scrollIntoViewIfNeeded();
      await shot(page, 'standings-history-phone');

      // Another championship: chosen in the form and sent with Show.
      await page.getByLabel('Championship', { exact: true }).selectOption({ label: 'ARA National Championship — co-drivers' });
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByRole('heading', { name: 'ARA National Championship — co-drivers' }).waitFor();
      assert.match(page.url(), /season=ara-2026&championship=codrivers/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('readable without JavaScript: the table, the workings and the title maths come with the page; a button sends the choice', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/standings.html?season=ara-2026&championship=drivers`);
      assert.match(await page.locator('#standings tbody tr').first().innerText(), /^1\s+Travis Pastrana\s+39\s+17\s+22$/);
      await page.getByText('Samuel Sorensen', { exact: true }).first().click();
      assert.match(await page.locator('#standings tr', { hasText: 'Samuel Sorensen' }).locator('details').innerText(), /R4 14 counted: final classification 3rd → 14/);
      assert.match(await page.locator('#title-maths').innerText(), /Travis Pastrana leads with 39 points/);
      await page.getByLabel('Championship', { exact: true }).selectOption('l4wd-drivers');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByRole('heading', { name: 'ARA National Limited 4WD — drivers' }).waitFor();
      await shot(page, 'standings-desktop-nojs');
      // A rally no season counts: the page says so instead of passing another season off as its.
      await page.goto(`${server.url}/standings.html?rally=lakeshore-2026`);
      assert.match(await page.getByRole('note').innerText(), /No season on this server has a round scored by the rally lakeshore-2026; the latest season is shown/);
    } finally {
      await context.close();
    }
  });
});
