// Journey 2 (the results officer at rally HQ): the desk on a laptop — overdue
// crews pushed live, a conflict between two phones resolved with a reason,
// and provisional results published, which the public rally page then stamps.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loadFixture, phonePage, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Car 10 started SS16 at 15:23:00 and has not been seen since: overdue.
const HELD = new Set(['SS16F-10', 'SS16X-10', 'TC16A-10']);

async function openDesk(b: Browser, server: TestServer): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await b.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'America/Detroit' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/hq.html`);
  await page.selectOption('#rally', server.rallyId);
  await page.fill('#token', server.officerToken);
  await page.click('#go');
  await page.waitForSelector('#desk:not([hidden])');
  return { page, errors, close: () => context.close() };
}

describe('the results officer at HQ (laptop)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ keep: (f) => !HELD.has(f.id) }); });
  after(async () => { await server?.close(); });

  test('the administrator token printed at first start opens the desk in the browser alone (no other token needed)', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'America/Detroit' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/hq.html`);
      await page.selectOption('#rally', server.rallyId);
      await page.fill('#token', server.adminToken);
      await page.click('#go');
      await page.waitForSelector('#desk:not([hidden])');
      await page.click('#tab-publish');
      await page.waitForSelector('#publish');
      assert.equal(await page.locator('#publish').isEnabled(), true);
    } finally {
      await context.close();
    }
  });

  test('a wrong token is refused with the reason; a timekeeper token cannot open the desk', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/hq.html`);
      await page.fill('#token', 'not-a-token');
      await page.click('#go');
      await page.waitForFunction(() => (document.querySelector('#login-msg')?.textContent ?? '') !== '');
      assert.match(await page.locator('#login-msg').innerText(), /Token not accepted/);
      assert.equal(await page.locator('#desk').isHidden(), true);
    } finally {
      await context.close();
    }
  });

  test('sees car 10 overdue on SS16 live, and it clears without reload when its finish time arrives', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server);
    try {
      await desk.page.waitForSelector('#overdue li[data-car="10"]');
      assert.match(await desk.page.locator('#overdue li[data-car="10"]').innerText(), /Car 10 on SS16: \+\d/);
      assert.equal(await desk.page.locator('#overdue-count').innerText(), '1');
      const r = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'hq-e2e-SS16F-10', type: 'controlTime', car: 10, control: 'SS16F', at: '2026-02-07T15:28:02.3', source: 'eztrak' }, server.officerToken);
      assert.equal(r.status, 201);
      await desk.page.waitForFunction(() => document.querySelector('#overdue-count')?.textContent === '0');
      assert.match(await desk.page.locator('#overdue').innerText(), /No crew overdue/);
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('two phones disagree on car 23 at SS16F by a minute: the officer keeps the time-card one with a reason', async (t) => {
    if (!browser) return t.skip('no Chromium');
    // The fixture has SS16F-23 at 15:41:35.0; a second phone typed 15:42:35.0.
    const r = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'phone-b-000001', type: 'controlTime', car: 23, control: 'SS16F', at: '2026-02-07T15:42:35.0', source: 'marshalClock', device: 'finish phone B', raw: '23 15:42:35.0' }, server.officerToken);
    assert.equal(r.status, 201);
    const desk = await openDesk(browser, server);
    try {
      await desk.page.waitForFunction(() => document.querySelector('#conflict-count')?.textContent === '1');
      const item = desk.page.locator('#conflicts > li').first();
      assert.match(await item.innerText(), /7 Feb 15:41:35\.0 EST — SS16F-23/);
      assert.match(await item.innerText(), /7 Feb 15:42:35\.0 EST — phone-b-000001 .*typed "23 15:42:35\.0"/);
      await item.getByLabel('Reason').fill('time card shows 15:41');
      await item.locator('li', { hasText: 'SS16F-23' }).getByRole('button', { name: 'Keep this' }).click();
      await desk.page.waitForFunction(() => document.querySelector('#conflict-count')?.textContent === '0');
      // The log keeps both times and the withdrawal with its reason.
      // Only what was recorded after the fixture's facts were imported (their seqs run 1..n).
      const imported = loadFixture().facts.filter((f) => !HELD.has(f.id)).length;
      const log = await server.api<{ facts: { fact: { type: string; supersedes?: string; reason?: string } }[] }>('GET', `/api/rallies/${server.rallyId}/facts?after=${imported}`);
      const withdrawal = log.body.facts.find((f) => f.fact.supersedes === 'phone-b-000001');
      assert.equal(withdrawal?.fact.type, 'retraction');
      assert.equal(withdrawal?.fact.reason, 'time card shows 15:41');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('publishes provisional results "after leg 2"; the rally page then shows the provisional stamp', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server);
    const fan = await phonePage(browser);
    try {
      await fan.page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await fan.page.waitForSelector('#leaderboard tbody tr');
      assert.equal((await fan.page.locator('#stamp').innerText()).toLowerCase(), 'live', 'nothing published yet');

      await desk.page.click('#tab-publish');
      await desk.page.selectOption('#pub-kind', 'provisional');
      await desk.page.fill('#pub-reason', 'after leg 2');
      await desk.page.click('#publish');
      await desk.page.waitForSelector('#publications li[data-kind="provisional"]');
      assert.match(await desk.page.locator('#publications').innerText(), /provisional #1 .* — after leg 2/i);
      assert.match(await desk.page.locator('#desk-msg').innerText(), /Published provisional results #1/);

      // A crew opening (or reloading) the page sees the stamp; the server may also push it live.
      await fan.page.reload();
      await fan.page.waitForFunction(() => /provisional #1/i.test(document.querySelector('#stamp')?.textContent ?? ''));
      assert.equal(await fan.page.locator('#stamp').getAttribute('class'), 'stamp provisional');
      assert.match(await fan.page.locator('#stamp').getAttribute('title') ?? '', /after leg 2/);
      assert.deepEqual([...desk.errors, ...fan.errors], []);
    } finally {
      await fan.context.close();
      await desk.close();
    }
  });
});
