// The public read API: versioned shapes, ETags, CORS, the per-address rate
// limit, iCalendar feeds and the embeddable widget.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../testing/fixtures.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from '../testing/harness.ts';
import { PUBLIC_READ_LIMIT } from '../routes/public-api.ts';

const P = '/api/public/v1/rallies/lakeshore-2026';

describe('public read API v1', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('memory', { now: () => new Date('2026-01-10T12:00:00Z') });
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
  });
  after(async () => { await s.close(); });

  test('results: apiVersion 1, rows as the classification gives them, CORS for any origin, ETag and 304', async () => {
    const r = await s.call('GET', `${P}/results`, undefined, undefined, { origin: 'https://news.example' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    const body = r.json();
    assert.equal(body.apiVersion, 1);
    const internal = (await s.call('GET', '/api/rallies/lakeshore-2026/results')).json().classification.rows;
    assert.deepEqual(body.rows.map((x: { car: number; position: number | null; totalMs: number | null }) => [x.car, x.position]), internal.map((x: { car: number; position: number | null }) => [x.car, x.position]));
    const leader = body.rows.find((x: { position: number | null }) => x.position === 1);
    assert.match(leader.total, /^\d+:\d\d\.\d$/);
    assert.deepEqual(Object.keys(leader), ['position', 'classPosition', 'car', 'driver', 'codriver', 'class', 'make', 'model', 'status', 'totalMs', 'total', 'penaltyMs', 'gapToLeaderMs', 'gapToLeader', 'gapToPrevMs', 'stagesCounted']);
    const again = await s.call('GET', `${P}/results`, undefined, undefined, { 'if-none-match': r.headers.etag as string });
    assert.equal(again.statusCode, 304);
    const pre = await s.call('OPTIONS', `${P}/results`, undefined, undefined, { origin: 'https://news.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' });
    assert.equal(pre.statusCode, 204);
    assert.match(pre.headers['access-control-allow-headers'] as string, /If-None-Match/);
  });

  test('stage, publications (with seal hashes) and bad input named', async () => {
    const st = (await s.call('GET', `${P}/stages/SS1`)).json();
    assert.equal(st.stage.code, 'SS1');
    assert.ok(st.rows.some((r: { time: string | null }) => r.time !== null));
    const officer = await s.token('officer', 'lakeshore-2026');
    assert.equal((await s.call('POST', '/api/rallies/lakeshore-2026/publications', { kind: 'provisional', reason: 'after SS4' }, officer, { 'idempotency-key': 'publish-public-api-1' })).statusCode, 201);
    const pubs = (await s.call('GET', `${P}/publications`)).json();
    assert.match(pubs.publications[0].hash, /^[0-9a-f]{64}$/);
    assert.equal(pubs.publications[0].previousHash, null);
    assert.equal((await s.call('GET', `${P}/results`)).json().publication.number, 1);
    const bad = await s.call('GET', `${P}/results?class=XX`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /no class "XX"/);
  });

  test('seasons and a season\'s rounds: versioned shapes from the seeded ARA 2026 calendar, ETag and 304, CORS', async () => {
    const seeded = JSON.parse(readFileSync(fixturePath('seeds/ara-2026-season.json'), 'utf8')) as { id: string; name: string; year: number; rounds: { id: string; round: number; name: string; startDate: string | null; endDate: string | null; confirmed: boolean; rally?: string }[]; championships: { id: string }[] };
    const list = await s.call('GET', '/api/public/v1/seasons', undefined, undefined, { origin: 'https://news.example' });
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(list.headers['access-control-allow-origin'], '*');
    const ara = list.json().seasons.find((x: { id: string }) => x.id === 'ara-2026');
    assert.equal(list.json().apiVersion, 1);
    assert.deepEqual([ara.name, ara.year, ara.rounds], [seeded.name, seeded.year, seeded.rounds.length]);
    assert.deepEqual(ara.championships.map((c: { id: string }) => c.id), seeded.championships.map((c) => c.id));
    const one = await s.call('GET', '/api/public/v1/seasons/ara-2026');
    assert.equal(one.statusCode, 200, one.body);
    const body = one.json();
    assert.equal(body.apiVersion, 1);
    assert.deepEqual(body.rounds.map((r: { id: string; round: number; startDate: string | null; endDate: string | null; confirmed: boolean; rally: string | null }) => [r.id, r.round, r.startDate, r.endDate, r.confirmed, r.rally]),
      seeded.rounds.map((r) => [r.id, r.round, r.startDate, r.endDate, r.confirmed, r.rally ?? null]));
    assert.deepEqual(Object.keys(body.rounds[0]), ['id', 'round', 'name', 'startDate', 'endDate', 'location', 'confirmed', 'rally']);
    const again = await s.call('GET', '/api/public/v1/seasons/ara-2026', undefined, undefined, { 'if-none-match': one.headers.etag as string });
    assert.equal(again.statusCode, 304);
    const missing = await s.call('GET', '/api/public/v1/seasons/nope');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().detail, /nope/);
  });

  test('standings: ARA national points 22-17-14-12-10 + Power Stage after Sno*Drift (ara-evidence.md, Championship), the same ranks as the championship API, ETag, CSV, bad input named', async () => {
    const r = await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?after=1', undefined, undefined, { origin: 'https://news.example' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    const v = r.json();
    assert.equal(v.apiVersion, 1);
    assert.deepEqual([v.season.id, v.championship.id, v.after, v.roundsRun], ['ara-2026', 'drivers', 'snodrift', ['snodrift']]);
    assert.equal(v.roundsRemaining.length, 7);
    // Sno*Drift 2026 as published: 22-17-14-12-10 on the national classification plus the Power Stage (SS16:
    // Donnelly 5, Pastrana 4, Piatkowski 3, Castro 2, Scully 1; ARA-PS22).
    assert.deepEqual(v.rows.slice(0, 5).map((x: { rank: number; total: number }) => [x.rank, x.total]), [[1, 22 + 3], [2, 17 + 5], [3, 14 + 1], [4, 12 + 2], [5, 10]]);
    assert.deepEqual(Object.keys(v.rows[0]), ['rank', 'competitor', 'total', 'points', 'rounds', 'dropped', 'notEntered', 'tieBreak']);
    assert.deepEqual(Object.keys(v.rows[0].rounds[0]), ['round', 'points', 'counted', 'place', 'entered', 'lines']);
    // The workings of the winner's 25: 22 for 1st in the national classification, 3 for 3rd on the Power Stage.
    assert.deepEqual(v.rows[0].rounds[0].lines.map((l: { source: string; place: number; points: number }) => [l.source, l.place, l.points]), [['final', 1, 22], ['powerStage', 3, 3]]);
    // Who can still win, and the position after each round (one round run: the table itself).
    assert.deepEqual(Object.keys(v.title), ['leader', 'clinched', 'roundsRemaining', 'note', 'maxPerRound', 'contenders', 'toClinchNextRound']);
    assert.equal(v.title.contenders[0].chance, 'leader');
    assert.deepEqual(v.history.rounds, [{ round: 'snodrift', number: 1 }]);
    assert.deepEqual(v.history.rows.map((x: { competitor: string; ranks: number[]; totals: number[] }) => [x.competitor, x.ranks, x.totals]), v.rows.map((x: { competitor: string; rank: number; total: number }) => [x.competitor, [x.rank], [x.total]]));
    assert.deepEqual(Object.keys(v.rows[0].points), ['final', 'saturday', 'sunday', 'powerStage', 'leg']);
    const internal = (await s.call('GET', '/api/championships/ara-2026/standings?after=1')).json().standings.rows as { rank: number; competitor: string; total: number }[];
    assert.deepEqual(v.rows.map((x: { rank: number; competitor: string; total: number }) => [x.rank, x.competitor, x.total]), internal.map((x) => [x.rank, x.competitor, x.total]));
    const again = await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?after=1', undefined, undefined, { 'if-none-match': r.headers.etag as string });
    assert.equal(again.statusCode, 304);
    // CSV: one row per competitor, a column per round run; its own ETag.
    const csv = await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?after=1', undefined, undefined, { accept: 'text/csv' });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    assert.notEqual(csv.headers.etag, r.headers.etag);
    const lines = csv.body.split('\r\n');
    assert.equal(lines[0], 'rank,competitor,total,snodrift,dropped,final,saturday,sunday,power_stage,leg_bonus');
    assert.equal(lines[1]!.split(',').slice(0, 4).join(','), `1,${v.rows[0].competitor},25,25`);
    assert.equal((await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?after=1&format=csv')).body, csv.body);
    const cls = await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?championship=l4wd-drivers&after=snodrift');
    assert.equal(cls.statusCode, 200);
    assert.deepEqual([cls.json().championship.id, cls.json().championship.class], ['l4wd-drivers', 'L4WD']);
    const bad = await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?championship=nope');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'query.championship');
    assert.match(bad.json().detail, /drivers/);
    const badRound = await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?after=99');
    assert.equal(badRound.statusCode, 400);
    assert.equal(badRound.json().field, 'query.after');
    assert.equal((await s.call('GET', '/api/public/v1/seasons/ara-2026/standings?format=xml')).statusCode, 400);
    const doc = (await s.call('GET', '/openapi.json')).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/public/v1/seasons', '/api/public/v1/seasons/{season}', '/api/public/v1/seasons/{season}/standings']) assert.ok(doc.paths[p], p);
  });

  test('iCalendar: the rally timetable and the season rounds', async () => {
    const ics = await s.call('GET', `${P}/timetable.ics`);
    assert.equal(ics.statusCode, 200);
    assert.match(ics.headers['content-type'] as string, /^text\/calendar/);
    assert.match(ics.body, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    const def = smallRallyFile().rally as unknown as { timeZone: string; stages: { code: string }[] };
    for (const st of def.stages) assert.match(ics.body, new RegExp(`SUMMARY:${st.code} `));
    assert.match(ics.body, new RegExp(`DTSTART;TZID=${def.timeZone.replace('/', '\\/')}:\\d{8}T\\d{6}\\r\\n`));
    assert.ok(ics.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
    const season = await s.call('GET', '/api/public/v1/seasons/ara-2026/calendar.ics');
    assert.equal(season.statusCode, 200, season.body);
    // Every dated round of the seeded season, as whole days; undated rounds are left out.
    const seeded = JSON.parse(readFileSync(fixturePath('seeds/ara-2026-season.json'), 'utf8')) as { name: string; rounds: { round: number; name: string; startDate: string | null; confirmed: boolean }[] };
    const unfold = season.body.replace(/\r\n /g, '');
    for (const r of seeded.rounds) {
      const summary = `SUMMARY:Round ${r.round}: ${r.name.replace(/[,;]/g, '\\$&')}`;
      if (!r.startDate) { assert.ok(!unfold.includes(summary), `${r.name} has no date`); continue; }
      assert.ok(unfold.includes(`${summary}\r\nDESCRIPTION:${seeded.name}${r.confirmed ? '' : ' (dates not confirmed)'}`), r.name);
    }
    assert.match(season.body, /DTSTART;VALUE=DATE:20260206\r\nDTEND;VALUE=DATE:20260208/, 'Sno*Drift 6–7 February: the end is the day after');
    assert.equal((await s.call('GET', '/api/public/v1/seasons/nope/calendar.ics')).statusCode, 404);
  });

  test('the widget: a page for an iframe from any site, and its script', async () => {
    const w = await s.call('GET', '/widget/lakeshore-2026?class=' + encodeURIComponent((smallRallyFile().rally as unknown as { classes: { code: string }[] }).classes[0]!.code));
    assert.equal(w.statusCode, 200);
    assert.match(w.headers['content-security-policy'] as string, /frame-ancestors \*/);
    assert.equal(w.headers['x-frame-options'], undefined);
    assert.match(w.body, /<script src="\/widget\.js" data-rally="lakeshore-2026"/);
    const js = await s.call('GET', '/widget.js');
    assert.match(js.body, /\/api\/public\/v1\/rallies\//);
    assert.match(js.body, /If-None-Match/);
  });

  test(`per-address rate limit: request ${PUBLIC_READ_LIMIT.max + 1} in a minute is a 429 with Retry-After; another address is unaffected`, async () => {
    let last = 0;
    for (let i = 0; i < PUBLIC_READ_LIMIT.max + 5; i++) {
      const r = await s.app.inject({ method: 'GET', url: '/api/public/v1/rallies', remoteAddress: '203.0.113.7' });
      last = r.statusCode;
      if (r.statusCode === 429) {
        assert.ok(Number(r.headers['retry-after']) >= 1);
        assert.match(r.json().detail, /Too many requests from this address/);
        break;
      }
    }
    assert.equal(last, 429);
    assert.equal((await s.app.inject({ method: 'GET', url: '/api/public/v1/rallies', remoteAddress: '203.0.113.8' })).statusCode, 200);
  });
});
