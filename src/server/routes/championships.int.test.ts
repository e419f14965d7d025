// Championship and history routes through the real app (memory log store, in-memory history).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/harness.ts';

const seed = (name: string): string => readFileSync(new URL(`../../../seeds/${name}`, import.meta.url), 'utf8');
const CSV = { 'content-type': 'text/csv' };

describe('championship and history API', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer('memory', { now: () => new Date('2026-11-26T12:00:00Z') }); });
  after(async () => { await s.close(); });

  test('GET /api/championships lists the seeded ARA 2026 season: the regional events and national rounds 1–2 as found (ara-evidence), the rest unconfirmed, each with its source', async () => {
    const r = await s.call('GET', '/api/championships');
    assert.equal(r.statusCode, 200);
    const seasons = r.json() as { id: string; rounds: { id: string; round: number; confirmed: boolean; source: string }[] }[];
    const ara = seasons.find((x) => x.id === 'ara-2026')!;
    const rounds = ara.rounds as unknown as { id: string; confirmed: boolean; source: string; startDate: string | null; rally?: string; level?: string; region?: string }[];
    // ara-evidence: the 2026 season opened on 6 Dec 2025 with the Western (Ridge Rally) and Central (Nemadji Trail) regional championships.
    assert.deepEqual(rounds.slice(0, 4).map((x) => [x.id, x.startDate, x.confirmed, x.level ?? 'national', x.region]),
      [['ridge', '2025-12-06', true, 'regional', 'West'], ['nemadji', '2025-12-06', true, 'regional', 'Central'],
        ['snodrift', '2026-02-06', true, 'national', 'Central'], ['100aw', '2026-03-13', true, 'national', 'Central']]);
    assert.equal(rounds[2]!.rally, 'snodrift-2026', 'Sno*Drift 2026 is scored by the demo rally');
    assert.ok(rounds.slice(4).every((x) => x.confirmed === false && x.startDate === null && /not found/.test(x.source)));
    assert.ok(rounds.every((x) => x.source.length > 0));
  });

  test('GET standings after round 1 of the national championship (Sno*Drift 2026, not the regional events before it): 22-17-14-12-10 + Power Stage 5-4-3-2-1 (SNO23, ARA-PS22 [P])', async () => {
    const r = await s.call('GET', '/api/championships/ara-2026/standings?after=1');
    assert.equal(r.statusCode, 200);
    const body = r.json() as { standings: { rows: { competitor: string; total: number; rank: number }[]; roundsRemaining: string[]; after: string }; title: { leader: string; clinched: boolean } };
    assert.equal(body.standings.after, 'snodrift');
    // Published Sno*Drift 2026 national order Piatkowski, Donnelly, Scully, Castro, Nykanen; SS16 (power) times
    // Donnelly 6:27.6, Pastrana 6:29.1, Piatkowski 6:29.3, Castro 6:30.4, Scully 6:44.7.
    assert.deepEqual(body.standings.rows.slice(0, 6).map((x) => [x.competitor, x.total]), [
      ['Mark Piatkowski', 22 + 3], ['Sean Donnelly', 17 + 5], ['Alastair Scully', 14 + 1], ['Javier Castro', 12 + 2], ['Matthew Nykanen', 10], ['Travis Pastrana', 6 + 4],
    ]);
    assert.equal(body.standings.roundsRemaining.length, 7);
    assert.equal(body.title.clinched, false);
  });

  test('bad query: unknown championship → 400 naming query.championship', async () => {
    const r = await s.call('GET', '/api/championships/ara-2026/standings?championship=nope');
    assert.equal(r.statusCode, 400);
    assert.equal((r.json() as { field: string }).field, 'query.championship');
    assert.equal((await s.call('GET', '/api/championships/nope/standings')).statusCode, 404);
  });

  test('history import needs an administrator token', async () => {
    const r = await s.call('POST', '/api/history/import', seed('history-monte-carlo-1964-1967.csv'), undefined, CSV);
    assert.equal(r.statusCode, 401);
  });

  test('import the seeds, then "how many times has a Mini won Monte Carlo" → 3, and Mini four Dakars in a row', async () => {
    for (const f of ['history-monte-carlo-1964-1967.csv', 'history-dakar-cars-2012-2015.csv']) {
      const r = await s.call('POST', '/api/history/import', seed(f), ADMIN_TOKEN, CSV);
      assert.equal(r.statusCode, 200, r.body);
      assert.equal((r.json() as { rejectedCount: number }).rejectedCount, 0);
    }
    const stats = await s.call('GET', `/api/history/stats?by=make&event=${encodeURIComponent('Monte Carlo')}`);
    assert.equal(stats.statusCode, 200);
    assert.equal((stats.json() as { rows: { key: string; wins: number }[] }).rows.find((x) => x.key === 'Mini')?.wins, 3);
    const streaks = await s.call('GET', '/api/history/streaks?by=make&event=Dakar');
    const top = (streaks.json() as { winner: string; length: number; from: number; to: number }[])[0]!;
    assert.deepEqual([top.winner, top.length, top.from, top.to], ['Mini', 4, 2012, 2015]);
    const h2h = await s.call('GET', `/api/history/head-to-head?a=${encodeURIComponent('Stéphane Peterhansel')}&b=${encodeURIComponent('Nani Roma')}`);
    assert.deepEqual([(h2h.json() as { aAhead: number }).aAhead, (h2h.json() as { bAhead: number }).bAhead], [2, 1]);
  });

  test('import report lists a bad line with its number and reason', async () => {
    const csv = 'kind,event,year,date,class,position,driver,codriver,make,model,status,reason,source\nevent,X Rally,2015,2015-02-30,overall,1,A,,Audi,,finished,,t\n';
    const r = await s.call('POST', '/api/history/import', csv, ADMIN_TOKEN, CSV);
    const body = r.json() as { imported: number; rejected: { line: number; code: string }[] };
    assert.deepEqual([body.imported, body.rejected[0]!.line, body.rejected[0]!.code], [0, 2, 'impossible-date']);
  });

  test('stats with a bad --by → 400 naming the field', async () => {
    const r = await s.call('GET', '/api/history/stats?by=team');
    assert.equal(r.statusCode, 400);
  });

  test('PUT an external round result, then standings after round 2 add it (25 + 22 for a double winner)', async () => {
    const first = (await s.call('GET', '/api/championships/ara-2026/standings?after=1')).json() as { standings: { rows: { competitor: string }[] } };
    const winner = first.standings.rows[0]!.competitor;
    const put = await s.call('PUT', '/api/championships/ara-2026/rounds/100aw/results', {
      status: 'final', source: 'test result',
      crews: [{ driver: winner, make: 'Subaru', class: 'O4WD', status: 'finished', position: 1, eligibility: ['ara-national'] }],
    }, ADMIN_TOKEN);
    assert.equal(put.statusCode, 200, put.body);
    const r = (await s.call('GET', '/api/championships/ara-2026/standings?after=2')).json() as { standings: { rows: { competitor: string; total: number }[] } };
    // Sno*Drift 22 + 3 on the Power Stage, then 22 for the win (no Power Stage places in the stored result).
    assert.deepEqual([r.standings.rows[0]!.competitor, r.standings.rows[0]!.total], [winner, 25 + 22]);
  });

  test('the routes are in the OpenAPI reference', async () => {
    const doc = (await s.call('GET', '/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/championships', '/api/championships/{season}/standings', '/api/history/import', '/api/history/stats', '/api/history/streaks', '/api/history/head-to-head']) {
      assert.ok(doc.paths[p], p);
    }
  });
});
