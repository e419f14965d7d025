// HQ changes the entry list while fans watch: the open rally page takes the
// new crew names and class menu from the `reset` the server sends, without a
// reload, and keeps the stage and class the fan was looking at while they exist.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Entry, RallyClass } from '../src/core/model.ts';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { openDesk, shot } from './desk-helpers.ts';

interface EntriesAnswer { version: number; classes: RallyClass[]; entries: Entry[] }

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const menu = (page: Page, sel: string) => page.locator(`${sel} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
const chosen = (page: Page, sel: string) => page.locator(sel).evaluate((s) => (s as HTMLSelectElement).value);

describe('the rally page follows a change of the entry list (phone, 375 px)', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  let changes = 0;
  async function putEntries(change: (e: EntriesAnswer) => Omit<EntriesAnswer, 'version'>): Promise<void> {
    const path = `/api/rallies/${server.rallyId}/entries`;
    const current = await server.api<EntriesAnswer>('GET', path);
    assert.equal(current.status, 200);
    const put = await server.api('PUT', path, { version: current.body.version, ...change(current.body), reason: `entry list corrected by the secretary (${++changes})` }, server.officerToken);
    assert.equal(put.status, 200, JSON.stringify(put.body));
  }

  test('car 2 renamed and a new class "Open" added: the SS3 table and the class menu show them; SS3 and Limited 4WD stay chosen; a removed class falls back to all classes', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=stage&stage=SS3&class=L4WD`);
      await page.waitForSelector('#stage-table tr[data-car="2"]');
      const oldName = await page.locator('#stage-table tr[data-car="2"] .crew a').innerText();
      assert.doesNotMatch(oldName, /Kowalczyk/);
      assert.ok(!(await menu(page, '#class-select')).includes('OPEN'));
      await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1; });

      // A car of another class moves to the new one; car 2's driver is now someone else.
      let moved = 0;
      let movedFrom = '';
      await putEntries(({ classes, entries }) => {
        const other = entries.find((e) => e.class !== 'L4WD')!;
        moved = other.car;
        movedFrom = other.class;
        return {
          classes: [...classes, { code: 'OPEN', name: 'Open' }],
          entries: entries.map((e) => e.car === 2 ? { ...e, driver: { ...e.driver, name: 'Marta Kowalczyk' } } : e.car === moved ? { ...e, class: 'OPEN' } : e),
        };
      });

      await page.waitForFunction(() => [...document.querySelectorAll('#class-select option')].some((o) => (o as HTMLOptionElement).value === 'OPEN'), null, { timeout: 5000 });
      await page.waitForFunction(() => /Kowalczyk/.test(document.querySelector('#stage-table tr[data-car="2"] .crew a')?.textContent ?? ''), null, { timeout: 5000 });
      assert.match(await page.locator('#stage-table tr[data-car="2"] .crew a').innerText(), /^Kowalczyk \/ /);
      assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'the page was not reloaded');
      assert.equal(await chosen(page, '#class-select'), 'L4WD');
      assert.equal(await chosen(page, '#stage-select'), 'SS3');
      const url = new URL(page.url());
      assert.deepEqual([url.searchParams.get('view'), url.searchParams.get('stage'), url.searchParams.get('class')], ['stage', 'SS3', 'L4WD']);

      // The new class is there to choose: its SS3 table holds the one car moved into it.
      await page.selectOption('#class-select', 'OPEN');
      await page.waitForFunction(() => document.querySelectorAll('#stage-table tbody tr').length === 1);
      assert.equal(await page.locator('#stage-table tbody tr').getAttribute('data-car'), String(moved));

      // The class is withdrawn while chosen: the page falls back to all classes, still on SS3.
      await putEntries(({ classes, entries }) => {
        const back = entries.map((e) => e.car === moved ? { ...e, class: movedFrom } : e);
        return { classes: classes.filter((c) => c.code !== 'OPEN'), entries: back };
      });
      await page.waitForFunction(() => ![...document.querySelectorAll('#class-select option')].some((o) => (o as HTMLOptionElement).value === 'OPEN'), null, { timeout: 5000 });
      await page.waitForFunction(() => document.querySelectorAll('#stage-table tbody tr').length > 1);
      assert.equal(await chosen(page, '#class-select'), '');
      assert.equal(await chosen(page, '#stage-select'), 'SS3');
      assert.equal(new URL(page.url()).searchParams.get('class'), null);
      assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'still no reload');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the desk audit shows each change of the entry list with its reason and what changed', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const last = (await server.api<EntriesAnswer>('GET', `/api/rallies/${server.rallyId}/entries`)).body.entries.at(-1)!.car;
    const w = await server.api('PATCH', `/api/rallies/${server.rallyId}/entries/${last}`, { changes: { registration: 'MI 4WD 65' }, reason: 'registration from the scrutineering sheet' }, server.officerToken);
    assert.equal(w.status, 200, JSON.stringify(w.body));
    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      await p.click('#tab-audit');
      const first = p.locator('#audit-trail li[data-action="update-entries"]').last();
      await first.waitFor();
      assert.match(await first.innerText(), /why: entry list corrected by the secretary \(1\)/);
      assert.match(await first.locator('ul.diff').innerText(), /entry car 2: driver .*Marta Kowalczyk/);
      assert.match(await first.locator('ul.diff').innerText(), /class OPEN added/);
      const edited = p.locator('#audit-trail li[data-action="entry-edit"]');
      assert.match(await edited.innerText(), /why: registration from the scrutineering sheet/);
      assert.match(await edited.locator('ul.diff').innerText(), /registration.*MI 4WD 65/);
      await first.scrollIntoViewIfNeeded();
      await shot(p, 'desk-audit-entries');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });
});
