// The ARA 2026 championships through GET /api/championships/:season/standings,
// with round 1 (Sno*Drift 2026, two categories on the same roads) scored live
// from the rally in the log store: the regional table, the manufacturers' table
// and a class co-drivers' table. Expected values from the published results
// (fixtures/ara-2026-sno-drift.rally.json) and rally-rules §6.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { championshipApp } from '../../testing/championship-app.ts';
import type { Fact } from '../../core/facts.ts';
import type { RallyDefinition } from '../../core/model.ts';
import type { Season } from '../../core/championship/index.ts';
import { runCli } from '../../cli/main.ts';
import { openHistoryStore } from '../../store/history/open-history.ts';

const file = JSON.parse(readFileSync(new URL('../../../fixtures/ara-2026-sno-drift.rally.json', import.meta.url), 'utf8')) as { rally: RallyDefinition; facts: Fact[] };

interface Body { standings: { rows: { competitor: string; total: number; rounds: { detail: { lines: { source: string }[]; notes: string[] } | null }[] }[]; roundsRun: string[]; roundsRemaining: string[]; calendar: { round: string; number: number }[]; unconfirmed: string[] } }

describe('ARA 2026 championship shapes through the standings API', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;

  before(async () => {
    ({ app, close } = await championshipApp(await openHistoryStore('sqlite::memory:'), [file]));
  });
  after(async () => { await close(); });

  const get = async (query: string): Promise<Body> => {
    const r = await app.inject({ method: 'GET', url: `/api/championships/ara-2026/standings?${query}` });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as Body;
  };

  test('Central regional drivers: the Regional category of Sno*Drift only, in its own order (Pelizzari, Jacques, Michel …); round 1 of Central is Nemadji Trail', async () => {
    const b = await get('championship=central-drivers');
    assert.deepEqual(b.standings.calendar.map((c) => c.round), ['nemadji', 'snodrift', '100aw', 'ojibwe', 'lspr']);
    assert.deepEqual(b.standings.roundsRun, ['snodrift']);
    // Unconfirmed preset value, chosen: the national scale for regional points (rally-rules §6.2: [NF]).
    assert.deepEqual(b.standings.rows.slice(0, 3).map((r) => [r.competitor, r.total]), [['Jimmy Pelizzari', 22], ['Sam Jacques', 17], ['Tim Michel', 14]]);
    assert.ok(b.standings.unconfirmed.some((u) => /^best 4 results/.test(u)));
    const afterNemadji = await get('championship=central-drivers&after=1');
    assert.deepEqual([afterNemadji.standings.roundsRun, afterNemadji.standings.rows], [[], []]);
  });

  test('national drivers after round 1 are the National category: Piatkowski 22 + 3 (Power Stage 3rd), no Regional crew', async () => {
    const b = await get('championship=drivers&after=1');
    assert.deepEqual([b.standings.rows[0]!.competitor, b.standings.rows[0]!.total], ['Mark Piatkowski', 25]);
    assert.ok(!b.standings.rows.some((r) => r.competitor === 'Jimmy Pelizzari'));
  });

  test('manufacturers: best two cars of a make (Subaru 25 + 10), the third Subaru named as not counted', async () => {
    const b = await get('championship=manufacturers');
    assert.deepEqual(b.standings.rows.slice(0, 2).map((r) => [r.competitor, r.total]), [['Subaru', 35], ['Renault', 22]]);
    assert.ok(b.standings.rows[0]!.rounds[0]!.detail!.notes.some((n) => /Nick Woodman/.test(n)));
  });

  test('class co-drivers: L4WD national, Pfeil 22 (Donnelly/Pfeil 1st in class)', async () => {
    const b = await get('championship=l4wd-codrivers');
    assert.deepEqual([b.standings.rows[0]!.competitor, b.standings.rows[0]!.total], ['Zach Pfeil', 22]);
  });

  test('an unknown round number of a championship is a 400 naming query.after and listing its rounds', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/championships/ara-2026/standings?championship=west-drivers&after=4' });
    assert.equal(r.statusCode, 400);
    const body = r.json() as { field: string; detail: string };
    assert.equal(body.field, 'query.after');
    assert.match(body.detail, /1 \(ridge\), 2 \(olympus\), 3 \(oregon-trail\)/);
  });
});

