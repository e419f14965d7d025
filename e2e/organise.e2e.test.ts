// The organiser sets up a rally in the browser: an entry list imported from
// CSV (two bad lines reported before anything is written), a crew withdrawn
// before the start, and the pages looked at on a laptop and a phone.
// Screenshots go to docs/img/ for docs/web.md ("Organising").
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const IMG = (name: string) => join(ROOT, 'docs', 'img', name);
/** Car 65 has no times: it has not started, so a withdrawal takes it off the entry list. */
const NOT_STARTED = 65;

type EntryList = { version: number; entries: { car: number; class: string; registration?: string }[]; withdrawn: { car: number }[] };

async function open(b: Browser, server: TestServer, size: { width: number; height: number }, view = 'entries'): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await b.newContext({ viewport: size, timezoneId: 'America/Detroit', locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/organise.html?id=${server.rallyId}&view=${view}`);
  await page.getByLabel('Token').fill(server.officerToken);
  await page.getByRole('button', { name: 'Open' }).click();
  return { page, errors, close: () => context.close() };
}

describe('the organiser sets up the entry list (laptop, phone)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ keep: (f) => !('car' in f) || f.car !== NOT_STARTED }); });
  after(async () => { await server?.close(); });

  test('a CSV with two bad lines: both reported with why, nothing written until the import; then the good lines land', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const before = (await server.api<EntryList>('GET', `/api/rallies/${server.rallyId}/entries`)).body;
    const one = before.entries.find((e) => e.car === 1)!;
    assert.ok(one, 'car 1 is entered');
    const csv = [
      'car,driver,driver nationality,codriver,codriver nationality,make,model,class,registration,priority',
      // unchanged crew with a registration added → a change
      `1,Riley Ferreira,AUS,Kara Underhill,AUS,Volkswagen,Polo GTI R5,O4WD,MI-RF1,P1`,
      '70,Jo Marsh,USA,Sam Reyes,USA,Subaru,WRX STI,L4WD,,',
      '71,Ann Cole,usa,Bo Diaz,MEX,Ford,Fiesta,Group N,,',
      '72,Pat Kerr,USA,,USA,Honda,Civic,L2WD,,',
    ].join('\n');
    const desk = await open(browser, server, { width: 1280, height: 900 });
    try {
      await desk.page.getByLabel('CSV text').fill(csv);
      await desk.page.getByRole('button', { name: 'Check the file' }).click();
      const plan = desk.page.getByRole('table', { name: 'Import plan' });
      await plan.waitFor();
      assert.match(await desk.page.getByLabel('Import summary').innerText(), /1 to add · 1 to change · 0 unchanged · 2 refused/);
      const line4 = await plan.locator('tr[data-line="4"]').innerText();
      assert.match(line4, /refused/);
      assert.match(line4, /unknown class "Group N"; the rally's classes are O4WD, L4WD, NA4WD, O2WD, L2WD/);
      const line5 = await plan.locator('tr[data-line="5"]').innerText();
      assert.match(line5, /co-driver is empty/);
      assert.match(await plan.locator('tr[data-line="2"]').innerText(), /registration: — → MI-RF1/);
      const still = (await server.api<EntryList>('GET', `/api/rallies/${server.rallyId}/entries`)).body;
      assert.equal(still.version, before.version, 'checking the file wrote nothing');
      await desk.page.getByRole('group', { name: 'Import from CSV' }).screenshot({ path: IMG('organise-import-plan.png') });

      await desk.page.getByLabel('Reason for the import').fill('entries received by 30 Jan');
      await desk.page.getByRole('button', { name: /Import 1 new and 1 changed/ }).click();
      await desk.page.locator('tr[data-car="70"]').waitFor();
      const after = (await server.api<EntryList>('GET', `/api/rallies/${server.rallyId}/entries`)).body;
      assert.equal(after.entries.length, before.entries.length + 1);
      assert.equal(after.entries.find((e) => e.car === 1)!.registration, 'MI-RF1');
      assert.ok(!after.entries.some((e) => e.car === 71 || e.car === 72), 'refused lines were not imported');
      assert.match(await desk.page.getByRole('list', { name: 'Entry changes' }).innerText(), /import #1 — entries received by 30 Jan/);
      // When, in the rally's zone with its name, as every organiser and desk page says it.
      assert.match(await desk.page.getByRole('list', { name: 'Entry changes' }).innerText(), /, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d E[SD]T/);
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('withdraw a crew that has not started: it leaves the entry list and the results, kept with the reason', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await open(browser, server, { width: 1280, height: 900 });
    try {
      const row = desk.page.locator(`tr[data-car="${NOT_STARTED}"]`);
      assert.match(await row.innerText(), /not yet started/);
      await desk.page.getByRole('button', { name: `Withdraw car ${NOT_STARTED}` }).click();
      const form = desk.page.getByRole('form', { name: `Withdraw car ${NOT_STARTED}` });
      assert.match(await form.innerText(), /has not started/);
      await form.getByLabel('Reason').fill('engine failure in shakedown');
      await desk.page.screenshot({ path: IMG('organise-withdraw.png') });
      await form.getByRole('button', { name: `Withdraw car ${NOT_STARTED}` }).click();
      await desk.page.getByRole('list', { name: 'Withdrawn crews' }).waitFor();
      assert.match(await desk.page.getByRole('list', { name: 'Withdrawn crews' }).innerText(), new RegExp(`#${NOT_STARTED} .* — engine failure in shakedown`));
      assert.equal(await row.count(), 0);
      const results = (await server.api<{ classification: { rows: { car: number }[] } }>('GET', `/api/rallies/${server.rallyId}/results`)).body;
      assert.ok(!results.classification.rows.some((r) => r.car === NOT_STARTED), 'out of the results');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('on a phone the entry list still reads: car, crew, class, status; the change buttons reachable', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const phone = await open(browser, server, { width: 390, height: 844 });
    try {
      await phone.page.locator('tr[data-car="1"]').waitFor();
      await phone.page.screenshot({ path: IMG('organise-entries-phone.png') });
      const box = await phone.page.getByRole('button', { name: 'Edit car 1', exact: true }).boundingBox();
      assert.ok(box && box.height >= 24, 'a button big enough to press');
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.close();
    }
  });
});

describe('the organiser adds a crew to a rally with two categories (ARA Sno*Drift 2026, laptop)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ fixture: 'ara' }); });
  after(async () => { await server?.close(); });

  test('the add form asks for the category (National or Regional); the crew is entered in the one chosen', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await open(browser, server, { width: 1280, height: 900 });
    try {
      const form = desk.page.getByRole('form', { name: 'Add a crew' });
      await form.waitFor();
      await form.locator('input[name="car"]').fill('901');
      await form.locator('input[name="driver"]').fill('Ann Kerr');
      await form.locator('input[name="codriver"]').fill('Bo Dale');
      await form.locator('input[name="make"]').fill('Subaru');
      await form.locator('input[name="model"]').fill('Impreza');
      await form.getByLabel('Class *').selectOption('O4WD');
      await form.getByLabel('Category *').selectOption('Regional');
      await form.locator('input[name="reason"]').fill('late entry form received 5 Feb');
      await form.getByRole('button', { name: 'Add crew' }).click();
      await desk.page.locator('tr[data-car="901"]').waitFor();
      const list = (await server.api<{ entries: { car: number; category?: string }[] }>('GET', `/api/rallies/${server.rallyId}/entries`)).body;
      assert.equal(list.entries.find((e) => e.car === 901)?.category, 'Regional');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });
});
