// From an empty database to a rally and its season, in the browser alone, as
// an organiser does it with the administrator token `rallyhq serve` prints on
// its first start: the rally, its itinerary, its entries (CSV), the leg's
// start list, a season made from nothing with two championships and a round
// scored by the rally; then, once stage times come in (the timekeepers' part,
// sent here through the API), the public standings page. The screenshots are
// those of docs/web.md ("From an empty database").
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { laptopPage, launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const RALLY = 'lakeshore-rally-2026';
const SEASON = 'lakeshore-series-2026';

describe('an organiser sets up a rally and a season from an empty database', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ empty: true }); });
  after(async () => { await server?.close(); });

  test('rally, itinerary, entries, start list, season, championships, a round scored by the rally; the public standings follow', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await laptopPage(browser);
    try {
      // 1. The rally.
      await page.goto(`${server.url}/organise.html`);
      await page.getByText('There is no rally yet.').waitFor();
      const create = page.getByRole('form', { name: 'Create a rally' });
      await create.getByLabel(/^Name \*/).fill('Lakeshore Rally 2026');
      await create.getByLabel('First day').fill('2026-05-15');
      await create.getByLabel('Last day').fill('2026-05-16');
      await create.getByLabel('Time zone').selectOption('America/Detroit');
      await create.getByLabel('Distances in').selectOption('mi');
      await create.getByLabel('Rules').selectOption('ara@2026.1');
      await create.getByLabel(/^Classes/).fill('O4WD Open 4WD\nL4WD Limited 4WD\nO2WD Open 2WD');
      await create.getByLabel('Administrator token').fill(server.adminToken);
      await shot(page, 'first-1-create-rally');
      await create.getByRole('button', { name: 'Create the rally' }).click();
      await page.getByText(`Rally ${RALLY} created.`).waitFor();

      // 2. Its itinerary: one leg, two stages, the finish.
      await page.getByRole('heading', { name: 'Itinerary' }).waitFor();
      await page.getByRole('button', { name: 'Add a leg' }).click();
      for (const [code, name, miles] of [['SS1', 'Hardwood Hills', '6.2'], ['SS2', 'Lake Loop', '4.8']] as const) {
        await page.getByRole('button', { name: 'Add a stage to L1A' }).click();
        await page.getByLabel(`Name of ${code}`, { exact: true }).fill(name);
        await page.getByLabel(`Length of ${code} (mi)`).fill(miles);
      }
      await page.getByRole('button', { name: 'Add a control to L1A' }).click();
      const finish = await page.locator('tr[data-control] input[aria-label^="Kind of"], tr[data-control] select[aria-label^="Kind of"]').last().getAttribute('aria-label');
      await page.getByLabel(finish!, { exact: true }).selectOption('PARC_FERME_IN');
      await page.getByLabel('Reason for the change').fill('first route book');
      await page.getByRole('button', { name: 'Save itinerary' }).click();
      await page.getByText(/Itinerary saved \(version 2\)/).waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'first-2-itinerary');

      // 3. Its entries, from the entry forms' CSV: checked line by line, then imported.
      await page.getByRole('button', { name: 'Entries', exact: true }).click();
      await page.getByLabel('CSV text').fill([
        'car,driver,driver nationality,codriver,codriver nationality,make,model,class,priority',
        '1,Nora Lind,USA,Evan Price,USA,Subaru,WRX STI,O4WD,P1',
        '2,Marco Vitale,CAN,Lucy Hart,CAN,Ford,Fiesta Rally3,L4WD,P1',
        '5,Dana Brooks,USA,Ray Ortiz,USA,Volkswagen,Golf GTI,O2WD,',
        '6,Jon Park,USA,Sue Kim,USA,Subaru,Impreza,L4WD,P2',
      ].join('\n'));
      await page.getByRole('button', { name: 'Check the file' }).click();
      assert.match(await page.getByLabel('Import summary').innerText(), /4 to add · 0 to change · 0 unchanged · 0 refused/);
      await page.getByLabel('Reason for the import').fill('entries received by 1 May');
      await page.getByRole('button', { name: /Import 4 new and 0 changed/ }).click();
      await page.locator('tr[data-car="6"]').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'first-3-entries');

      // 4. The leg's start list, by priority: P1 crews first, then P2, then none; a minute apart.
      await page.getByRole('button', { name: 'Start lists', exact: true }).click();
      const build = page.getByRole('form', { name: 'Build a start list' });
      await build.getByLabel(/^Leg /).selectOption('L1');
      await build.getByLabel(/^Seeding/).selectOption('priority');
      await build.getByLabel(/^First car due/).fill('2026-05-15T09:00');
      await build.getByLabel(/^Interval \(s\)/).fill('60');
      await build.getByRole('button', { name: 'Preview' }).click();
      const list = page.getByRole('table', { name: 'Start list' });
      await list.waitFor();
      assert.deepEqual((await list.locator('tbody tr td:nth-child(2)').allInnerTexts()).map(Number), [1, 2, 6, 5]);
      assert.deepEqual(await list.locator('tbody tr td:nth-child(5)').allInnerTexts(), ['09:00:00', '09:01:00', '09:02:00', '09:03:00']);
      await page.getByLabel('Reason for the start list').fill('seeded by priority');
      await page.getByRole('button', { name: 'Store and post the start list' }).click();
      await page.getByText('stored and posted on the notice board').waitFor();
      await shot(page, 'first-4-start-list');

      // 5. A season from nothing, its championships, and the round the rally scores.
      await page.getByRole('button', { name: 'Season', exact: true }).click();
      await page.getByText('No season yet.').or(page.getByRole('table', { name: 'Calendar' })).first().waitFor();
      const season = page.getByRole('form', { name: 'New season' });
      await season.getByLabel('Id', { exact: true }).fill(SEASON);
      await season.getByLabel('Name', { exact: true }).fill('Lakeshore Rally Series 2026');
      await season.getByLabel('Series', { exact: true }).fill('Lakeshore Rally Series');
      await season.getByLabel('Classes', { exact: true }).fill('O4WD, L4WD, O2WD');
      await season.getByRole('button', { name: 'Create season' }).click();
      await page.getByRole('heading', { name: 'Lakeshore Rally Series 2026 — calendar' }).waitFor();
      const champ = page.getByRole('form', { name: 'Add a championship' });
      for (const [id, name, kind] of [['drivers', 'Drivers', 'drivers'], ['codrivers', 'Co-drivers', 'codrivers']] as const) {
        await champ.getByLabel('Id', { exact: true }).fill(id);
        await champ.getByLabel('Name', { exact: true }).fill(name);
        await champ.getByLabel(/^For\b/).selectOption(kind);
        await champ.getByLabel('Points scheme').selectOption('ara-national');
        await champ.getByRole('button', { name: 'Save championship' }).click();
        await page.getByRole('list', { name: 'Championships' }).locator('li', { hasText: new RegExp(`^${name} `) }).waitFor();
      }
      const round = page.getByRole('form', { name: 'Add a round' });
      await round.getByLabel('Id', { exact: true }).fill('lakeshore');
      await round.getByLabel('Name', { exact: true }).fill('Lakeshore Rally');
      await round.getByLabel('From', { exact: true }).fill('2026-05-15');
      await round.getByLabel('To', { exact: true }).fill('2026-05-16');
      await round.getByLabel('Venue', { exact: true }).fill('Ludington, Michigan');
      await round.getByLabel('Scored by rally').selectOption(RALLY);
      await round.getByLabel('Source of the date').fill('series calendar');
      await round.getByRole('button', { name: 'Add round' }).click();
      const row = page.getByRole('table', { name: 'Calendar' }).locator('tr[data-round="lakeshore"]');
      await row.waitFor();
      assert.equal(await page.getByLabel('Rally scoring round 1').inputValue(), RALLY);
      assert.match(await page.getByLabel('Standings status').innerText(), /No round with results yet/);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'first-5-season');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // The timekeepers' part, not the organiser's: both stages' times (through the API here).
    const times: [number, string, string][] = [[1, '5:41.2', '4:20.5'], [2, '5:39.8', '4:25.1'], [6, '5:58.0', '4:33.9'], [5, '6:02.4', '4:31.0']];
    for (const [car, ss1, ss2] of times) {
      for (const [stage, time] of [['SS1', ss1], ['SS2', ss2]] as const) {
        const r = await server.api('POST', `/api/rallies/${RALLY}/facts`, { id: `t-${stage}-${car}`, type: 'stageTime', car, stage, time, source: 'manual' }, server.adminToken);
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
    }

    // 6. The public standings page: the round counted, provisional until the rally's results are official.
    const fan = await phonePage(browser);
    try {
      await fan.page.setViewportSize({ width: 390, height: 844 });
      await fan.page.goto(`${server.url}/standings.html?season=${SEASON}`);
      await fan.page.getByRole('heading', { name: 'Drivers', exact: true }).waitFor();
      // Totals: Lind 10:01.7, Vitale 10:04.9, Brooks 10:33.4, Park 10:31.9 → 22-17-14-12 (ARA national scale, rally-rules §6.2).
      const rows = await fan.page.locator('#standings tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => (td as HTMLElement).innerText.trim())));
      assert.deepEqual(rows.map((r) => [r[0], r[1], r[2]]), [['1', 'Nora Lind', '22'], ['2', 'Marco Vitale', '17'], ['3', 'Jon Park', '14'], ['4', 'Dana Brooks', '12']]);
      assert.match(await fan.page.locator('#standings-status').innerText(), /After Round 1: Lakeshore Rally, 15–16 May 2026\s+provisional: R1 not yet official/i);
      // One round, and it is not official yet: the title is not called won.
      assert.match(await fan.page.locator('#title-maths').innerText(), /Nora Lind wins the title with 22 points if the provisional results stand/);
      assert.ok(await fan.page.evaluate(() => document.documentElement.scrollWidth) <= 390);
      await shot(fan.page, 'first-6-standings-phone');
      assert.deepEqual(fan.errors, []);
    } finally {
      await fan.context.close();
    }
  });
});

