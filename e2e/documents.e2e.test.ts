// The clerk at HQ: a clock file is imported through the timing import page
// (three bad lines named by number, nothing stored until confirmed, the bad
// lines kept in the quarantine), and the rally page offers the downloads and
// the official documents of the latest publication as PDF.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, loadFixture, phonePage, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// SS16's finish times of cars 1–5 are held back: the clock file brings them.
const HELD = new Set(['SS16F-1', 'SS16F-2', 'SS16F-3', 'SS16F-4', 'SS16F-5']);

/** The import page on a laptop, opened with the results officer's token; the page's uncaught errors collected. */
async function openImport(b: Browser, server: TestServer): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await b.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Detroit' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/import.html?rally=${server.rallyId}`);
  await page.getByLabel('Results officer token').fill(server.officerToken);
  await page.getByRole('button', { name: 'Open' }).click();
  return { context, page, errors };
}

describe('timing import page and downloads', () => {
  let server: TestServer;
  let held: { car: number; at: string }[] = [];
  before(async () => {
    if (!browser) return;
    const { loadFixture } = await import('./harness.ts');
    held = loadFixture().facts.filter((f) => HELD.has(f.id)).map((f) => ({ car: (f as { car: number }).car, at: (f as { at: string }).at }));
    server = await startServer({ keep: (f) => !HELD.has(f.id) });
  });
  after(async () => { await server?.close(); });

  test('a clock file with three bad lines: previewed by line number, stored only on confirm, the bad lines quarantined', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await openImport(browser, server);
    try {
      const csv = ['Clock time,Car #,Point', ...held.map((h) => `${h.at},${h.car},SS16F`), '2026-02-07T15:31:xx,6,SS16F', '2026-02-07T15:32:10.0,,SS16F', '2026-02-07T15:33:10.0,7,SS99F'].join('\n');
      await page.getByLabel('CSV file').setInputFiles({ name: 'ss16-finish-clock.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByLabel('Car', { exact: true }).selectOption('Car #');
      await page.getByLabel('Control', { exact: true }).selectOption('Point');
      await page.getByLabel('Time', { exact: true }).selectOption('Clock time');
      const before = (await server.api<{ lastSeq: number }>('GET', `/api/rallies/${server.rallyId}/facts?limit=1`)).body.lastSeq;
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.waitForSelector('text=Preview: 8 lines');
      const status = await page.getByRole('status').first().innerText();
      assert.match(status, /5 to add, 0 already present, 0 conflicts, 3 unreadable/);
      const unreadable = await page.locator('details:has(summary:text("Cannot be read")) tbody tr td:first-child').allInnerTexts();
      assert.deepEqual(unreadable, ['7', '8', '9']);
      assert.equal((await server.api<{ lastSeq: number }>('GET', `/api/rallies/${server.rallyId}/facts?limit=1`)).body.lastSeq, before, 'nothing stored by the preview');
      const dir = mkdtempSync(join(tmpdir(), 'rallyhq-shot-'));
      await page.screenshot({ path: join(dir, 'import-desktop.png'), fullPage: true });
      console.log(`import page screenshot: ${join(dir, 'import-desktop.png')}`);
      await page.getByRole('button', { name: 'Confirm import' }).click();
      await page.waitForSelector('text=Stored 5 times; 3 lines kept in the quarantine');
      assert.equal((await server.api<{ lastSeq: number }>('GET', `/api/rallies/${server.rallyId}/facts?limit=1`)).body.lastSeq, before + 5);
      await page.waitForSelector('text=Quarantine (3 open)');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a long file (every time of day of the rally, 3,500 lines) shows a progress bar until the server has read it', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await openImport(browser, server);
    try {
      const csv = await (await fetch(`${server.url}/api/rallies/${server.rallyId}/times.csv`)).text();
      const lines = csv.trimEnd().split('\r\n').length - 1;
      assert.ok(lines > 3000, `${lines} lines`);
      await page.getByLabel('CSV file').setInputFiles({ name: 'all-times.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      // This file's own header (the mapping saved by the import before is another clock's).
      const columns = page.getByRole('group', { name: /^Columns/ });
      await columns.getByLabel('Car', { exact: true }).selectOption('car');
      await columns.getByLabel('Control', { exact: true }).selectOption('control');
      await columns.getByLabel('Time', { exact: true }).selectOption('time');
      // The server's answer is held back (as on a slow link) until the bar has been seen.
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      await page.route('**/imports/preview', async (route) => { await held; await route.continue(); });
      await page.getByRole('button', { name: 'Preview' }).click();
      const bar = page.getByRole('progressbar');
      await bar.waitFor();
      assert.match(await page.locator('label:has(progress)').innerText(), /Preview: (sending|the server is reading every line)/);
      release();
      await page.waitForSelector(`text=Preview: ${lines} lines`);
      assert.equal(await bar.count(), 0, 'the bar goes once the answer is in');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('every results table on the rally page has CSV and JSON links under it, and they answer with that table', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      const base = `${server.url}/rally.html?id=${server.rallyId}`;
      const r = `/api/rallies/${server.rallyId}`;
      const views: [string, string, string][] = [
        ['', 'Overall classification', `${r}/results`],
        ['&class=L4WD', 'Class L4WD classification', `${r}/results?class=L4WD`],
        ['&view=stage&stage=SS3', 'SS3 stage times', `${r}/stages/SS3`],
        ['&view=crew&car=45', 'Car 45 stage by stage', `${r}/crews/45`],
        ['&view=entries', 'Entry list', `${r}/entries`],
        ['&view=grid', 'Stage by stage grid', `${r}/grid`],
      ];
      for (const [q, what, path] of views) {
        await page.goto(base + q);
        const csv = page.getByRole('link', { name: new RegExp(`${what}.* as CSV$`) });
        await csv.waitFor();
        const href = await csv.getAttribute('href');
        assert.equal(href, `${path}${path.includes('?') ? '&' : '?'}format=csv`, what);
        assert.equal(await page.getByRole('link', { name: new RegExp(`${what}.* as JSON$`) }).getAttribute('href'), path, what);
        const res = await fetch(server.url + href);
        assert.equal(res.status, 200, what);
        assert.match(res.headers.get('content-type') ?? '', /^text\/csv/, what);
        const json = await fetch(server.url + path, { headers: { accept: 'application/json' } });
        assert.match(json.headers.get('content-type') ?? '', /^application\/json/, what);
      }
      // The crew CSV is car 45's stages, one line per stage of the rally.
      const crew = await (await fetch(`${server.url}${r}/crews/45?format=csv`)).text();
      assert.equal(crew.trimEnd().split("\r\n").length - 1, (loadFixture().rally as unknown as { stages: unknown[] }).stages.length);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the rally page on a phone offers CSV, the rally file and the PDFs of the latest publication', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const pub = await server.api('POST', `/api/rallies/${server.rallyId}/publications`, { kind: 'provisional', reason: 'end of the rally' }, server.officerToken);
    assert.equal(pub.status, 201);
    const { context, page } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.getByText('Downloads').click();
      const link = page.getByRole('link', { name: 'Classification overall and by class' });
      const href = await link.getAttribute('href');
      assert.equal(href, `/api/rallies/${server.rallyId}/publications/1/documents/final-classification.pdf`);
      const pdf = await fetch(server.url + href);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
      assert.ok(await page.getByRole('link', { name: 'CSV', exact: true }).isVisible());
      const dir = mkdtempSync(join(tmpdir(), 'rallyhq-shot-'));
      await page.screenshot({ path: join(dir, 'downloads-phone.png'), fullPage: true });
      console.log(`downloads screenshot: ${join(dir, 'downloads-phone.png')}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `page is ${width} px wide`);
    } finally {
      await context.close();
    }
  });
});
