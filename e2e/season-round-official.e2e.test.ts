// The organiser adds a round to the seeded ARA 2026 season and links it to
// the demo rally (the Sno*Drift 2026 fixture, served here as "Demo Rally 2026"
// so that the seeded Sno*Drift round keeps scoring from its own results
// file); the public standings page shows the rally's points at once, marked
// provisional, and drops the mark after the rally's official publication
// from the officials' desk.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type TestServer } from './harness.ts';
import { openDesk, shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const DEMO = 'demo-2026';

describe('a round added to the ARA season and linked to the demo rally', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ rally: (r) => ({ ...r, id: DEMO, name: 'Demo Rally 2026' }) }); });
  after(async () => { await server?.close(); });

  test('add the round, link the rally, see its points on the public standings page; official after the desk publishes', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const fan = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: 'America/Detroit', locale: 'en-US' });
    const organiser = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Detroit', locale: 'en-US' });
    const errors: string[] = [];
    const watch = (p: Page) => { p.setDefaultTimeout(8000); p.on('pageerror', (e) => errors.push(e.message)); return p; };
    const phone = watch(await fan.newPage());
    const org = watch(await organiser.newPage());
    const standings = `${server.url}/standings.html?season=ara-2026&championship=drivers`;
    const demoColumn = phone.locator('#standings thead th[data-round="demo"]');
    const row = (name: string) => phone.locator('#standings tbody tr', { has: phone.getByText(name, { exact: true }) });
    try {
      // Before: Sno*Drift from its results file; nobody of the demo rally's invented crews.
      await phone.goto(standings);
      await phone.locator('#standings tbody tr').first().waitFor();
      assert.equal(await demoColumn.count(), 0);
      assert.equal(await row('Samuel Sorensen').count(), 0);

      await org.goto(`${server.url}/organise.html?id=${DEMO}&view=season&season=ara-2026`);
      await org.getByLabel('Token').fill(server.adminToken);
      await org.getByRole('button', { name: 'Open' }).click();
      const add = org.getByRole('form', { name: 'Add a round' });
      await add.getByLabel('Id', { exact: true }).fill('demo');
      await add.getByLabel('Name', { exact: true }).fill('Demo Rally');
      await add.getByLabel('From', { exact: true }).fill('2026-02-06');
      await add.getByLabel('To', { exact: true }).fill('2026-02-07');
      await add.getByLabel('Venue', { exact: true }).fill('Atlanta, Michigan');
      await add.getByLabel('Source of the date').fill('organiser');
      await add.getByRole('button', { name: 'Add round' }).click();
      const cal = org.getByRole('table', { name: 'Calendar' });
      await cal.locator('tr[data-round="demo"]').waitFor();
      // Not linked yet: the round has no result, the public page has no column for it.
      await phone.reload();
      assert.equal(await demoColumn.count(), 0);

      const number = (await cal.locator('tr[data-round="demo"] td').first().innerText()).trim();
      await org.getByLabel(`Rally scoring round ${number}`).selectOption(DEMO);
      await org.getByRole('button', { name: 'Save link' }).click();
      await org.getByText(`Round ${number} is scored by ${DEMO}.`).waitFor();

      // Linked: the rally's live classification counts, marked provisional until it is official.
      await phone.reload();
      assert.match(await demoColumn.innerText(), new RegExp(`^R${number}\\s+prov\\.$`));
      assert.match(await phone.locator('#standings-status').innerText(), new RegExp(`provisional: .*R${number}.* not yet official`, 'i'));
      // The demo rally's winner: 22 points, 1st on the ARA national scale (rally-rules §6.2; ara-evidence.md).
      const winner = row('Samuel Sorensen');
      const cells = await winner.locator('td').allInnerTexts();
      const col = await phone.locator('#standings thead th').evaluateAll((ths) => ths.findIndex((th) => th.getAttribute('data-round') === 'demo'));
      assert.equal(cells[col], '22');
      await shot(phone, 'standings-round-provisional-phone');

      // The clerk publishes the demo rally's classification OFFICIAL at the desk.
      const desk = await openDesk(browser, server);
      try {
        const d = desk.page;
        await d.click('#tab-publish');
        await d.selectOption('#pub-kind', 'official');
        await d.fill('#pub-reason', 'final classification');
        await d.click('#publish');
        await d.waitForSelector('dialog[open]');
        // Nothing provisional was posted first, so the desk asks for an override and its reason.
        assert.match(await d.locator('#blockers').innerText(), /No provisional classification has been published/);
        await d.fill('#pub-override', 'inquiry window waived by the stewards');
        await d.getByRole('button', { name: 'Publish anyway (override)' }).click();
        await d.waitForSelector('#publications li[data-kind="official"]');
        assert.deepEqual(desk.errors, []);
      } finally {
        await desk.close();
      }

      // The public page: the round's points stand, no longer provisional.
      await phone.reload();
      assert.equal((await demoColumn.innerText()).trim(), `R${number}`);
      assert.doesNotMatch(await phone.locator('#standings-status').innerText(), new RegExp(`R${number}\\b`));
      assert.equal((await winner.locator('td').allInnerTexts())[col], '22');
      await shot(phone, 'standings-round-official-phone');
      assert.deepEqual(errors, []);
    } finally {
      await fan.close();
      await organiser.close();
    }
  });
});
