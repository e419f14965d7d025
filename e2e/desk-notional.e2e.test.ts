// The notional-time form in Chromium: after a red flag on SS11 of the demo
// rally, the desk shows the candidates and fills in the times the rules
// propose; the Clerk confirms them, overriding one crew with a reason, and the
// stage results use what was saved. The rally's regulations set the MSUK
// method here (rally-rules §3.4, MSUK 4.37: the fastest time set at the
// interruption), so the expected proposal is the fastest SS11 time on record.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { formatDuration } from '../src/core/time/duration.ts';
import { launchBrowser, startServer, type TestServer } from './harness.ts';
import { openDesk, shot } from './desk-helpers.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

interface StageRow { car: number; timeMs: number | null }

describe('the desk: notional times from the proposals', () => {
  let server: TestServer;
  before(async () => {
    if (!browser) return;
    // The real SS11 decision is left out: the desk decides it afresh.
    server = await startServer({
      keep: (f) => f.id !== 'interrupt-SS11',
      rally: (r) => ({ ...r, rules: { ...(r.rules as object), overrides: { notionalTimePolicy: { value: 'fastestAtInterruption', rule: 'SR 12.4 (MSUK 4.37 adopted)' } } } }),
    });
  });
  after(async () => { await server?.close(); });

  test('after the red flag on SS11 the form shows the candidates, fills in the fastest time for the stopped crews; the Clerk overrides car 43 with a reason and the results use what was saved', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const R = `/api/rallies/${server.rallyId}`;
    const before = await server.api<{ stage: { rows: StageRow[] } }>('GET', `${R}/stages/SS11`);
    const driven = before.body.stage.rows.filter((r) => r.timeMs !== null).map((r) => r.timeMs as number);
    const fastest = Math.min(...driven);
    for (const car of [40, 41, 42, 43]) assert.equal(before.body.stage.rows.find((r) => r.car === car)?.timeMs ?? null, null, `car ${car} has no SS11 time before the decision`);
    // The red flag as the Clerk records it at once: no times yet.
    const red = await server.api('POST', `${R}/facts`, { id: 'red-SS11', type: 'stageInterrupted', stage: 'SS11', reason: 'road blocked by a stuck spectator vehicle', notionalTimes: [] }, server.officerToken);
    assert.equal(red.status, 201, JSON.stringify(red.body));

    for (const [width, height, name] of [[820, 1180, 'desk-notional-tablet'], [1280, 1000, 'desk-notional']] as const) {
      const desk = await openDesk(browser, server, width, height);
      try {
        const p = desk.page;
        await p.selectOption('#decision-kind', 'notional');
        await p.getByLabel('Stage', { exact: true }).selectOption('SS11');
        await p.waitForSelector('#notional-proposals');
        const text = await p.locator('#notional-proposals').innerText();
        assert.match(text, /fastest time set at the interruption/);
        assert.match(text, /confirming supersedes red-SS11/);
        // Rank 1 of the candidates is the fastest time on the stage.
        assert.match(await p.locator('#notional-candidates tbody tr').first().innerText(), new RegExp(`^1\\s.*${formatDuration(fastest).replace('.', '\\.')}`, 's'));
        const times = p.getByRole('textbox', { name: 'Notional times' });
        await p.waitForFunction(() => (document.querySelector('#d-notional-times') as HTMLTextAreaElement | null)?.value !== '');
        const lines = (await times.inputValue()).split('\n');
        for (const car of [40, 41, 42, 43]) assert.ok(lines.includes(`${car} ${formatDuration(fastest)}`), `car ${car} proposed ${formatDuration(fastest)}: ${lines.join(' | ')}`);
        await p.locator('#notional-proposals').scrollIntoViewIfNeeded();
        await shot(p, name);
        if (width !== 1280) continue;

        // The Clerk overrides car 43 (it stopped before the blockage) and says why.
        const overridden = lines.map((l) => (l.startsWith('43 ') ? '43 16:38.1' : l)).join('\n');
        await times.fill(overridden);
        await p.waitForFunction(() => /car 43: 16:38\.1 instead of the proposed/.test(document.querySelector('#notional-overrides')?.textContent ?? ''));
        await p.getByLabel('Reason').fill('fastest time as proposed; car 43 was held at the flying finish, given its class time');
        await p.getByRole('button', { name: 'Preview' }).click();
        await p.waitForSelector('#preview');
        await p.getByRole('button', { name: 'Save decision' }).click();
        await p.waitForFunction(() => /recorded as fact/.test(document.querySelector('#desk-msg')?.textContent ?? ''));
        assert.deepEqual(desk.errors, []);
      } finally {
        await desk.close();
      }
    }

    const after = await server.api<{ stage: { rows: StageRow[] } }>('GET', `${R}/stages/SS11`);
    for (const car of [40, 41, 42]) assert.equal(after.body.stage.rows.find((r) => r.car === car)?.timeMs, fastest, `car ${car} charged the proposal`);
    assert.equal(after.body.stage.rows.find((r) => r.car === 43)?.timeMs, 16 * 60_000 + 38_100, 'car 43 charged the override');
    const log = await server.api<{ facts: { fact: { type: string; supersedes?: string; reason?: string } }[] }>('GET', `${R}/facts?limit=10000`, undefined, server.officerToken);
    const saved = log.body.facts.map((f) => f.fact).filter((f) => f.type === 'stageInterrupted' && f.supersedes === 'red-SS11');
    assert.equal(saved.length, 1, 'the confirmation supersedes the red flag');
    assert.match(saved[0]?.reason ?? '', /car 43 was held/);
  });
});
