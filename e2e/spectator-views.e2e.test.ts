// More of what fans compare, in real Chromium at phone (375 px) and desktop
// width: the stage-by-stage grid with its crew column held while the stages
// scroll, rebased on a chosen crew; the charts of gap and position by stage
// (uPlot, fetched only when a chart is shown) with values under the pointer.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage, ROOT, startServer, type TestServer } from './harness.ts';
import type { Fact } from '../src/core/facts.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../src/core/time/index.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const shots = mkdtempSync(join(tmpdir(), 'rallyhq-spectator-views-'));
after(() => console.log(`screenshots: ${shots}`));

/** Mid-SS16: only cars 1–5 have finished it. */
const midSs16 = (f: Fact) => !(f.type === 'controlTime' && f.control === 'SS16F' && f.car > 5);

const text = async (page: Page, sel: string) => (await page.locator(sel).innerText()).trim();
const toMs = (s: string) => { const m = /^(?:(\d+):)?(\d+):(\d+)\.(\d)$/.exec(s.trim())!; return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) * 100; };

interface Results { classification: { rows: { car: number; position: number | null; totalMs: number }[] } }

describe('the stage-by-stage grid, mid-SS16', () => {
  let server: TestServer;
  before(async () => {
    if (!browser) return;
    server = await startServer({ keep: midSs16 });
  });
  after(async () => { await server?.close(); });

  test('phone: columns SS1…SS15 (SS16 still running has none), each cell the position and total of the classification after that stage; the crew column stays while the stages scroll', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.getByRole('link', { name: 'Stage by stage' }).click();
      await page.waitForSelector('#grid tbody tr');
      const heads = await page.locator('#grid thead th').allInnerTexts();
      assert.equal(heads[0]!.trim(), 'Crew');
      assert.equal(heads.at(-1)!.trim(), 'SS15', 'a running stage gets no column');
      assert.ok(!heads.includes('SS16'));
      // Two cells against the classifications the results API gives after SS5 and SS15.
      for (const after of ['SS5', 'SS15']) {
        const api = await server.api<Results>('GET', `/api/rallies/${server.rallyId}/results?after=${after}`);
        const col = heads.findIndex((h) => h.trim() === after);
        for (const r of api.body.classification.rows.filter((x) => x.position !== null).slice(0, 3)) {
          const cell = (await page.locator(`#grid tr[data-car="${r.car}"] td`).nth(col - 1).innerText()).trim().split('\n').map((x) => x.trim());
          assert.equal(cell[0], String(r.position), `car ${r.car} position after ${after}`);
          assert.equal(toMs(cell[1]!), r.totalMs, `car ${r.car} total after ${after}`);
        }
      }
      assert.equal(new URL(page.url()).searchParams.get('view'), 'grid');
      await page.screenshot({ path: join(shots, 'grid-phone.png') });
      // Scroll the stages sideways: the crew column stays where it was.
      const crew = page.locator('#grid tbody tr').first().locator('th');
      const x0 = (await crew.boundingBox())!.x;
      await page.locator('.grid-scroll').evaluate((el) => { el.scrollLeft = 400; });
      assert.ok(await page.locator('.grid-scroll').evaluate((el) => el.scrollLeft > 100), 'the grid is wider than a phone');
      assert.equal((await crew.boundingBox())!.x, x0, 'the crew column is held');
      await page.screenshot({ path: join(shots, 'grid-phone-scrolled.png') });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('desktop, rebased on car 7: its cells say "ref.", another crew\'s cell is its total minus car 7\'s after that stage', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=grid`);
      await page.waitForSelector('#grid tbody tr');
      await page.selectOption('#ref-select', '7');
      await page.waitForFunction(() => /ref\./.test(document.querySelector('#grid tr[data-car="7"] td:last-child')?.textContent ?? ''));
      const api = await server.api<Results>('GET', `/api/rallies/${server.rallyId}/results?after=SS15`);
      const rows = api.body.classification.rows;
      const seven = rows.find((r) => r.car === 7)!;
      const leader = rows.find((r) => r.position === 1)!;
      const cell = (await page.locator(`#grid tr[data-car="${leader.car}"] td:last-child .sub`).innerText()).trim();
      assert.ok(cell.startsWith('-'), `the leader is ahead of car 7: "${cell}"`);
      const shown = cell.slice(1).includes(':') ? cell.slice(1) : `0:${cell.slice(1)}`;
      assert.equal(toMs(shown), seven.totalMs - leader.totalMs);
      assert.equal(new URL(page.url()).searchParams.get('ref'), '7');
      await page.screenshot({ path: join(shots, 'grid-desktop-rebased.png') });
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the grid view is served whole', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=grid`);
      assert.match(await text(page, '#grid-title'), /after SS15/);
      assert.ok(await page.locator('#grid tbody tr').count() >= 50);
    } finally {
      await context.close();
    }
  });
});

