// The spectator's rally in real Chromium: the honest table while a stage is
// being run, live deltas applied in the page without a request per change,
// the page coming back from further behind than the server keeps, rebase,
// and the first view readable without JavaScript.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import type { Fact } from '../src/core/facts.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../src/core/time/index.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const shots = mkdtempSync(join(tmpdir(), 'rallyhq-spectator-'));

/** Mid-SS16: only cars 1–5 have finished it; everyone else still on the stage. */
const midSs16 = (f: Fact) => !(f.type === 'controlTime' && f.control === 'SS16F' && f.car > 5);

/** SS16 start of a car in the fixture plus a stage time → the finish fact a timekeeper would send. */
function finishFact(server: TestServer, starts: Map<number, string>, car: number, stageMs: number, id = `e2e-SS16F-${car}`) {
  const start = parseLocalDateTime(starts.get(car)!)!;
  return { id, type: 'controlTime', car, control: 'SS16F', at: formatLocalDateTime(start + stageMs).replace(/00$/, ''), source: 'eztrak' };
}

async function ss16Starts(server: TestServer): Promise<Map<number, string>> {
  const exp = await server.api<{ facts: Fact[] }>('GET', `/api/rallies/${server.rallyId}/export`, undefined, server.adminToken);
  const facts = (exp.body as unknown as { facts?: Fact[] }).facts ?? [];
  return new Map(facts.filter((f): f is Extract<Fact, { type: 'controlTime' }> => f.type === 'controlTime' && f.control === 'SS16S').map((f) => [f.car, f.at]));
}

async function cellText(page: Page, sel: string): Promise<string> {
  return (await page.locator(sel).innerText()).trim();
}