describe('a season without a rally on this server', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ empty: true }); });
  after(async () => { await server?.close(); });

  test('on an empty database the seasons open with the administrator token alone: a season, a championship, a round run elsewhere', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await laptopPage(browser);
    try {
      await page.goto(`${server.url}/organise.html`);
      const open = page.getByRole('form', { name: 'Open the seasons' });
      await open.getByLabel('Administrator token').fill(server.adminToken);
      await open.getByRole('button', { name: 'Open the seasons' }).click();
      // Only the season view: the rally's views need a rally.
      assert.deepEqual(await page.getByRole('navigation', { name: 'Organiser tasks' }).getByRole('button').allInnerTexts(), ['Season', 'Close']);
      const season = page.getByRole('form', { name: 'New season' });
      await season.getByLabel('Id', { exact: true }).fill('northwoods-2026');
      await season.getByLabel('Name', { exact: true }).fill('Northwoods Club Series 2026');
      await season.getByRole('button', { name: 'Create season' }).click();
      await page.getByRole('heading', { name: 'Northwoods Club Series 2026 — calendar' }).waitFor();
      const champ = page.getByRole('form', { name: 'Add a championship' });
      await champ.getByLabel('Id', { exact: true }).fill('drivers');
      await champ.getByLabel('Name', { exact: true }).fill('Drivers');
      await champ.getByLabel('Points scheme').selectOption('ara-national');
      await champ.getByRole('button', { name: 'Save championship' }).click();
      const round = page.getByRole('form', { name: 'Add a round' });
      await round.getByLabel('Id', { exact: true }).fill('pines');
      await round.getByLabel('Name', { exact: true }).fill('Pines Rally');
      await round.getByLabel('From', { exact: true }).fill('2026-06-20');
      await round.getByLabel('Scored by rally').selectOption('');
      await round.getByLabel('Source of the date').fill('club newsletter');
      await round.getByRole('button', { name: 'Add round' }).click();
      await page.getByRole('table', { name: 'Calendar' }).locator('tr[data-round="pines"]').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
    // Its results, from the club's own timing, entered as a round run elsewhere (administrators, through the API).
    const put = await server.api('PUT', '/api/championships/northwoods-2026/rounds/pines/results', {
      status: 'final', source: 'club results sheet',
      crews: [['Ada Moss', 1], ['Ben Hale', 2]].map(([driver, position]) => ({ driver, make: 'Subaru', class: 'O4WD', status: 'finished', position })),
    }, server.adminToken);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const fan = await phonePage(browser);
    try {
      await fan.page.goto(`${server.url}/standings.html?season=northwoods-2026`);
      const rows = await fan.page.locator('#standings tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 3).map((td) => (td as HTMLElement).innerText.trim())));
      assert.deepEqual(rows, [['1', 'Ada Moss', '22'], ['2', 'Ben Hale', '17']]);
      assert.match(await fan.page.locator('#standings-status').innerText(), /official results/i);
      assert.deepEqual(fan.errors, []);
    } finally {
      await fan.context.close();
    }
  });
});
