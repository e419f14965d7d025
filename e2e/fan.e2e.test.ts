// Journeys 4 and 5 (docs of the project: the crew at the service park, the fan
// on one bar): the rally page in real Chromium at phone size, against a real
// server holding the Sno*Drift 2026 fixture.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../src/core/time/index.ts';

/** `1:02:03.4`, `3:45.2`, `12.3` → ms, written here rather than taken from the code under test. */
function readDuration(text: string): number {
  const m = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2})\.(\d)$/.exec(text.trim());
  assert.ok(m, `"${text}" is not a time like 1:02:03.4`);
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3])) * 1000 + Number(m[4]) * 100;
}

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

describe('a fan and a crew on the rally page (phone, 375 px)', () => {
  let server: TestServer;
  // Car 10's SS16 finish is held back, so the test can post it and watch it arrive.
  before(async () => { if (browser) server = await startServer({ keep: (f) => f.id !== 'SS16F-10' }); });
  after(async () => { await server?.close(); });

  test('a fan opens the rally from the list and sees the leaderboard ordered by total, times as 1:02:03.4', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(server.url + '/');
      await page.getByRole('link', { name: /Sno\*Drift Rally 2026/ }).click();
      await page.waitForSelector('#leaderboard tbody tr');
      assert.match(await page.locator('#title').innerText(), /Sno\*Drift Rally 2026/);
      // The rally is run in miles (ARA): the header says so.
      assert.match(await page.locator('#meta').innerText(), /16 stages · \d+\.\d\d mi/);
      const rows = await page.locator('#leaderboard tbody tr').evaluateAll((trs) => trs.map((tr) => ({
        pos: tr.querySelector('.pos')?.firstChild?.textContent ?? '', car: tr.getAttribute('data-car') ?? '', total: tr.querySelector('.total')?.textContent ?? '', gap: tr.querySelector('.gap')?.textContent ?? '',
      })));
      const classified = rows.filter((r) => /^\d+$/.test(r.pos));
      assert.ok(classified.length >= 50, `expected the ~58 classified crews, got ${classified.length}`);
      assert.deepEqual(classified.map((r) => Number(r.pos)), classified.map((_, i) => i + 1), 'positions 1, 2, 3, … in order');
      const totals = classified.map((r) => readDuration(r.total));
      for (let i = 1; i < totals.length; i++) assert.ok(totals[i]! >= totals[i - 1]!, `row ${i + 1} (${classified[i]!.total}) is not behind row ${i} (${classified[i - 1]!.total})`);
      // Gap to the leader, read as people write it (+12.3, +1:14.1), equals the difference of the shown totals.
      assert.equal(classified[0]!.gap, '—');
      for (const r of classified.slice(1, 6)) {
        assert.match(r.gap, /^\+(\d+:)?\d{1,2}\.\d$/);
        assert.equal(readDuration(r.gap.slice(1)), readDuration(r.total) - totals[0]!, `gap of car ${r.car}`);
      }
      // Excluded car 52 (fixture: lighting, Clerk of the Course decision 2) is listed apart, not ranked.
      assert.match(await page.locator('#view').innerText(), /#52: Auxiliary headlights/);
      // A crew out of the rally has no total to compare: retired car 47 and excluded car 52 show none.
      for (const car of ['47', '52']) assert.equal(rows.find((r) => r.car === car)?.total, '', `total of car ${car}`);
      // Car 47 retired for good on SS5; car 45 retired on SS6 and came back under Super Rally: two lists, never mixed.
      assert.match(await page.locator('#retired').innerText(), /#47 at SS5/);
      assert.doesNotMatch(await page.locator('#retired').innerText(), /#45 /);
      assert.match(await page.locator('#restarted').innerText(), /#45 retired at SS6 .*restarted at/);
      // Class view: Limited 4WD only, class positions 1, 2, 3 …; cars 2 and 7 lead it (overall 2nd and 3rd).
      await page.selectOption('#class-select', 'L4WD');
      await page.waitForFunction(() => /Limited 4WD/.test(document.querySelector('#after')?.textContent ?? ''));
      const classRows = await page.locator('#leaderboard tbody tr').evaluateAll((trs) => trs.map((tr) => ({ pos: tr.querySelector('.pos')?.firstChild?.textContent ?? '', car: tr.getAttribute('data-car') ?? '', sub: tr.querySelector('.crew .sub')?.textContent ?? '' })));
      const inClass = classRows.filter((r) => /^\d+$/.test(r.pos));
      assert.deepEqual(inClass.map((r) => Number(r.pos)), inClass.map((_, i) => i + 1));
      assert.ok(inClass.every((r) => !r.sub.includes('·')), 'the class view does not repeat the class on every row');
      // The order within the class is the overall order of its cars.
      const overallOrder = classified.map((r) => r.car);
      const l4wd = inClass.map((r) => r.car);
      assert.deepEqual(l4wd, overallOrder.filter((c) => l4wd.includes(c)));
      assert.equal(new URL(page.url()).searchParams.get('class'), 'L4WD');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a fan watching SS16 sees car 10 finish (start 15:23:00.0, finish +5:02.3) without reloading, highlighted; the last crew in, the table moves to after SS16 and it leads', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    const overall = await context.newPage();
    try {
      await overall.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await overall.waitForSelector('#leaderboard tr[data-car="10"]');
      // Car 10 is the only crew still on SS16: the honest table is after SS15, car 10 shown on the stage.
      assert.equal((await overall.locator('#after').innerText()).trim(), 'After SS15');
      assert.match(await overall.locator('#leaderboard tr[data-car="10"] td.run').innerText(), /on stage/);
      const before = readDuration(await overall.locator('#leaderboard tr[data-car="10"] .total').innerText());
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=stage&stage=SS16`);
      await page.waitForSelector('#stage-table tbody tr');
      const row = page.locator('#stage-table tr[data-car="10"]');
      assert.equal((await row.locator('.time').innerText()).trim(), '—', 'car 10 is on the stage, no time yet');
      await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1; });
      // The highlight lasts a few seconds; record it when it appears so a slow machine cannot miss it.
      // (a string, so the test's compiler adds no helpers the page lacks)
      const watchFlash = `window.flashed = false;
        new MutationObserver(() => { if (document.querySelector('tr.flash[data-car="10"]')) window.flashed = true; })
          .observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });`;
      await page.evaluate(watchFlash);
      await overall.evaluate(watchFlash);
      // By hand: SS16S-10 is 15:23:00.0 in the fixture; a finish 5 min 2.3 s later is a stage time of 5:02.3.
      const start = parseLocalDateTime('2026-02-07T15:23:00.0')!;
      const finish = formatLocalDateTime(start + 302_300).replace(/00$/, '');
      const posted = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'e2e-SS16F-10', type: 'controlTime', car: 10, control: 'SS16F', at: finish, source: 'eztrak' }, server.officerToken);
      assert.equal(posted.status, 201);
      await page.waitForFunction(() => document.querySelector('#stage-table tr[data-car="10"] .time')?.textContent === '5:02.3', null, { timeout: 5000 });
      assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'the page was not reloaded');
      assert.equal(await page.evaluate(() => (window as unknown as { flashed?: boolean }).flashed), true, 'the new time is highlighted');
      // Overall: every running crew is through SS16 now; car 10's total grows by exactly the new 5:02.3 and it leads.
      await overall.waitForFunction(() => document.querySelector('#after')?.textContent === 'After SS16');
      await overall.waitForFunction(() => document.querySelector('#leaderboard tbody tr')?.getAttribute('data-car') === '10');
      const leader = overall.locator('#leaderboard tbody tr').first();
      assert.equal(readDuration(await leader.locator('.total').innerText()), before + 302_300);
      assert.equal(await overall.evaluate(() => (window as unknown as { flashed?: boolean }).flashed), true, 'the leader\'s new total is highlighted');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('crew 19 opens its page and sees its +1:00 penalty with the rule (Stewards\' decision 1, speeding to TC10)', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.locator('#leaderboard tr[data-car="19"] .crew a').click();
      await page.waitForSelector('#crew-title');
      assert.match(await page.locator('#crew-title').innerText(), /^#19 /);
      // The fixture's penalty fact: 60 s, "Speeding on the road section to TC10 (police radar report)", rule "Stewards' decision 1".
      const pen = await page.locator('#penalties').innerText();
      assert.match(pen, /\+1:00 Speeding on the road section to TC10/);
      assert.match(pen, /Rule: Stewards' decision 1/);
      // Stage times in the crew's table, and the gap chart to the class leader (one line).
      assert.equal(await page.locator('#crew-table tbody tr').count(), 16);
      await page.waitForSelector('#crew-chart canvas');
      assert.equal(await page.locator('#crew-chart .u-legend .u-series').count(), 2, 'the stage and one crew');
      assert.ok(new URL(page.url()).searchParams.get('car') === '19', 'the crew page has its own address to share');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a fan compares cars 2 and 7: gap and position charts, 2 ahead of 7 at the end, the same figures in the table', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.getByRole('link', { name: 'Compare' }).click();
      await page.selectOption('#compare-a', '2');
      await page.selectOption('#compare-b', '7');
      await page.waitForSelector('#gap-chart canvas');
      await page.waitForSelector('#position-chart canvas');
      const labels = await page.locator('#gap-chart .u-legend .u-series .u-label').allInnerTexts();
      assert.match(labels[1]!, /^#2 /);
      assert.match(labels[2]!, /^#7 /);
      // Cars 2 and 7 end 0.8 s apart, 2 ahead (fixture results): the table under the charts says so.
      const last = (await page.locator('#chart-table tbody tr').last().innerText()).split(/\s+/).filter(Boolean);
      assert.equal(last[0], 'SS16');
      const p2 = Number(last[1]!.slice(1));
      const p7 = Number(last.find((x, i) => i > 1 && x.startsWith('P'))!.slice(1));
      assert.ok(p2 < p7, `car 2 (P${p2}) ahead of car 7 (P${p7}) after SS16`);
      assert.equal(new URL(page.url()).searchParams.get('compare'), '2,7');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the rally page fits a 375 px phone: no sideways scrolling of the page itself', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `page is ${width} px wide`);
      const dir = mkdtempSync(join(tmpdir(), 'rallyhq-shot-'));
      await page.screenshot({ path: join(dir, 'rally-phone.png') });
      console.log(`phone screenshot: ${join(dir, 'rally-phone.png')}`);
    } finally {
      await context.close();
    }
  });
});
