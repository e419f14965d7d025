// The organiser builds the leg-2 start list of Sno*Drift by reversing the top
// 10 of leg 1, previews it, stores it with a reason and posts it on the notice
// board; the printed view is the list alone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { laptopPage, launchBrowser, ROOT, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const IMG = (name: string) => join(ROOT, 'docs', 'img', name);
type Row = { position: number | null; car: number };

describe('the organiser builds a start list (laptop)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  test('leg 2 by the classification after leg 1 with the top 10 reversed: P10 first, P1 tenth, due a minute apart; stored and posted', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const it = (await server.api<{ stages: { code: string; leg: string }[] }>('GET', `/api/rallies/${server.rallyId}/itinerary`)).body;
    const last = it.stages.filter((s) => s.leg === 'L1').at(-1)!.code;
    const c = (await server.api<{ classification: { rows: Row[]; retired: { car: number; restartedAt?: string }[] } }>('GET', `/api/rallies/${server.rallyId}/results?after=${last}`)).body.classification;
    // Crews that retired in leg 1 and restart start after the others (the default placement).
    const restarting = new Set(c.retired.filter((r) => r.restartedAt !== undefined).map((r) => r.car));
    const leg1 = c.rows.filter((r) => r.position !== null && !restarting.has(r.car)).sort((a, b) => a.position! - b.position!).map((r) => r.car);
    const { context, page, errors } = await laptopPage(browser);
    try {
      await page.goto(`${server.url}/organise.html?id=${server.rallyId}&view=startlists`);
      await page.getByLabel('Token').fill(server.officerToken);
      await page.getByRole('button', { name: 'Open' }).click();
      const form = page.getByRole('form', { name: 'Build a start list' });
      await form.getByLabel(/^Leg /).selectOption('L2');
      await form.getByLabel(/^Seeding/).selectOption('classification');
      await form.getByLabel(/^Reverse the top/).fill('10');
      await form.getByLabel(/^First car due/).fill('2026-02-07T09:00');
      await form.getByLabel(/^Interval \(s\)/).fill('60');
      await form.getByRole('button', { name: 'Preview' }).click();
      const table = page.getByRole('table', { name: 'Start list' });
      await table.waitFor();
      const cars = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
      assert.deepEqual(cars.slice(0, 10).map(Number), leg1.slice(0, 10).reverse(), 'the top 10 of leg 1 start in reverse');
      assert.deepEqual(cars.slice(10, 15).map(Number), leg1.slice(10, 15), 'then P11 on in order');
      const dues = await table.locator('tbody tr td:nth-child(5)').allInnerTexts();
      assert.deepEqual(dues.slice(0, 3), ['09:00:00', '09:01:00', '09:02:00']);
      await page.getByLabel('Reason for the start list').fill('leg 2 seeding: top 10 reversed per SR 5.3');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: IMG('organise-start-list.png') });
      await page.getByRole('button', { name: 'Store and post the start list' }).click();
      await page.getByText('stored and posted on the notice board').waitFor();
      const stored = (await server.api<{ startLists: { leg: string; rows: { car: number }[] }[] }>('GET', `/api/rallies/${server.rallyId}/start-lists`)).body.startLists;
      assert.deepEqual(stored.find((s) => s.leg === 'L2')!.rows.slice(0, 10).map((r) => r.car), leg1.slice(0, 10).reverse());
      const notices = (await server.api<{ notices: { kind: string; title: string }[] }>('GET', `/api/rallies/${server.rallyId}/notices`)).body.notices;
      assert.ok(notices.some((n) => n.kind === 'startList' && n.title === 'Start list L2'));
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.getByRole('form', { name: 'Build a start list' }).isVisible(), false, 'the printed view is the list alone');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
