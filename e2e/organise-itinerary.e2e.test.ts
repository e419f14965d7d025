// The organiser's itinerary in real Chromium: edit a target time and see the
// due times move (rally-rules §1: due = departure + target; the ARA preset
// counts the target after a stage from its start), a distance that makes the
// target faster than any road flagged beside the field as it is typed, a
// version conflict said plainly with a reload, the public timetable's due
// times and stage states; and a rally set up from an empty database in the
// browser alone: the rally, its itinerary, an entry.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { laptopPage, launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const due = (page: Page, id: string) => page.locator(`tr[data-control="${id}"] td.due`).innerText();

describe('the organiser edits the Sno*Drift itinerary', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  test('edit a target time and see the due times move; an implausible distance is flagged as typed; saved with a reason; a conflict asks for a reload', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await laptopPage(browser);
    try {
      await page.goto(`${server.url}/organise.html?id=${server.rallyId}&view=itinerary`);
      await page.getByLabel('Token').fill(server.officerToken);
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByRole('heading', { name: 'Itinerary' }).waitFor();
      // TC0 at 18:00; TC1 20 min later; SS1 start 3 min after; TC2 26 min from the SS1 start.
      assert.deepEqual([await due(page, 'TC1'), await due(page, 'SS1S'), await due(page, 'TC2')], ['18:20', '18:23', '18:49']);
      const target = page.getByLabel('Target time to TC1', { exact: true });
      await target.fill('0:25');
      assert.deepEqual([await due(page, 'TC1'), await due(page, 'SS1S'), await due(page, 'TC2')], ['18:25', '18:28', '18:54'], 'every due time after TC1 moved by 5 minutes');
      assert.equal(await due(page, 'TC8B'), '09:00', 'the next leg keeps its own start');
      // Half-typed text is said to be unreadable, not taken.
      await target.fill('0:2x');
      assert.match(await page.locator('tr[data-control="TC1"]').innerText(), /not a target time: write hours and minutes/);
      await target.fill('0:25');
      // 40 miles in 25 minutes: 96 mph — refused beside the field, and Save is off.
      const distance = page.getByLabel('Road distance to TC1 (mi)');
      await distance.fill('40');
      const note = page.locator('tr[data-control="TC1"] .finding.error');
      assert.match(await note.innerText(), /TC1: 40\.00 mi from TC0 in 0:25 is an average of 96 mph, faster than any public road allows: check the distance and the target/);
      assert.equal(await target.getAttribute('aria-invalid'), 'true');
      // The list of every finding takes you to the field.
      await page.getByText('Every finding, in itinerary order').click();
      await page.locator('details.findings li.error').getByRole('button', { name: 'TC1' }).click();
      assert.equal(await target.evaluate((el) => el === document.activeElement), true);
      await page.getByText('Every finding, in itinerary order').click();
      await page.getByLabel('Reason for the change').fill('route book v2: TC1 target 0:25, distance measured');
      assert.equal(await page.getByRole('button', { name: 'Save itinerary' }).isDisabled(), true);
      await page.locator('tr[data-control="TC1"]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shot(page, 'organise-itinerary-error');
      await distance.fill('12');
      assert.equal(await note.count(), 0);
      await page.getByRole('button', { name: 'Save itinerary' }).click();
      await page.getByText(/Itinerary saved \(version \d+\)/).waitFor();
      const stored = (await server.api<{ legs: { sections: { controls: { id: string; targetMs?: number; distanceM?: number }[] }[] }[] }>('GET', `/api/rallies/${server.rallyId}/itinerary`)).body;
      const tc1 = stored.legs[0]!.sections[0]!.controls.find((c) => c.id === 'TC1')!;
      assert.deepEqual([tc1.targetMs, tc1.distanceM], [25 * 60_000, 19_312]);
      const audit = (await server.api<{ audit: { action: string; detail: { reason?: string; diff?: string[] } }[] }>('GET', `/api/rallies/${server.rallyId}/audit`, undefined, server.officerToken)).body.audit;
      assert.equal(audit.filter((a) => a.action === 'update-itinerary').at(-1)!.detail.reason, 'route book v2: TC1 target 0:25, distance measured');

      // Someone else saves meanwhile: this page is told, and reloads theirs.
      await page.getByLabel('Target time to TC2', { exact: true }).fill('0:27');
      assert.equal(await due(page, 'TC2'), '18:55');
      const it = (await server.api<{ version: number; legs: unknown[]; stages: { name: string }[] }>('GET', `/api/rallies/${server.rallyId}/itinerary`)).body;
      const other = await server.api('PUT', `/api/rallies/${server.rallyId}/itinerary`, { version: it.version, legs: it.legs, stages: it.stages.map((s, i) => (i === 0 ? { ...s, name: 'Avery Lake 1 (renamed)' } : s)), reason: 'stage name from the road book' }, server.officerToken);
      assert.equal(other.status, 200);
      await page.getByLabel('Reason for the change').fill('TC2 one minute longer');
      await page.getByRole('button', { name: 'Save itinerary' }).click();
      const alert = page.getByRole('alert');
      assert.match(await alert.innerText(), /Someone else saved the itinerary after you opened it .* Your changes were not saved\. Reload to see theirs/);
      await alert.getByRole('button', { name: 'Reload the itinerary' }).click();
      await page.getByRole('alert').waitFor({ state: 'detached' });
      assert.equal(await due(page, 'TC2'), '18:54', 'the stored itinerary, not the lost edit');
      assert.equal(await page.getByLabel('Name of SS1', { exact: true }).inputValue(), 'Avery Lake 1 (renamed)');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    // The editor on a phone: the table scrolls sideways, the save bar stays.
    const phone = await phonePage(browser);
    try {
      await phone.page.goto(`${server.url}/organise.html?id=${server.rallyId}&view=itinerary`);
      await phone.page.getByLabel('Token').fill(server.officerToken);
      await phone.page.getByRole('button', { name: 'Open' }).click();
      await phone.page.getByRole('heading', { name: 'Itinerary' }).waitFor();
      assert.equal(await due(phone.page, 'TC1'), '18:25');
      await phone.page.locator('tr[data-control="TC1"]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shot(phone.page, 'organise-itinerary-phone');
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.context.close();
    }
  });

  test('the public timetable: each control\'s first-car due time in rally time with the zone, each stage\'s state', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=timetable`);
      await page.waitForSelector('section[data-source="timetable"] #timetable-title');
      // Saved above: TC1 25 minutes after the 18:00 start.
      assert.equal(await page.locator('tr[data-control="TC1"] td.due').innerText(), '18:25');
      assert.equal(await page.locator('tr[data-control="SS1S"] td.due').innerText(), '18:28');
      assert.match(await page.locator('#timetable-title + p').innerText(), /rally time \(America\/Detroit, UTC−05:00\)/);
      const api = (await server.api<{ stages: { code: string; state: string }[] }>('GET', `/api/rallies/${server.rallyId}/timetable`)).body.stages;
      const shown = await page.locator('tr[data-stage]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-stage'), tr.getAttribute('data-state')]));
      assert.deepEqual(shown, api.map((s) => [s.code, s.state]), 'the page shows the states the timetable route gives');
      assert.match(await page.locator('tr[data-stage="SS1"]').innerText(), /finished · won by #\d+ in \d+:\d\d\.\d/);
      await shot(page, 'timetable-public-phone');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('a rally set up from an empty database in the browser', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ empty: true }); });
  after(async () => { await server?.close(); });

  test('create the rally, build its itinerary (due times move as a target is edited), add an entry; the public timetable shows it', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/organise.html`);
      await page.getByText('There is no rally yet.').waitFor();
      const form = page.getByRole('form', { name: 'Create a rally' });
      await form.getByLabel(/^Name \*/).fill('Lakeshore Rally 2026');
      assert.equal(await form.getByLabel('Rally id').inputValue(), 'lakeshore-rally-2026');
      await form.getByLabel('First day').fill('2026-03-13');
      await form.getByLabel('Last day').fill('2026-03-14');
      await form.getByLabel('Time zone').selectOption('Europe/London');
      await form.getByLabel('Distances in').selectOption('km');
      await form.getByLabel('Rules').selectOption('fia@2026.1');
      await form.getByLabel(/^Classes/).fill('RC2 Rally2\nRC4 Rally4');
      await form.getByLabel('Administrator token').fill(server.adminToken);
      await form.evaluate((el) => el.closest('fieldset')!.scrollIntoView({ block: 'start' }));
      await shot(page, 'organise-create-rally-phone');
      await form.getByRole('button', { name: 'Create the rally' }).click();
      await page.getByRole('heading', { name: 'Itinerary' }).waitFor();
      await page.getByText('Rally lakeshore-rally-2026 created.').waitFor();
      await context.close();
    } catch (e) {
      await context.close();
      throw e;
    }
    assert.deepEqual(errors, []);

    // The itinerary at a desk: one leg, one stage, the finish control.
    const desk = await laptopPage(browser);
    const page2 = desk.page;
    try {
      await page2.goto(`${server.url}/organise.html?id=lakeshore-rally-2026&view=itinerary`);
      // The token is kept per tab: a new tab opens with it again.
      await page2.getByLabel('Token').fill(server.adminToken);
      await page2.getByRole('button', { name: 'Open' }).click();
      await page2.getByRole('button', { name: 'Add a leg' }).click();
      assert.equal(await due(page2, 'TC0'), '09:00');
      await page2.getByRole('button', { name: 'Add a stage to L1A' }).click();
      await page2.getByLabel('Name of SS1', { exact: true }).fill('Glenside');
      await page2.getByLabel('Length of SS1 (km)').fill('8.4');
      await page2.getByRole('button', { name: 'Add a control to L1A' }).click();
      await page2.getByLabel('Kind of TC2', { exact: true }).selectOption('PARC_FERME_IN');
      await page2.getByLabel('Name of TC2', { exact: true }).fill('Finish');
      // FIA: TC1 30 min after the start, SS1 3 min later, the finish 30 min from the SS1 start.
      assert.deepEqual([await due(page2, 'TC1'), await due(page2, 'SS1S'), await due(page2, 'TC2')], ['09:30', '09:33', '10:03']);
      await page2.getByLabel('Target time to TC1', { exact: true }).fill('0:25');
      assert.deepEqual([await due(page2, 'TC1'), await due(page2, 'SS1S'), await due(page2, 'TC2')], ['09:25', '09:28', '09:58']);
      await page2.getByLabel('Reason for the change').fill('first route book');
      await page2.getByRole('button', { name: 'Save itinerary' }).click();
      await page2.getByText(/Itinerary saved \(version 2\)/).waitFor();
      await page2.setViewportSize({ width: 1280, height: 1150 });
      await page2.evaluate(() => window.scrollTo(0, 0));
      await shot(page2, 'organise-itinerary-new-rally');
      // Then the entries.
      await page2.getByRole('button', { name: 'Entries', exact: true }).click();
      const add = page2.getByRole('form', { name: 'Add a crew' });
      await add.locator('input[name="car"]').fill('7');
      await add.locator('input[name="driver"]').fill('Aino Virtanen');
      await add.locator('input[name="codriver"]').fill('Jussi Laine');
      await add.locator('input[name="make"]').fill('Škoda');
      await add.locator('input[name="model"]').fill('Fabia RS Rally2');
      await add.locator('input[name="reason"]').fill('entry form received');
      await add.getByRole('button', { name: 'Add crew' }).click();
      await page2.getByText('Car 7 added').waitFor();
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.context.close();
    }
    const rallies = (await server.api<{ rallies: { id: string; stages: number; entries: number }[] }>('GET', '/api/rallies')).body.rallies;
    assert.deepEqual(rallies.map((r) => [r.id, r.stages, r.entries]), [['lakeshore-rally-2026', 1, 1]]);

    // The public timetable of the new rally.
    const pub = await phonePage(browser, { timezoneId: 'Europe/London' });
    try {
      await pub.page.goto(`${server.url}/rally.html?id=lakeshore-rally-2026&view=timetable`);
      await pub.page.waitForSelector('section[data-source="timetable"] #timetable-title');
      assert.equal(await pub.page.locator('tr[data-stage="SS1"]').getAttribute('data-state'), 'notStarted');
      assert.match(await pub.page.locator('tr[data-stage="SS1"]').innerText(), /09:28[\s\S]*SS1 Glenside[\s\S]*not started/);
      assert.deepEqual(pub.errors, []);
    } finally {
      await pub.context.close();
    }
  });
});
