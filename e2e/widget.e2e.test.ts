// The embeddable widget (docs/documents.md "Public read API, calendars,
// widget"): a class table in an iframe on another site, updating live. The
// page's clock is driven by the test, so the widget's 10 s poll runs at once:
// a decision that changes the class order shows at the next poll, and a poll
// with nothing new is answered 304 (If-None-Match).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('the live class-table widget in an iframe', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer({ fixture: 'ara' }); });
  after(async () => { await server?.close(); });

  test('a one-hour penalty on the L4WD leader moves it down the widget at the next poll; an unchanged table costs a 304', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const statuses: number[] = [];
      page.on('response', (r) => { if (r.url().includes('/api/public/v1/rallies/') && r.url().includes('/results')) statuses.push(r.status()); });
      await page.clock.install();
      // Another site's page (another origin: its own small server): the widget is embedded as the docs show.
      const club = createServer((_req, res) => { res.setHeader('content-type', 'text/html; charset=utf-8'); res.end(`<!doctype html><title>Club news</title><h1>Club news</h1><iframe src="${server.url}/widget/${server.rallyId}?class=L4WD" title="Sno*Drift L4WD" width="420" height="600"></iframe>`); });
      await new Promise<void>((r) => club.listen(0, '127.0.0.1', r));
      t.after(() => new Promise<void>((r) => club.close(() => r())));
      await page.goto(`http://127.0.0.1:${(club.address() as AddressInfo).port}/news`);
      const frame = page.frameLocator('iframe');
      const firstCar = async () => (await frame.locator('#rows tr').first().locator('td').nth(1).innerText()).trim();
      await frame.locator('#rows tr').first().waitFor();
      const api = await server.api<{ rows: { car: number; classPosition: number | null }[] }>('GET', `/api/public/v1/rallies/${server.rallyId}/results?class=L4WD`);
      const order = api.body.rows.filter((r) => r.classPosition !== null).map((r) => r.car);
      assert.equal(await firstCar(), String(order[0]));
      assert.equal(await frame.locator('#rows tr').count(), order.length);

      // Nothing new: the next poll is a 304 and the table stays.
      const before = statuses.length;
      await page.clock.fastForward(10_000);
      await page.waitForResponse((r) => r.url().includes('/api/public/v1/rallies/') && statuses.length > before);
      assert.equal(statuses.at(-1), 304, `statuses ${statuses.join(',')}`);

      // The stewards' one-hour penalty on the class leader (more than its lead): the next poll shows the new order.
      const pen = await server.api('POST', `/api/rallies/${server.rallyId}/penalties`, { id: 'widget-pen-1', car: order[0], seconds: 3600, reason: 'stewards: widget test' }, server.officerToken);
      assert.equal(pen.status, 201);
      // The next poll is scheduled once the last answer is in: move the clock on until it has run.
      for (let i = 0; i < 20 && (await firstCar()) === String(order[0]); i++) {
        await page.clock.fastForward(10_000);
        await page.waitForResponse((r) => r.url().includes('/api/public/v1/rallies/'), { timeout: 1000 }).catch(() => null);
      }
      await frame.locator('#rows tr').first().locator('td').nth(1).filter({ hasNotText: new RegExp(`^${order[0]}$`) }).waitFor();
      assert.equal(await firstCar(), String(order[1]));
      assert.equal(statuses.at(-1), 200, 'the changed table came as a 200');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
