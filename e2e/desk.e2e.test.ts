// The officials' desk (issue: decisions, preview, publication safeguards,
// notice board, audit) driven in Chromium as a results officer would, at a
// laptop (1280 px) and on a tablet. Screenshots go to docs/img for docs/web.md.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, phonePage, startServer, type TestServer } from './harness.ts';
import { openDesk, shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

interface Row { car: number; position: number | null; classPosition: number | null; totalMs: number }

describe('the desk: a decision previewed, then saved', () => {
  let server: TestServer;
  before(async () => { if (browser) server = await startServer(); });
  after(async () => { await server?.close(); });

  test('a 10 s penalty on car 2 (P2, 0.8 s ahead of car 7) is previewed as car 7 moving ahead, overall and in L4WD; saved, the classification is the previewed one', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      await p.selectOption('#decision-kind', 'penalty');
      await p.getByLabel('Car', { exact: true }).fill('2');
      await p.getByLabel('Penalty', { exact: true }).fill('10');
      await p.getByLabel('Rule or article').fill('ARA GCR 6 (stewards)');
      // Save is not offered before the preview.
      assert.equal(await p.getByRole('button', { name: 'Save decision' }).isDisabled(), true);
      await p.getByLabel('Reason').fill('speeding in the service park, stewards\' decision 1');
      const answer = p.waitForResponse((r) => r.url().endsWith('/preview'));
      await p.getByRole('button', { name: 'Preview' }).click();
      const previewed = (await (await answer).json()) as { overall: { car: number; after: Row }[]; classes: { class: string; rows: { car: number; after: Row }[] }[] };
      await p.waitForSelector('#preview');
      const overall = p.locator('#preview table.diff').first();
      assert.match(await overall.locator('tr[data-car="7"]').innerText(), /P3 .*P2/s);
      assert.match(await overall.locator('tr[data-car="2"]').innerText(), /P2 .*P3/s);
      assert.match(await p.locator('#preview').innerText(), /Class Limited 4WD/);
      assert.match(await p.locator('#preview pre.workings').first().innerText(), /speeding in the service park/);
      await p.locator('#preview').scrollIntoViewIfNeeded();
      await shot(p, 'desk-penalty-preview');

      await p.getByRole('button', { name: 'Save decision' }).click();
      await p.waitForFunction(() => /recorded as fact/.test(document.querySelector('#desk-msg')?.textContent ?? ''));
      const now = await server.api<{ classification: { rows: Row[] } }>('GET', `/api/rallies/${server.rallyId}/results`);
      for (const r of previewed.overall) {
        const x = now.body.classification.rows.find((q) => q.car === r.car);
        assert.deepEqual([x?.position, x?.totalMs], [r.after.position, r.after.totalMs], `car ${r.car} overall as previewed`);
      }
      const l4 = previewed.classes.find((c) => c.class === 'L4WD');
      assert.ok(l4, 'class L4WD changes');
      for (const r of l4.rows) assert.equal(now.body.classification.rows.find((q) => q.car === r.car)?.classPosition, r.after.classPosition);
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('a photocell jump start nobody decided shows as a finding whose fix button opens the jump-start form pre-filled', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const r = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'cell-SS16-5', type: 'jumpStart', car: 5, stage: 'SS16', source: 'photocell' }, server.officerToken);
    assert.equal(r.status, 201);
    const desk = await openDesk(browser, server, 1024, 1300);
    try {
      const p = desk.page;
      const item = p.locator('#anomalies li[data-code="jump-start-not-penalised"]');
      await item.getByRole('button', { name: /Decide the jump start/ }).click();
      assert.equal(await p.locator('#decision-kind').inputValue(), 'jumpStart');
      assert.equal(await p.getByLabel('Car', { exact: true }).inputValue(), '5');
      assert.equal(await p.getByLabel('Stage', { exact: true }).inputValue(), 'SS16');
      assert.match(await p.locator('#decision-rule').innerText(), /Art 48\.6/);
      // Keyboard focus follows to the form it opened.
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'decision-title');
      await p.getByLabel('Reason').fill('start marshal confirms the photocell');
      await p.getByRole('button', { name: 'Preview' }).click();
      await p.waitForSelector('#preview');
      assert.match(await p.locator('#preview').innerText(), /Clears: car 5 on SS16 \(jump-start-not-penalised\)/);
      await shot(p, 'desk-anomaly-fix-tablet');
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  for (const [width, height] of [[1280, 900], [820, 1180]] as const) test(`every control of the desk has an accessible name, and no tab is wider than the screen (${width} px)`, async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server, width, height);
    try {
      const p = desk.page;
      for (const tab of await p.locator('nav.tabs button').all()) {
        await tab.click();
        const unnamed = await p.evaluate(() => [...document.querySelectorAll('button, input, select, textarea, a[href]')].filter((el) => {
          const e = el as HTMLElement;
          if (e.closest('[hidden]') || e.offsetParent === null) return false;
          const labelled = e.getAttribute('aria-label') || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest('label') || (e.textContent ?? '').trim();
          return !labelled;
        }).map((e) => e.outerHTML.slice(0, 80)));
        assert.deepEqual(unnamed, [], `on ${await tab.innerText()}`);
        // Usable on a tablet: wide tables scroll inside their box, the page itself never scrolls sideways.
        assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${await tab.innerText()} fits ${width} px`);
      }
    } finally {
      await desk.close();
    }
  });
});

// Car 10 started SS16 at 15:23:00 local and has no finish yet: the stage is running.
const HELD = new Set(['SS16F-10', 'SS16X-10', 'TC16A-10']);

describe('the desk: publication safeguards, inquiry clock, protests, notice board', () => {
  let server: TestServer;
  // The server's clock: 21:00 UTC is 16:00 in Detroit, the afternoon of the last leg.
  let clock = Date.parse('2026-02-07T21:00:00Z');
  before(async () => { if (browser) server = await startServer({ keep: (f) => !HELD.has(f.id), now: () => new Date(clock) }); });
  after(async () => { await server?.close(); });

  test('OFFICIAL is blocked while SS16 is running and a protest is open; once the finish is in, the protest decided and the inquiry window closed, it goes through', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      await p.click('#tab-publish');
      // A protest received at the desk.
      await p.getByLabel('About car').fill('7');
      await p.getByLabel('Lodged by').fill('entrant of car 2');
      await p.getByLabel('Grounds').fill('car 7 cut a chicane on SS14');
      await p.getByRole('button', { name: 'Record as received now' }).click();
      await p.waitForFunction(() => document.querySelector('#protest-count')?.textContent === '1 open');

      await p.selectOption('#pub-kind', 'provisional');
      await p.fill('#pub-reason', 'all crews in');
      await p.click('#publish');
      await p.waitForSelector('#publications li[data-kind="provisional"]');
      await p.waitForFunction(() => /Inquiry window after provisional #1: \d+:\d\d left/.test(document.querySelector('#inquiry-clock')?.textContent ?? ''));
      assert.match(await p.locator('#inquiry-clock').innerText(), /30 min/);

      await p.selectOption('#pub-kind', 'official');
      await p.fill('#pub-reason', 'final classification');
      await p.click('#publish');
      await p.waitForSelector('dialog[open] #blockers');
      const codes = await p.locator('#blockers li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
      assert.ok(codes.includes('stage-running'), codes.join());
      assert.ok(codes.includes('protest-open'), codes.join());
      assert.ok(codes.includes('inquiry-open'), codes.join());
      assert.match(await p.locator('#blockers').innerText(), /SS16 is still running: car 10/);
      assert.match(await p.locator('#blockers').innerText(), /inquiry window after provisional #1 is open until 16:30 EST \(30 min/);
      assert.equal(await p.getByRole('button', { name: 'Publish anyway (override)' }).isDisabled(), true, 'no override without a reason');
      await shot(p, 'desk-official-blocked');
      await p.getByRole('button', { name: 'Cancel' }).click();
      assert.equal((await server.api<{ publications: unknown[] }>('GET', `/api/rallies/${server.rallyId}/publications`)).body.publications.length, 1, 'nothing published');

      // The finish arrives, the stewards reject the protest, the window runs out.
      assert.equal((await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'late-SS16F-10', type: 'controlTime', car: 10, control: 'SS16F', at: '2026-02-07T15:28:02.3', source: 'eztrak' }, server.officerToken)).status, 201);
      await p.getByLabel('Reason for the decision on the protest about car 7').fill('video shows all four wheels on the road');
      await p.getByRole('button', { name: 'Reject' }).click();
      await p.waitForFunction(() => document.querySelector('#protest-count')?.textContent === '0 open');
      clock += 31 * 60_000;
      await p.click('#publish');
      await p.waitForSelector('dialog[open]');
      assert.match(await p.locator('dialog[open]').innerText(), /Nothing stands in the way/);
      await p.getByRole('button', { name: 'Publish official' }).click();
      await p.waitForSelector('#publications li[data-kind="official"]');
      const list = (await server.api<{ publications: { kind: string; reason: string }[] }>('GET', `/api/rallies/${server.rallyId}/publications`)).body.publications;
      assert.deepEqual(list.map((x) => [x.kind, x.reason]), [['provisional', 'all crews in'], ['official', 'final classification']]);
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });

  test('a stewards\' decision becomes notice-board document 1; the crew of car 7 acknowledges it on a phone and the desk shows who has not', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const pen = await server.api('POST', `/api/rallies/${server.rallyId}/facts`, { id: 'sd-1', type: 'penalty', car: 7, seconds: 60, reason: 'speeding in the service park', rule: 'ARA GCR 6' }, server.officerToken);
    assert.equal(pen.status, 201);
    const desk = await openDesk(browser, server);
    try {
      const p = desk.page;
      await p.click('#tab-notices');
      await p.selectOption('#notice-decision', 'sd-1');
      assert.match(await p.getByLabel('Title').inputValue(), /^A time penalty of 60 s — car 7/);
      assert.equal(await p.getByLabel('Rule cited').inputValue(), 'ARA GCR 6');
      await p.getByRole('button', { name: 'Post on the notice board' }).click();
      await p.waitForFunction(() => /document 1 on the notice board/.test(document.querySelector('#desk-msg')?.textContent ?? ''));
      await p.waitForSelector('#notice-list li[data-notice="1"]');
      await p.getByLabel('Car', { exact: true }).fill('7');
      await p.getByRole('button', { name: 'Issue crew code' }).click();
      const link = await p.locator('#crew-link').getAttribute('href');
      assert.ok(link);
      // The code rides in the fragment, which the browser never sends: no server or proxy log holds it.
      const code = new URLSearchParams(new URL(link).hash.slice(1)).get('code');
      assert.ok(code && new URL(link).hash === `#car=7&code=${code}`, link);
      assert.equal(new URL(link).searchParams.get('code'), null);
      await shot(p, 'desk-notice-board');

      const phone = await phonePage(browser);
      const requested: string[] = [];
      phone.page.on('request', (r) => requested.push(r.url()));
      try {
        await phone.page.goto(link);
        await phone.page.getByRole('button', { name: 'Acknowledge document 1' }).click();
        await phone.page.waitForSelector('[data-acked]');
        assert.match(await phone.page.locator('[data-acked]').innerText(), /Acknowledged by car 7 at/);
        assert.equal(new URL(phone.page.url()).searchParams.get('code'), null);
        assert.deepEqual(requested.filter((u) => u.includes(code)), [], 'no request carried the code');
        await shot(phone.page, 'notices-phone');
        assert.deepEqual(phone.errors, []);
      } finally {
        await phone.context.close();
      }

      // A link made before the code moved to the fragment still signs in; the page moves the code out of the query.
      const old = await phonePage(browser);
      try {
        await old.page.goto(`${server.url}/notices.html?rally=${server.rallyId}&car=7&code=${code}`);
        await old.page.waitForSelector('li[data-notice="1"]');
        const u = new URL(old.page.url());
        assert.deepEqual([u.search, u.hash], [`?rally=${server.rallyId}`, `#car=7&code=${code}`]);
        await old.page.getByRole('button', { name: 'Acknowledge document 1' }).click();
        await old.page.waitForSelector('[data-acked]');
        assert.match(await old.page.locator('#crew').innerText(), /crew of car 7/);
        assert.deepEqual(old.errors, []);
      } finally {
        await old.context.close();
      }
      const acks = await server.api<{ notices: { number: number; acknowledged: { car: number }[]; missing: number[] }[] }>('GET', `/api/rallies/${server.rallyId}/acknowledgments`, undefined, server.officerToken);
      assert.deepEqual(acks.body.notices[0]?.acknowledged.map((a) => a.car), [7]);
      assert.ok(!acks.body.notices[0]?.missing.includes(7));
      await p.reload();
      await p.click('#tab-notices');
      await p.waitForFunction(() => /Acknowledged by 1: car 7/.test(document.querySelector('#notice-list li[data-notice="1"] .ack-line')?.textContent ?? ''));
      assert.deepEqual(desk.errors, []);
    } finally {
      await desk.close();
    }
  });
});
