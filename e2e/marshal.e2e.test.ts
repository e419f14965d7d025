// Journey 3 (the marshal at a flying finish, no signal): enrollment by code,
// time entry on a phone, the offline outbox, and the duplicate warning — in
// real Chromium against a real server on SQLite.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';

interface LogEntry { seq: number; fact: { id: string; type: string; car?: number; control?: string; at?: string; device?: string; raw?: string } }

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// The SS16 flying-finish times of cars 23, 41 and 58 are held back: the marshal records them.
const MARSHAL_CARS = [23, 41, 58];
const held = new Set(MARSHAL_CARS.map((c) => `SS16F-${c}`));

async function enrollmentCode(server: TestServer, label: string): Promise<string> {
  const r = await server.api<{ code: string; url: string }>('POST', `/api/rallies/${server.rallyId}/enrollments`, { label, controls: ['SS16F'] }, server.officerToken);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.body.url, /^\/enroll\?code=/);
  return r.body.code;
}

/** The phone at the SS16 finish, Saturday 7 February 2026 at 15:45 in Michigan. */
async function enrolledPhone(server: TestServer, b: Browser, name: string) {
  const phone = await phonePage(b);
  await phone.page.clock.install({ time: new Date('2026-02-07T15:45:00-05:00') });
  const code = await enrollmentCode(server, 'SS16 flying finish');
  await phone.page.goto(`${server.url}/enroll?code=${encodeURIComponent(code)}`);
  assert.match(new URL(phone.page.url()).pathname, /\/marshal\.html$/, '/enroll redirects to the marshal page');
  assert.equal(await phone.page.inputValue('#code'), code, 'the code from the link is filled in');
  await phone.page.fill('#device-name', name);
  await phone.page.click('#enroll-btn');
  await phone.page.waitForSelector('#entry:not([hidden])');
  return phone;
}

async function recordNow(page: Page, car: number): Promise<void> {
  await page.fill('#car', String(car));
  await page.click('#now');
  await page.click('#save');
}

/** Waits for "N waiting"; on a timeout, says what the page showed instead. */
async function waitForCount(page: Page, n: number): Promise<void> {
  try {
    await page.waitForFunction((k) => new RegExp(`^${k} waiting`).test(document.querySelector('#waiting')?.textContent ?? ''), n, { timeout: 10_000 });
  } catch (e) {
    throw new Error(`"${n} waiting" not shown: ${(e as Error).message}\npage: ${await page.locator('body').innerText()}`);
  }
}

async function marshalFacts(server: TestServer, deviceName: string): Promise<LogEntry[]> {
  const r = await server.api<{ facts: LogEntry[] }>('GET', `/api/rallies/${server.rallyId}/facts?limit=10000`);
  return r.body.facts.filter((f) => f.fact.device === deviceName);
}

