// The standings, stats and history commands end to end on a temporary SQLite database.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main.ts';
import type { CliIO } from '../command.ts';

const dir = mkdtempSync(join(tmpdir(), 'rallyhq-cli-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'h.db')}`;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('rallyhq history / stats / standings', () => {
  test('history seed imports the cited seeds with nothing rejected', async () => {
    const r = await run('history', 'seed', '--db', db);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /history-monte-carlo-1964-1967\.csv: 9 data lines read, 9 imported, 0 already stored, 0 rejected/);
    assert.match(r.out, /history-dakar-cars-2012-2015\.csv: 10 data lines read, 10 imported/);
  });

  test('stats wins --by make --event "Monte Carlo" → Mini 3, Citroën 1 (table)', async () => {
    const r = await run('stats', 'wins', '--by', 'make', '--event', 'Monte Carlo', '--db', db);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Mini\s+3\s/m);
    assert.match(r.out, /^Citroën\s+1\s/m);
  });

  test('stats streaks --by make --event Dakar --format csv → Mini,4,…,2012–2015', async () => {
    const r = await run('stats', 'streaks', '--by', 'make', '--event', 'Dakar', '--format', 'csv', '--db', db);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Mini,4,Dakar Rally,cars,2012–2015\r$/m);
  });

  test('stats head-to-head as JSON', async () => {
    const r = await run('stats', 'head-to-head', 'Stéphane Peterhansel', 'Nani Roma', '--format', 'json', '--db', db);
    const h = JSON.parse(r.out) as { aAhead: number; bAhead: number };
    assert.deepEqual([h.aAhead, h.bAhead], [2, 1]);
  });

  test('history import reports bad lines by number and reason; re-import adds nothing', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'kind,event,year,date,class,position,driver,codriver,make,model,status,reason,source\n'
      + 'event,Cli Rally,2019,2019-03-01,overall,1,A,,Ford,,finished,,t\n'
      + 'event,Cli Rally,2019,2019-03-01,overall,3,B,,Ford,,finished,,t\n');
    const r = await run('history', 'import', 'bad.csv', '--db', db);
    assert.equal(r.code, 0);
    assert.match(r.out, /1 imported/);
    assert.match(r.out, /line 3: position-does-not-fit: position 3 in Cli Rally 2019 overall leaves a gap: no crew in position 2/);
    const again = await run('history', 'import', 'bad.csv', '--db', db, '--format', 'json');
    assert.equal((JSON.parse(again.out) as { imported: number }).imported, 0);
  });

  test('bad command lines: unknown --by, missing file, unknown season → exit 2 or 1 with the fix', async () => {
    const by = await run('stats', 'wins', '--by', 'team', '--db', db);
    assert.equal(by.code, 2);
    assert.match(by.err, /unknown --by 'team': use one of driver, codriver, make, class/);
    const missing = await run('history', 'import', 'nope.csv', '--db', db);
    assert.equal(missing.code, 1);
    const season = await run('standings', '--season', 'xyz');
    assert.equal(season.code, 2);
    assert.match(season.err, /known seasons are ara-2026/);
  });

  test('standings --after 1 --format json: 22 + 3 (Power Stage 3rd) for the Sno*Drift 2026 winner, round 1 of the national championship (ARA national, ARA-PS22 [P])', async () => {
    const r = await run('standings', '--after', '1', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const body = JSON.parse(r.out) as { standings: { rows: { total: number }[] }; title: { roundsRemaining: number } };
    assert.equal(body.standings.rows[0]!.total, 25);
    assert.equal(body.title.roundsRemaining, 7);
  });

  test('standings --workings table names the rule and marks it UNCONFIRMED', async () => {
    const r = await run('standings', '--championship', 'l4wd-drivers', '--workings');
    assert.equal(r.code, 0, r.err);
    // Sno*Drift 2026 national L4WD: Donnelly 1st in class (published class position 1).
    assert.match(r.out, /snodrift: \+22 final classification, 1st \(#126 Sean Donnelly; .*UNCONFIRMED/);
    assert.match(r.out, /title: /);
  });
});