describe('the spectator on a phone, mid-SS16', () => {
  let server: TestServer;
  let starts: Map<number, string>;
  before(async () => {
    if (!browser) return;
    server = await startServer({ keep: midSs16, live: { ringSize: 3, retryMs: 300 } });
    starts = await ss16Starts(server);
  });
  after(async () => { await server?.close(); });

  test('the table is after SS15 (every running crew through it), SS16 crews shown on the stage, stamp says live; a finish arrives as a delta, no request', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      const requests: string[] = [];
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      assert.equal(await cellText(page, '#after'), 'After SS15');
      assert.match(await cellText(page, '#running-note'), /SS16 running: 5 through, \d+ on the stage/);
      // The same order as the after-SS15 classification of the API, by hand from its answer.
      const api = await server.api<{ classification: { rows: { car: number; position: number | null }[] } }>('GET', `/api/rallies/${server.rallyId}/results?after=SS15`);
      const ranked = api.body.classification.rows.filter((r) => r.position !== null).map((r) => String(r.car));
      const shown = await page.locator('#leaderboard tbody tr').evaluateAll((trs) => trs.map((tr) => ({ car: tr.getAttribute('data-car') ?? '', pos: tr.querySelector('.pos')?.firstChild?.textContent ?? '' })));
      assert.deepEqual(shown.filter((r) => /^\d+$/.test(r.pos)).map((r) => r.car), ranked);
      // Car 10 is on SS16: shown there, not with a half-run total.
      assert.match(await cellText(page, '#leaderboard tr[data-car="10"] td.run'), /on stage/);
      assert.match(await cellText(page, '#stamp'), /^live$/i);
      await page.screenshot({ path: join(shots, 'honest-phone.png') });

      // A finish for car 10 in 5:02.3: applied from the delta, the table stays after SS15.
      requests.length = 0;
      const posted = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, finishFact(server, starts, 10, 302_300), server.officerToken);
      assert.equal(posted.status, 201);
      await page.waitForFunction(() => /5:02\.3/.test(document.querySelector('#leaderboard tr[data-car="10"] td.run')?.textContent ?? ''));
      assert.equal(await cellText(page, '#after'), 'After SS15');
      assert.match(await cellText(page, '#running-note'), /6 through/);
      assert.match(await cellText(page, '#status'), /Updated \d\d:\d\d:\d\d [A-Z]{3}/, 'one polite announcement, rally-local time with its zone');
      assert.deepEqual(requests.filter((p) => p.startsWith('/api/')), [], 'no request after a live change');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('rebase: gaps to car 7 — car 7 shows "=", the crews ahead of it a minus, the leader its lead over 7', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      const total = async (car: string) => page.locator(`#leaderboard tr[data-car="${car}"] .total`).innerText();
      await page.selectOption('#ref-select', '7');
      await page.waitForFunction(() => document.querySelector('#leaderboard tr[data-car="7"] .gap')?.textContent === '=');
      const first = await page.locator('#leaderboard tbody tr').first().getAttribute('data-car');
      assert.ok(first && first !== '7');
      const toMs = (s: string) => { const m = /^(?:(\d+):)?(\d+):(\d+)\.(\d)$/.exec(s.trim())!; return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) * 100; };
      const lead = toMs(await total('7')) - toMs(await total(first));
      assert.ok(lead > 0);
      const shownGap = (await page.locator(`#leaderboard tr[data-car="${first}"] .gap`).innerText()).trim();
      assert.ok(shownGap.startsWith('-'), `leader's gap to car 7 is "${shownGap}"`);
      assert.equal(toMs(shownGap.slice(1).includes(':') ? shownGap.slice(1) : `0:${shownGap.slice(1)}`), lead);
      assert.equal(new URL(page.url()).searchParams.get('ref'), '7', 'the rebase has its own address');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('back from further behind than the server keeps (ring of 3, 5 changes missed): the page gets the fresh picture, not "retrying…" forever', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      // The phone goes into a tunnel: its stream is cut and it cannot reconnect.
      await context.setOffline(true);
      server.app.rallyhq.live.hub.closeAll();
      await page.waitForFunction(() => /retrying/.test(document.querySelector('#live')?.textContent ?? ''));
      // Five finishes while it is away, one request each: more changes than the server keeps.
      const before = Number(/(\d+) through/.exec(await cellText(page, '#running-note'))![1]);
      const cars = [...starts.keys()].filter((c) => c > 10).sort((a, b) => a - b).slice(0, 5);
      assert.equal(cars.length, 5);
      for (const [i, car] of cars.entries()) {
        const r = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, finishFact(server, starts, car, 305_000 + i * 1000), server.officerToken);
        assert.equal(r.status, 201);
      }
      await context.setOffline(false);
      const last = cars.at(-1)!;
      await page.waitForFunction((car) => /5:09\.0/.test(document.querySelector(`#leaderboard tr[data-car="${car}"] td.run`)?.textContent ?? ''), last, { timeout: 15_000 });
      assert.equal(await cellText(page, '#live'), '');
      assert.match(await cellText(page, '#running-note'), new RegExp(`${before + 5} through`));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a prediction: a crew on SS16 shows its likely time with a range and the place it would take; SS15 says how good the predictions at its start were', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      const car = Math.max(...starts.keys());
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=stage&stage=SS16`);
      await page.waitForSelector(`#stage-table tr[data-car="${car}"] .pred`);
      const text = await cellText(page, `#stage-table tr[data-car="${car}"] .pred`);
      const m = /^≈(\d+:\d\d\.\d) \((\d+:\d\d\.\d)–(\d+:\d\d\.\d)\)( → P\d+)?/.exec(text);
      assert.ok(m, `prediction reads "${text}"`);
      const ms = (x: string) => { const [mm, ss] = x.split(':'); return (Number(mm) * 60 + Number(ss)) * 1000; };
      assert.ok(ms(m[2]!) <= ms(m[1]!) && ms(m[1]!) <= ms(m[3]!), 'the range holds the prediction');
      // Against the crews through SS16 (API answer): within a third of their median time — a stage time, not nonsense.
      const st = await server.api<{ stage: { rows: { timeMs: number | null }[] } }>('GET', `/api/rallies/${server.rallyId}/stages/SS16`);
      const through = st.body.stage.rows.map((r) => r.timeMs).filter((x): x is number => x !== null).sort((a, b) => a - b);
      const med = through[Math.floor(through.length / 2)]!;
      assert.ok(Math.abs(ms(m[1]!) - med) < med / 3, `${m[1]} vs median ${med} ms`);
      // The places are overall against the whole field (the crews through and the predictions of the rest), not "behind the five through" for everyone.
      const places = (await page.locator('#stage-table .pred').allInnerTexts()).map((x) => /→ P(\d+)/.exec(x)?.[1]).filter((x): x is string => x !== undefined).map(Number);
      assert.ok(places.length > 40, `${places.length} crews on SS16 have a predicted place`);
      assert.ok(new Set(places).size > 10, `predicted places spread over the field: ${[...new Set(places)].sort((a, b) => a - b).join(', ')}`);
      await page.locator(`#stage-table tr[data-car="${car}"]`).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'prediction-ss16-phone.png') });
      await page.selectOption('#stage-select', 'SS15');
      await page.waitForSelector('#accuracy');
      const acc = await cellText(page, '#accuracy');
      const a = /mean error (\d+\.\d) s over (\d+) crews, (\d+) % inside/.exec(acc);
      assert.ok(a, `accuracy reads "${acc}"`);
      assert.ok(Number(a[2]) >= 30, 'most crews of SS15 were predicted at their start');
      await page.screenshot({ path: join(shots, 'prediction-accuracy-phone.png'), fullPage: false });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the pages around the rally: the timetable says SS1–SS15 finished with their winners and SS16 running; the entry list has every crew by class, car 47 retired at SS5', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.getByRole('link', { name: 'Timetable' }).click();
      await page.waitForSelector('section[data-source="timetable"] #timetable-title');
      const states = await page.locator('tr[data-stage]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-stage'), tr.getAttribute('data-state')]));
      assert.equal(states.length, 16);
      assert.deepEqual(states.filter(([, st]) => st === 'running').map(([c]) => c), ['SS16']);
      assert.ok(states.slice(0, 15).every(([, st]) => st === 'finished' || st === 'interrupted' || st === 'cancelled'));
      assert.match(await cellText(page, 'tr[data-stage="SS15"]'), /finished · won by #10 in 13:22\.1/);
      await page.screenshot({ path: join(shots, 'timetable-phone.png') });
      await page.getByRole('link', { name: 'Entry list' }).click();
      await page.waitForSelector('#entries-title');
      assert.match(await cellText(page, '#entries-title'), /60 crews/);
      assert.equal(await page.locator('table.entries tbody tr').count(), 60);
      assert.match(await cellText(page, 'table.entries tr[data-car="47"]'), /retired at SS5/);
      assert.equal(new URL(page.url()).searchParams.get('view'), 'entries');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('follow a crew: jump to car 19 by its number, follow it, and it is pinned to the top of the table — still after a reload', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { context, page, errors } = await phonePage(browser);
    try {
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      await page.waitForSelector('#leaderboard tbody tr');
      assert.notEqual(await page.locator('#leaderboard tbody tr').first().getAttribute('data-car'), '19');
      await page.fill('#jump', '19');
      await page.press('#jump', 'Enter');
      await page.waitForSelector('#crew-title');
      assert.match(await cellText(page, '#crew-title'), /^#19 /);
      await page.click('#follow');
      assert.equal(await page.locator('#follow').getAttribute('aria-pressed'), 'true');
      await page.getByRole('link', { name: 'Overall' }).click();
      await page.waitForSelector('#leaderboard tbody tr');
      assert.equal(await page.locator('#leaderboard tbody tr').first().getAttribute('data-car'), '19');
      await page.reload();
      await page.waitForFunction(() => document.querySelector('#leaderboard tbody tr')?.getAttribute('data-car') === '19');
      await page.screenshot({ path: join(shots, 'followed-phone.png') });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the first view is there: the table, its rows, the stamp', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}`);
      assert.equal(await cellText(page, '#after'), 'After SS15');
      assert.ok(await page.locator('#leaderboard tbody tr').count() >= 50);
      await page.screenshot({ path: join(shots, 'honest-desktop.png'), fullPage: false });
      console.log(`screenshots: ${shots}`);
    } finally {
      await context.close();
    }
  });
});