describe('a marshal at the SS16 flying finish (phone, 375 px)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ keep: (f) => !held.has(f.id) }); });
  after(async () => { await server?.close(); });

  test('enrolls by code, goes offline, records cars 23, 41, 58 → "3 waiting"; back online → "0 waiting"; the log has each once, also after a resend', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await enrolledPhone(server, browser, 'finish phone A');
    try {
      assert.match(await page.locator('#control-title').innerText(), /SS16F/);
      assert.match(await page.locator('#waiting').innerText(), /^0 waiting/);

      await context.setOffline(true);
      await page.fill('#car', '23');
      await page.click('#now');
      // Correct the tenth from the beam clock: "Now" gave 15:45:0x.y; one tenth later.
      const now = await page.inputValue('#time');
      assert.match(now, /^15:45:\d\d\.\d$/);
      await page.click('#plus');
      const corrected = await page.inputValue('#time');
      const tenths = (t: string) => Math.round(Number(t.slice(6)) * 10);
      assert.equal((tenths(corrected) - tenths(now) + 600) % 600, 1, `${now} + 0.1 s → ${corrected}`);
      await page.click('#save');
      await recordNow(page, 41);
      await recordNow(page, 58);
      await waitForCount(page, 3);
      assert.match(await page.locator('#waiting').innerText(), /offline/);
      assert.equal((await marshalFacts(server, 'finish phone A')).length, 0, 'nothing reached the server while offline');

      await context.setOffline(false);
      await waitForCount(page, 0);
      const log = await marshalFacts(server, 'finish phone A');
      assert.deepEqual(log.map((f) => f.fact.car).sort((a, b) => (a ?? 0) - (b ?? 0)), MARSHAL_CARS, 'each car exactly once');
      assert.ok(log.every((f) => f.fact.type === 'controlTime' && f.fact.control === 'SS16F' && f.fact.at?.startsWith('2026-02-07T15:45:')));
      const car23 = log.find((f) => f.fact.car === 23);
      assert.equal(car23?.fact.at?.slice(11), corrected, 'the corrected time was sent, as typed');

      // The answers were lost (as on one bar of signal): every entry is sent again after a reload.
      await page.evaluate(() => {
        for (const key of Object.keys(localStorage).filter((k) => k.endsWith('.entries'))) {
          const list = JSON.parse(localStorage.getItem(key) ?? '[]') as { state: string }[];
          localStorage.setItem(key, JSON.stringify(list.map((e) => ({ ...e, state: 'waiting' }))));
        }
      });
      await page.reload();
      await page.waitForSelector('#entry:not([hidden])');
      await waitForCount(page, 0);
      const again = await marshalFacts(server, 'finish phone A');
      assert.deepEqual(again.map((f) => f.seq), log.map((f) => f.seq), 'the resend stored nothing new: still once each');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the phone kept the page: reloaded without signal it opens with "1 waiting", and sends it when back online', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await enrolledPhone(server, browser, 'finish phone C');
    try {
      // 127.0.0.1 counts as a secure origin, so the page's service worker runs here as it would over HTTPS.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 8000 });
      await context.setOffline(true);
      await recordNow(page, 58);
      await waitForCount(page, 1);
      await page.reload();
      await page.waitForSelector('#entry:not([hidden])');
      await waitForCount(page, 1);
      assert.match(await page.locator('#control-title').innerText(), /SS16F/);
      await context.setOffline(false);
      await waitForCount(page, 0);
      assert.deepEqual((await marshalFacts(server, 'finish phone C')).map((f) => f.fact.car), [58]);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('car 23 typed twice at SS16F: warned before saving; the first Save keeps one entry, a second deliberate Save records it', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await enrolledPhone(server, browser, 'finish phone B');
    try {
      await recordNow(page, 23);
      await waitForCount(page, 0);
      await page.fill('#car', '23');
      // Warned while typing, before any Save.
      assert.match(await page.locator('#warn').innerText(), /Car 23 is already recorded at SS16F/);
      await page.click('#save');
      assert.equal(await page.locator('#recent tr[data-car="23"]').count(), 1, 'the first Save after the warning records nothing');
      assert.match(await page.locator('#warn').innerText(), /already recorded/);
      await page.click('#save');
      await page.waitForFunction(() => document.querySelectorAll('#recent tr[data-car="23"]').length === 2);
      assert.equal(await page.locator('#warn').innerText(), '');
      // A different car raises no warning.
      await page.fill('#car', '41');
      assert.equal(await page.locator('#warn').innerText(), '');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
  test('HQ renames the SS16 finish during the day: the phone shows the new name once it wakes, SS16F still chosen, no reload', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await enrolledPhone(server, browser, 'finish phone D');
    try {
      const option = page.locator('#control option[value="SS16F"]');
      assert.equal(await option.innerText(), 'SS16F — Montmorency Grade flying finish');
      await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1; });
      type Itinerary = { version: number; legs: { sections: { controls: { id: string; name?: string }[] }[] }[]; stages: unknown[] };
      const path = `/api/rallies/${server.rallyId}/itinerary`;
      const it = (await server.api<Itinerary>('GET', path)).body;
      for (const c of it.legs.flatMap((l) => l.sections.flatMap((s) => s.controls))) if (c.id === 'SS16F') c.name = 'Montmorency Grade finish (moved 200 m)';
      const put = await server.api('PUT', path, { version: it.version, legs: it.legs, stages: it.stages, reason: 'SS16 finish moved 200 m' }, server.officerToken);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      // The page asks again at most once a minute, when the phone wakes or comes back online.
      await page.clock.fastForward(61_000);
      await page.evaluate(() => dispatchEvent(new Event('online')));
      await page.waitForFunction(() => /moved 200 m/.test(document.querySelector('#control option[value="SS16F"]')?.textContent ?? ''));
      assert.equal(await page.locator('#control').inputValue(), 'SS16F');
      assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'the page was not reloaded');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
