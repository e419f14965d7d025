// The organiser builds a season in the browser: a season from nothing, a
// championship, a round linked to the demo rally; the standings follow the
// rally and turn official after its official publication. The seeded ARA
// 2026 calendar shows which dates are confirmed and where they come from.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { laptopPage, launchBrowser, ROOT, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const IMG = (name: string) => join(ROOT, 'docs', 'img', name);

describe('the organiser sets up a season (laptop, tablet)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  test('create a season, add a round linked to the demo rally, see the standings turn official after the publication', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await laptopPage(browser);
    try {
      await page.goto(`${server.url}/organise.html?id=${server.rallyId}&view=season&season=ara-2026`);
      await page.getByLabel('Token').fill(server.adminToken);
      await page.getByRole('button', { name: 'Open' }).click();
      // The seeded ARA season: rounds 1–2 as found, the rest flagged.
      const cal = page.getByRole('table', { name: 'Calendar' });
      await cal.locator('tr[data-round="snodrift"]').waitFor();
      assert.match(await cal.locator('tr[data-round="snodrift"]').innerText(), /2026-02-06 – 2026-02-07\s+confirmed/);
      assert.match(await cal.locator('tr[data-round="olympus"]').innerText(), /date not announced\s+unconfirmed/);
      await page.screenshot({ path: IMG('organise-season-ara.png') });

      const form = page.getByRole('form', { name: 'New season' });
      await form.getByLabel('Id', { exact: true }).fill('michigan-2026');
      await form.getByLabel('Name', { exact: true }).fill('Michigan Rally Series 2026');
      await form.getByLabel('Series', { exact: true }).fill('Michigan Rally Series');
      await form.getByLabel('Classes', { exact: true }).fill('O4WD, L4WD, NA4WD, O2WD, L2WD');
      await form.getByRole('button', { name: 'Create season' }).click();
      await page.getByRole('heading', { name: 'Michigan Rally Series 2026 — calendar' }).waitFor();

      const champ = page.getByRole('form', { name: 'Add a championship' });
      await champ.getByLabel('Id', { exact: true }).fill('drivers');
      await champ.getByLabel('Name', { exact: true }).fill('Drivers');
      await champ.getByLabel('Points scheme').selectOption('ara-national');
      await champ.getByRole('button', { name: 'Save championship' }).click();
      await page.getByRole('list', { name: 'Championships' }).getByText('Drivers').waitFor();

      const round = page.getByRole('form', { name: 'Add a round' });
      await round.getByLabel('Id', { exact: true }).fill('snodrift');
      await round.getByLabel('Name', { exact: true }).fill('Sno*Drift');
      await round.getByLabel('From', { exact: true }).fill('2026-02-06');
      await round.getByLabel('To', { exact: true }).fill('2026-02-07');
      await round.getByLabel('Venue', { exact: true }).fill('Atlanta, Michigan');
      await round.getByLabel('Source of the date').fill('series calendar');
      await round.getByRole('button', { name: 'Add round' }).click();
      await cal.locator('tr[data-round="snodrift"]').waitFor();
      assert.match(await page.getByLabel('Standings status').innerText(), /No round with results yet/);

      await page.getByLabel('Rally scoring round 1').selectOption(server.rallyId);
      await page.getByRole('button', { name: 'Save link' }).click();
      await page.getByText(/provisional \(round 1 not yet official\)/).waitFor();
      const table = page.getByRole('table', { name: 'Championship standings' });
      assert.match(await table.locator('tbody tr').first().innerText(), /^1\s.+\s22\s+22$/, 'the winner scores 22 (ARA national scale, ara-evidence)');

      const pub = await server.api('POST', `/api/rallies/${server.rallyId}/publications`, { kind: 'official', reason: 'stewards approved the results', override: { reason: 'inquiry window waived by the stewards' } }, server.officerToken);
      assert.equal(pub.status, 201);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByText('every round official').waitFor();
      await page.screenshot({ path: IMG('organise-season-standings.png'), fullPage: true });
      await page.setViewportSize({ width: 820, height: 1100 });
      await page.getByRole('table', { name: 'Championship standings' }).screenshot({ path: IMG('organise-season-standings-tablet.png') });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
