// A marshal fixes a wrong entry on the phone and HQ sees why: the phone's
// correction supersedes its own entry with a reason, the desk's audit view
// shows the superseding fact; HQ's withdrawal of another entry shows on the
// phone with its reason. Control names on the enrollment are any case.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { openDesk, shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const HELD = new Set(['SS16F-23', 'SS16X-23', 'TC16A-23', 'SS16F-24', 'SS16X-24', 'TC16A-24']);

describe('a marshal corrects an entry; HQ sees the correction with its reason', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ keep: (f) => !HELD.has(f.id) }); });
  after(async () => { await server?.close(); });

  test('car 32 typed for 23 at SS16F is corrected on the phone with a reason; the desk audit shows the superseding fact; HQ withdraws car 24 and the phone says why', async (t) => {
    if (!browser) return t.skip('no Chromium');
    // Issued for "ss16f": control names are matched without regard to case.
    const enr = await server.api<{ code: string; controls: string[] }>('POST', `/api/rallies/${server.rallyId}/enrollments`, { label: 'SS16 finish', controls: ['ss16f'] }, server.officerToken);
    assert.equal(enr.status, 201, JSON.stringify(enr.body));
    assert.deepEqual(enr.body.controls, ['SS16F']);
    const phone = await phonePage(browser);
    try {
      const page = phone.page;
      await page.clock.install({ time: new Date('2026-02-07T15:45:00-05:00') });
      await page.goto(`${server.url}/enroll?code=${encodeURIComponent(enr.body.code)}`);
      await page.fill('#device-name', 'finish phone A');
      await page.click('#enroll-btn');
      await page.waitForSelector('#entry');
      // A car that is not entered is refused on the phone, in words, before anything is sent.
      await page.fill('#car', '13');
      await page.fill('#time', '15:41:35.0');
      await page.click('#save');
      assert.match(await page.locator('#warn').innerText(), /Car 13 is not on the entry list/);
      await page.fill('#car', '32');
      await page.click('#save');
      await page.waitForSelector('#recent tr[data-car="32"][data-state="sent"]');
      await page.fill('#car', '24');
      await page.fill('#time', '15:42:10.4');
      await page.click('#save');
      await page.waitForSelector('#recent tr[data-car="24"][data-state="sent"]');

      await page.getByRole('button', { name: /Correct car 32/ }).click();
      await page.fill('#edit-car', '23');
      await page.fill('#edit-reason', 'misread the door: it was 23');
      await page.getByRole('button', { name: 'Save the correction' }).click();
      await page.waitForSelector('#recent tr[data-car="23"][data-state="sent"]');
      assert.match(await page.locator('#recent tr[data-car="23"]').innerText(), /corrects .*misread the door/);

      // HQ withdraws car 24's time; the phone shows it with the reason.
      const id24 = await page.locator('#recent tr[data-car="24"]').getAttribute('data-id');
      const w = await server.api('POST', `/api/rallies/${server.rallyId}/corrections`, { id: 'hq-w-24', supersedes: id24, reason: 'car 24 retired on SS16, the phone saw the sweep car' }, server.officerToken);
      assert.equal(w.status, 201, JSON.stringify(w.body));
      await page.clock.fastForward(16_000);
      await page.waitForSelector('#recent tr[data-car="24"] .hq-note');
      assert.match(await page.locator('#recent tr[data-car="24"] .hq-note').innerText(), /withdrawn by HQ .*sweep car/);
      await shot(page, 'marshal-correction-phone');
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.context.close();
    }

    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      await p.click('#tab-audit');
      await p.selectOption('#audit-scope', 'car:23');
      const row = p.locator('#audit-facts tr', { hasText: 'misread the door' });
      await row.waitFor();
      assert.match(await row.innerText(), /controlTime car 23 · SS16F · 7 Feb 15:41:35\.0 EST/);
      assert.match(await row.innerText(), /SS16 finish/);
      assert.match(await row.innerText(), /finish phone A/);
      assert.match(await row.innerText(), /supersedes #\d+ controlTime car 32/);
      await shot(p, 'desk-audit');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });
});