describe('charts of gap and position by stage, the whole rally', () => {
  let server: TestServer;
  before(async () => {
    if (!browser) return;
    server = await startServer();
  });
  after(async () => { await server?.close(); });

  test('the table view never fetches the charting library; the chart view does, and hovering the last stage shows each crew\'s gap to the leader and position there', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const scripts: string[] = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname); });
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      assert.ok(!scripts.some((x) => /uplot/i.test(x)), `first view scripts: ${scripts.join(', ')}`);
      await page.getByRole('link', { name: 'Compare' }).click();
      await page.selectOption('#compare-a', '2');
      await page.selectOption('#compare-b', '7');
      await page.waitForSelector('#gap-chart canvas');
      assert.ok(scripts.some((x) => /uplot/i.test(x)), 'the chart view fetched the library');
      const api = await server.api<Results>('GET', `/api/rallies/${server.rallyId}/results?after=SS16`);
      const rows = api.body.classification.rows;
      const leader = rows.find((r) => r.position === 1)!;
      // Pointer near the right edge of the plot: the cursor snaps to the last stage.
      const over = (await page.locator('#gap-chart .u-over').boundingBox())!;
      await page.mouse.move(over.x + over.width - 3, over.y + over.height / 2);
      const legend = async (chart: string) => page.locator(`#${chart} .u-legend .u-series`).evaluateAll((trs) => trs.map((tr) => [tr.querySelector('.u-label')?.textContent ?? '', tr.querySelector('.u-value')?.textContent ?? '']));
      const gaps = await legend('gap-chart');
      assert.deepEqual(gaps[0], ['Stage', 'SS16']);
      for (const [i, car] of [2, 7].entries()) {
        const r = rows.find((x) => x.car === car)!;
        const [label, value] = gaps[i + 1]!;
        assert.match(label!, new RegExp(`^#${car} `));
        const want = r.totalMs - leader.totalMs;
        assert.equal(value === '0' ? 0 : toMs(value!.slice(1).includes(':') ? value!.slice(1) : `0:${value!.slice(1)}`), want, `car ${car}: gap to the leader after SS16 is ${value}`);
      }
      const pover = (await page.locator('#position-chart .u-over').boundingBox())!;
      await page.mouse.move(pover.x + pover.width - 3, pover.y + pover.height / 2);
      const pos = await legend('position-chart');
      assert.deepEqual(pos.slice(1).map((x) => x[1]), [2, 7].map((car) => `P${rows.find((x) => x.car === car)!.position}`));
      assert.match((await page.locator('#gap-chart .uchart').getAttribute('aria-label'))!, /Gap to the leader after each stage.*#2 .*#7 /);
      assert.equal(await page.locator('#chart-table tbody tr').count(), 16, 'the table alternative: one row per stage');
      await page.screenshot({ path: join(shots, 'chart-desktop.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('phone: a tap on the chart shows the values there', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=chart&compare=2,7`);
      await page.waitForSelector('#gap-chart canvas');
      const over = (await page.locator('#gap-chart .u-over').boundingBox())!;
      await page.touchscreen.tap(over.x + 4, over.y + over.height / 2);
      await page.waitForFunction(() => document.querySelector('#gap-chart .u-legend .u-series .u-value')?.textContent === 'SS1');
      await page.screenshot({ path: join(shots, 'chart-phone.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('the category picker on ARA\'s own Sno*Drift (National and Regional on the same roads)', () => {
  let server: TestServer;
  before(async () => {
    if (!browser) return;
    server = await startServer({ fixture: 'ara' });
  });
  after(async () => { await server?.close(); });

  interface Entries { entries: { car: number; category?: string }[] }

  test('phone: National first; Regional picked → its own table (after SS15, its crews only), its stages (no SS16), stage times ranked among Regional crews; kept in the address and after a reload', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      const def = await server.api<{ definition: Entries }>('GET', `/api/rallies/${server.rallyId}`);
      const regional = new Set(def.body.definition.entries.filter((e) => e.category === 'Regional').map((e) => String(e.car)));
      const national = new Set(def.body.definition.entries.filter((e) => e.category === 'National').map((e) => String(e.car)));
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      const picker = page.getByRole('group', { name: 'Category' });
      assert.equal(await picker.getByRole('link', { name: 'National' }).getAttribute('aria-current'), 'true');
      assert.match(await text(page, '#after'), /^After SS16 · National$/);
      const cars = async () => page.locator('#leaderboard tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-car') ?? ''));
      assert.ok((await cars()).every((c) => national.has(c)), 'the National table has National crews only');
      await picker.getByRole('link', { name: 'Regional' }).click();
      await page.waitForFunction(() => /Regional/.test(document.querySelector('#after')?.textContent ?? ''));
      assert.equal(await text(page, '#after'), 'After SS15 · Regional', 'Regional does not run SS16');
      const shown = await cars();
      assert.equal(shown.length, regional.size);
      assert.ok(shown.every((c) => regional.has(c)), 'the Regional table has Regional crews only');
      assert.equal(new URL(page.url()).searchParams.get('category'), 'Regional');
      const stages = await page.locator('#stage-select option').allInnerTexts();
      assert.ok(!stages.some((s) => s.startsWith('SS16')), 'no SS16 in Regional\'s stage list');
      await page.screenshot({ path: join(shots, 'category-regional-phone.png') });
      // A stage listing of Regional crews only, first place being the best Regional time (API, Regional only).
      await page.selectOption('#stage-select', 'SS1');
      await page.waitForSelector('#stage-table tbody tr');
      const stageCars = await page.locator('#stage-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-car') ?? ''));
      assert.ok(stageCars.length > 0 && stageCars.every((c) => regional.has(c)), 'SS1 lists Regional crews only');
      assert.equal(await text(page, '#stage-table tbody tr:first-child td.pos'), '1');
      await page.reload();
      await page.waitForSelector('#stage-table tbody tr');
      assert.equal(await page.getByRole('group', { name: 'Category' }).getByRole('link', { name: 'Regional' }).getAttribute('aria-current'), 'true');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('desktop without JavaScript: the Regional link serves the Regional table', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.getByRole('group', { name: 'Category' }).getByRole('link', { name: 'Regional' }).click();
      assert.equal(await text(page, '#after'), 'After SS15 · Regional');
      await page.screenshot({ path: join(shots, 'category-regional-desktop.png') });
    } finally {
      await context.close();
    }
  });
});

describe('the history pages, linked from the rally page', () => {
  let server: TestServer;
  before(async () => {
    if (!browser) return;
    server = await startServer();
    const csv = readFileSync(join(ROOT, 'seeds', 'history-monte-carlo-1964-1967.csv'), 'utf8');
    const res = await fetch(`${server.url}/api/history/import`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${server.adminToken}` }, body: csv });
    assert.equal(res.status, 200, await res.text());
  });
  after(async () => { await server?.close(); });

  test('phone: from the rally page to Monte Carlo\'s winners by year — 1966 Toivonen, the four British cars and the Imp excluded over their headlamps — its streaks, then Paddy Hopkirk\'s record', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.getByRole('link', { name: 'History' }).click();
      await page.waitForSelector('#event option[value="Monte Carlo Rally"]', { state: 'attached' });
      await page.selectOption('#event', 'Monte Carlo Rally');
      await page.waitForSelector('#winners tbody tr');
      // BBC On This Day, 21 January 1966: Toivonen (Citroën) the official winner after the British cars' exclusion.
      assert.match(await text(page, '#winners tr[data-year="1966"]:not(.excluded)'), /Pauli Toivonen[\s\S]*Citroën DS21/);
      const excluded = await page.locator('#winners tr.excluded[data-year="1966"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-excluded')));
      assert.deepEqual(excluded.sort(), ['Paddy Hopkirk', 'Rauno Aaltonen', 'Roger Clark', 'Rosemary Smith', 'Timo Mäkinen']);
      assert.match(await text(page, '#winners tr[data-excluded="Timo Mäkinen"] .why-excluded'), /headlamp dipping/);
      assert.equal(await page.locator('#winners tbody tr:not(.excluded)').count(), 4, 'one winner a year, 1964–1967');
      // Mini won 1964 and 1965; 1966 went to Citroën, so the Mini streak is two.
      assert.match(await text(page, '#streaks'), /Mini \(make\) — 2 in a row, 1964, 1965/);
      assert.equal(new URL(page.url()).searchParams.get('event'), 'Monte Carlo Rally');
      await page.screenshot({ path: join(shots, 'history-phone.png'), fullPage: true });
      await page.locator('#winners tr[data-year="1964"] a', { hasText: 'Paddy Hopkirk' }).click();
      await page.waitForSelector('#record tbody tr');
      const rec = await page.locator('#record tbody tr').allInnerTexts();
      assert.equal(rec.length, 2);
      assert.match(rec[0]!, /1964[\s\S]*Won/);
      assert.match(rec[1]!, /1966[\s\S]*excluded[\s\S]*headlamps/);
      assert.equal(new URL(page.url()).searchParams.get('person'), 'Paddy Hopkirk');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('desktop: a shared address opens the same record', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/history.html?event=Monte+Carlo+Rally&person=Timo+M%C3%A4kinen`);
      await page.waitForSelector('#record tbody tr');
      assert.match(await text(page, '#record-title'), /Timo Mäkinen/);
      assert.match(await text(page, '#record'), /1965[\s\S]*Won[\s\S]*1966[\s\S]*excluded/);
      await page.screenshot({ path: join(shots, 'history-desktop.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

describe('focus through live updates, one polite live region (mid-SS16)', () => {
  let server: TestServer;
  let starts: Map<number, string>;
  before(async () => {
    if (!browser) return;
    server = await startServer({ keep: midSs16 });
    const exp = await server.api<{ facts: Fact[] }>('GET', `/api/rallies/${server.rallyId}/export`, undefined, server.adminToken);
    const facts = (exp.body as unknown as { facts?: Fact[] }).facts ?? [];
    starts = new Map(facts.filter((f): f is Extract<Fact, { type: 'controlTime' }> => f.type === 'controlTime' && f.control === 'SS16S').map((f) => [f.car, f.at]));
  });
  after(async () => { await server?.close(); });

  /** A finish on SS16 for a car still on it, as a timekeeper would send it. */
  async function finish(car: number, stageMs: number): Promise<void> {
    const start = parseLocalDateTime(starts.get(car)!)!;
    const r = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: `focus-SS16F-${car}`, type: 'controlTime', car, control: 'SS16F', at: formatLocalDateTime(start + stageMs).replace(/00$/, ''), source: 'eztrak' }, server.officerToken);
    assert.equal(r.status, 201);
  }

  test('typing in the jump-to-car box while a time arrives: the box keeps focus and what was typed; the update is announced once, politely', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      const regions = await page.locator('[aria-live]').evaluateAll((els) => els.map((e) => [e.id, e.getAttribute('aria-live')]));
      assert.deepEqual(regions, [['status', 'polite']], 'one live region, polite');
      await page.focus('#jump');
      await page.keyboard.type('Sor');
      await finish(12, 303_400);
      await page.waitForFunction(() => /5:03\.4/.test(document.querySelector('#leaderboard tr[data-car="12"] td.run')?.textContent ?? ''));
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'jump', 'focus stayed in the box');
      assert.equal(await page.inputValue('#jump'), 'Sor');
      await page.keyboard.type('ensen');
      assert.equal(await page.inputValue('#jump'), 'Sorensen', 'typing goes on where it was');
      assert.match(await text(page, '#status'), /^Updated \d\d:\d\d:\d\d /);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the favourite button on a crew\'s page keeps focus while that crew\'s own time arrives and its page is redrawn', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=crew&car=14`);
      await page.waitForSelector('#follow');
      await page.focus('#follow');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#follow').getAttribute('aria-pressed'), 'true');
      await finish(14, 304_100);
      await page.waitForFunction(() => /5:04\.1/.test(document.querySelector('#crew-table tr[data-stage="SS16"]')?.textContent ?? ''));
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'follow', 'focus stayed on the button');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#follow').getAttribute('aria-pressed'), 'false', 'the same button, still in hand');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