// Leg bonus points (rally-rules §6.1, ERC20 [P]: 5-4-3-2-1 to the top five of
// each leg's own classification) on Sno*Drift 2026's two legs: the server's
// standings and `rallyhq standings --workings` give the same lines, each leg's
// bonus named by its leg.
describe('leg bonus through the standings API and the CLI (a season scored with fia-erc-2020 on Sno*Drift 2026)', () => {
  const seed = JSON.parse(readFileSync(new URL('../../../seeds/ara-2026-season.json', import.meta.url), 'utf8')) as Season;
  const season: Season = {
    ...seed, id: 'erc-style-2026', name: 'ERC-style points on Sno*Drift 2026',
    rounds: seed.rounds.filter((r) => r.id === 'snodrift').map((r) => ({ ...r, round: 1 })),
    championships: [{ id: 'drivers', name: 'Drivers (ERC 2020 points)', kind: 'drivers', scheme: 'fia-erc-2020', category: 'National' }],
  };
  let dir: string;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-legbonus-'));
    const history = await openHistoryStore(`sqlite:${join(dir, 'history.db')}`);
    await history.putSeason(season, '2026-02-08T00:00:00.000Z');
    ({ app, close } = await championshipApp(history, [file]));
  });
  after(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('each leg awards 5-4-3-2-1 once to five crews; every total is the sum of its lines; the CLI prints the same lines, "leg 1 bonus" and "leg 2 bonus"', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/championships/erc-style-2026/standings?championship=drivers' });
    assert.equal(r.statusCode, 200, r.body);
    type Line = { source: string; place: number; points: number; leg?: string; legLabel?: string };
    const rows = (r.json() as { standings: { rows: { competitor: string; total: number; rounds: { detail: { lines: Line[] } | null }[] }[] } }).standings.rows;
    const lines = rows.flatMap((row) => (row.rounds[0]?.detail?.lines ?? []).map((l) => ({ ...l, competitor: row.competitor })));
    for (const [leg, label] of [['L1', 'leg 1'], ['L2', 'leg 2']] as const) {
      const bonus = lines.filter((l) => l.source === 'leg' && l.leg === leg).sort((a, b) => a.place - b.place);
      assert.deepEqual(bonus.map((l) => [l.place, l.points, l.legLabel]), [[1, 5, label], [2, 4, label], [3, 3, label], [4, 2, label], [5, 1, label]], leg);
    }
    assert.equal(rows[0]!.rounds[0]!.detail!.lines.find((l) => l.source === 'final')?.points, 30, 'ERC20 [P]: 30 for the winner');
    for (const row of rows) assert.equal(row.total, (row.rounds[0]?.detail?.lines ?? []).reduce((a, l) => a + l.points, 0), row.competitor);

    let out = '', err = '';
    const code = await runCli(['standings', '--season', 'erc-style-2026', '--db', `sqlite:${join(dir, 'history.db')}`, '--workings'], { out: (t) => void (out += t), err: (t) => void (err += t), cwd: fileURLToPath(new URL('../../../', import.meta.url)) });
    assert.equal(code, 0, err);
    for (const l of lines.filter((x) => x.source === 'leg')) {
      const ord = `${l.place}${['th', 'st', 'nd', 'rd'][l.place] ?? 'th'}`;
      assert.ok(out.includes(`snodrift: +${l.points} ${l.legLabel} bonus, ${ord} (`), `CLI line for ${l.competitor} ${l.legLabel}:\n${out}`);
    }
    for (const row of rows) assert.match(out, new RegExp(`^ {2}\\d+\\. ${row.competitor}: ${row.total} =`, 'm'));
  });
});
