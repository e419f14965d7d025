// A Motorsport UK single-venue event with bogey times and stage maximums as a
// rally file, through the server (import, results, stage times, explain) and
// the CLI (`rallyhq results`, `rallyhq explain`): the charged times and their
// workings are the same everywhere.
// SEE: rally-rules §3.3 — MSUK26 App 13 Arts 9.1, 11.1: charged time = bogey if
// faster, the time driven between, the stage maximum if slower or if the stage
// was not performed correctly (App 8 (c)); §3.1 whole seconds, truncated
// (App 13 Art 8.4).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/harness.ts';

// Four laps of a 5 km airfield stage: bogey 3:00 (100 km/h), maximum 4:30, set by the event's documents.
const stage = (n: number) => ({ code: `SS${n}`, name: `Lap ${n}`, distanceM: 5_000, type: 'special', leg: 'L1', bogeyMs: 180_000, maximumMs: 270_000 });
const t = (car: number, s: string, time: string) => ({ type: 'stageTime', id: `${car}-${s}`, car, stage: s, time });
const FILE = {
  format: 'rallyhq.rally', version: 1,
  rally: {
    id: 'airfield-2026', name: 'Airfield Stages', timeZone: 'Europe/London', distanceUnit: 'mi', startDate: '2026-04-11', endDate: '2026-04-11',
    rules: { preset: 'msuk', version: '2026.2' },
    legs: [{ id: 'L1', name: 'Saturday', date: '2026-04-11', sections: [{ id: 'A', controls: [] }] }],
    stages: [1, 2, 3, 4].map(stage),
    classes: [{ code: 'B', name: 'Class B' }],
    entries: [11, 12, 13, 14].map((car) => ({ car, driver: { name: `Driver ${car}` }, codriver: { name: `Nav ${car}` }, make: 'Ford', model: 'Escort Mk2', class: 'B' })),
  },
  facts: [
    // Car 11 faster than the bogey on every lap ⇒ 3:00 each; car 12 between ⇒ 3:10 (truncated); car 13 slower than the maximum on SS2 ⇒ 4:30.
    ...['SS1', 'SS2', 'SS3', 'SS4'].map((s) => t(11, s, '2:55.8')),
    ...['SS1', 'SS2', 'SS3', 'SS4'].map((s) => t(12, s, '3:10.9')),
    t(13, 'SS1', '3:05'), t(13, 'SS2', '5:12'), t(13, 'SS3', '3:05'), t(13, 'SS4', '3:05'),
    // Car 14 missed a chicane on SS1 (not performed correctly) ⇒ 4:30.
    t(14, 'SS1', '2:59'), t(14, 'SS2', '3:01'), t(14, 'SS3', '3:03'), t(14, 'SS4', '3:02'),
    { type: 'stageMaximumCharged', id: 'max14', car: 14, stage: 'SS1', reason: 'missed the chicane at the hangar', rule: 'MSUK26 App 8 (c)' },
  ],
};
// Worked out by hand from the rule, not read from rallyhq.
const TOTALS: [number, number][] = [[11, 4 * 180_000], [12, 4 * 190_000], [14, 270_000 + 181_000 + 183_000 + 182_000], [13, 3 * 185_000 + 270_000]];

describe('MSUK single-venue event with bogey times through the server and the CLI (MSUK26 App 13 Arts 9.1, 11.1)', () => {
  let s: TestServer;
  let dir: string;
  before(async () => {
    s = await startTestServer('memory');
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-msuk-'));
    writeFileSync(join(dir, 'airfield.rally.json'), JSON.stringify(FILE));
    const r = await s.call('POST', '/api/rallies/import', FILE, ADMIN_TOKEN);
    assert.equal(r.statusCode, 201, r.body);
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = async (...args: string[]): Promise<string> => {
    let out = '', err = '';
    const code = await runCli(args, { out: (x) => void (out += x), err: (x) => void (err += x), cwd: dir });
    assert.equal(code, 0, err);
    return out;
  };

  test('the server and the CLI give the same classification: bogey if faster, actual between, maximum if slower or not performed correctly', async () => {
    const api = (await s.call('GET', '/api/rallies/airfield-2026/results')).json().classification.rows as { car: number; position: number; totalMs: number }[];
    assert.deepEqual(api.map((r) => [r.car, r.totalMs]), TOTALS);
    const file = JSON.parse(await cli('results', 'airfield.rally.json', '--format', 'json')).rows as { car: number; totalMs: number }[];
    assert.deepEqual(file.map((r) => [r.car, r.totalMs]), TOTALS);
    const ss2 = (await s.call('GET', '/api/rallies/airfield-2026/stages/SS2')).json().stage.rows as { car: number; timeMs: number }[];
    assert.deepEqual(new Map(ss2.map((r) => [r.car, r.timeMs])), new Map([[11, 180_000], [14, 181_000], [12, 190_000], [13, 270_000]]));
  });

  test('the workings name the bogey, the maximum and the official\'s reason, through the server and the CLI', async () => {
    const w = async (car: number, st: string) => (await s.call('GET', `/api/rallies/airfield-2026/explain?car=${car}&stage=${st}`)).json().text as string;
    assert.match(await w(11, 'SS1'), /faster than the bogey time: bogey 3:00 charged instead/);
    assert.match(await w(13, 'SS2'), /maximum/);
    assert.match(await w(14, 'SS1'), /missed the chicane at the hangar/);
    assert.match(await cli('explain', 'airfield.rally.json', '--car', '11', '--stage', 'SS1'), /faster than the bogey time: bogey 3:00 charged instead/);
    assert.match(await cli('explain', 'airfield.rally.json', '--car', '14', '--stage', 'SS1'), /missed the chicane at the hangar/);
  });
});
