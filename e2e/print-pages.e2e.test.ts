// The print stylesheet of the public pages (docs/documents.md "Printing the
// pages"): the rally page's classification, a class, a stage and the entry
// list, and the notice board, printed by Chromium to A4 and read back with
// pdftotext: every crew of the table is on paper, the page's controls
// (downloads, pickers, buttons) are not.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type TestServer } from './harness.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const poppler = spawnSync('pdftotext', ['-v']).error === undefined;

/** What the browser prints (A4, as Print → Save as PDF does), as text. */
async function printed(page: Page): Promise<{ text: string; pages: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-printed-'));
  try {
    writeFileSync(join(dir, 'page.pdf'), await page.pdf({ format: 'A4' }));
    const out = spawnSync('pdftotext', ['-layout', join(dir, 'page.pdf'), '-'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return { text: out.stdout, pages: out.stdout.split('\f').filter((p) => p.trim()).length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('printing the public pages of the demo rally', () => {
  let server: TestServer;
  before(async () => { if (browser && poppler) server = await startServer({ fixture: 'ara' }); });
  after(async () => { await server?.close(); });

  test('classification, a class, a stage and the entry list print every crew of their table and none of the page\'s controls', async (t) => {
    if (!browser) return t.skip('no Chromium');
    if (!poppler) return t.skip('pdftotext (poppler-utils) not installed');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Detroit', locale: 'en-US' });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      const r = `/api/rallies/${server.rallyId}`;
      const views: [string, string, string, (b: never) => { car: number }[]][] = [
        ['overall', '', `${r}/results`, (b: { classification: { rows: { car: number }[] } }) => b.classification.rows],
        ['class L4WD', '&class=L4WD', `${r}/results?class=L4WD`, (b: { classification: { rows: { car: number }[] } }) => b.classification.rows],
        ['stage SS3', '&view=stage&stage=SS3', `${r}/stages/SS3`, (b: { stage: { rows: { car: number }[] } }) => b.stage.rows],
        // The entry list of the category shown (the first, National, by default), as the page lists it.
        ['entry list', '&view=entries', `${r}/entries`, (b: { entries: { car: number; category?: string }[] }) => b.entries.filter((e) => e.category === undefined || e.category === 'National')],
        ['Regional entry list', '&view=entries&category=Regional', `${r}/entries`, (b: { entries: { car: number; category?: string }[] }) => b.entries.filter((e) => e.category === undefined || e.category === 'Regional')],
      ];
      for (const [what, q, api, rowsOf] of views) {
        const cars = rowsOf((await server.api('GET', api)).body as never).map((x) => x.car);
        assert.ok(cars.length > 5, `${what}: ${cars.length} crews`);
        await page.goto(`${server.url}/rally.html?id=${server.rallyId}${q}`);
        await page.locator('main table').first().waitFor();
        const { text } = await printed(page);
        const missing = cars.filter((car) => !new RegExp(`(^|\\D)${car}(\\D|$)`, 'm').test(text));
        assert.deepEqual(missing, [], `${what}: every crew printed`);
        for (const control of ['Download:', 'as CSV', 'Downloads', 'Gaps to', 'Standings']) assert.ok(!text.includes(control), `${what}: "${control}" is not printed`);
      }
    } finally {
      await context.close();
    }
  });

  test('the notice board prints its documents without the crew\'s acknowledge buttons', async (t) => {
    if (!browser) return t.skip('no Chromium');
    if (!poppler) return t.skip('pdftotext (poppler-utils) not installed');
    const posted = await server.api('POST', `/api/rallies/${server.rallyId}/notices`, { id: 'print-bulletin-1', kind: 'bulletin', title: 'Bulletin 1: SS11 start moved', body: 'The start of SS11 moves 200 m north; the distance is unchanged.' }, server.officerToken);
    assert.equal(posted.status, 201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Detroit', locale: 'en-US' });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      // Signed in as the crew of car 126 (its link), the board offers the acknowledge button on screen.
      const code = await server.api<{ url: string }>('POST', `/api/rallies/${server.rallyId}/crew-codes`, { car: 126 }, server.officerToken);
      assert.equal(code.status, 201);
      await page.goto(new URL(code.body.url, server.url).href);
      await page.getByRole('button', { name: 'Acknowledge document 1' }).waitFor();
      const { text } = await printed(page);
      assert.match(text, /Bulletin 1: SS11 start moved/);
      assert.match(text, /moves 200 m north/);
      assert.doesNotMatch(text, /Acknowledge document/);
    } finally {
      await context.close();
    }
  });
});
