// Season administration on SQLite and PostgreSQL (the championship history
// lives in the server's own database): a season built from nothing, rounds
// added at the same moment, a stale edit refused, a round linked to a rally
// whose official publication then scores it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { ensureAdminToken } from '../bootstrap.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/contract.ts';
import { createTestDatabase, pgSkipReason } from '../../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile } from '../testing/harness.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const SEASON = { id: 'lakeshore-series-2026', name: 'Lakeshore Series 2026', year: 2026, series: { id: 'lakeshore', name: 'Lakeshore Series', body: 'club' }, classes: [{ code: 'RC2', name: 'Rally2' }, { code: 'RC4', name: 'Rally4' }] };

function suite(kind: 'sqlite' | 'postgres', skip: () => string | null) {
  describe(`season administration on ${kind}`, () => {
    let app: FastifyInstance;
    let store: Store;
    let cleanup: () => Promise<void> = async () => {};
    const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body?: unknown) => {
      const r = await app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: r.statusCode, body: r.json() as Json };
    };
    before(async () => {
      if (skip()) return;
      let url: string;
      if (kind === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'rallyhq-seasons-'));
        url = `sqlite:${join(dir, 'test.db')}`;
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const db = await createTestDatabase('rallyhq_seasons');
        url = db.url;
        cleanup = () => db.drop();
      }
      store = await openStore(url);
      await ensureAdminToken(store, ADMIN_TOKEN, new Date());
      app = await buildApp({ store, dbUrl: url, now: () => new Date('2026-03-20T12:00:00Z') });
      await app.ready();
    });
    after(async () => {
      if (app) await app.close();
      if (store) await store.close();
      await cleanup();
    });
    const opts = () => ({ skip: skip() ?? false });

    test('a season from nothing: created, six rounds added at once all land numbered in date order', opts(), async () => {
      const created = await call('POST', '/api/championships', SEASON);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal((await call('POST', '/api/championships', SEASON)).status, 409);
      const dates = ['2026-06-05', '2026-02-06', '2026-09-11', '2026-03-13', '2026-04-24', '2026-07-17'];
      const answers = await Promise.all(dates.map((d, i) => call('POST', `/api/championships/${SEASON.id}/rounds`, { id: `r${i}`, name: `Round ${i}`, startDate: d, endDate: d, confirmed: true, source: 'series calendar' })));
      for (const a of answers) assert.equal(a.status, 201, JSON.stringify(a.body));
      const season = (await call('GET', `/api/championships/${SEASON.id}`)).body;
      assert.deepEqual(season.season.rounds.map((r: Json) => r.startDate), [...dates].sort());
      assert.deepEqual(season.season.rounds.map((r: Json) => r.round), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual(season.problems, []);
    });

    test('two edits from the same stale version: one lands, the other is told the season changed', opts(), async () => {
      const v = (await call('GET', `/api/championships/${SEASON.id}`)).body.version as string;
      const [a, b] = await Promise.all([
        call('PATCH', `/api/championships/${SEASON.id}/rounds/r0`, { location: 'Traverse City', version: v }),
        call('PATCH', `/api/championships/${SEASON.id}/rounds/r1`, { location: 'Atlanta', version: v }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
      const bad = await call('PATCH', `/api/championships/${SEASON.id}/rounds/r2`, { startDate: '2026-09-11', endDate: '2026-09-10' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.detail, /before the start/);
      const unknown = await call('PATCH', `/api/championships/${SEASON.id}/rounds/nope`, { location: 'x' });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.detail, /no round 'nope'/);
    });

    test('a round linked to a rally scores from it; its official publication makes the round final', opts(), async () => {
      const file = smallRallyFile();
      assert.equal((await call('POST', '/api/rallies/import', file)).status, 201);
      const champ = await call('PUT', `/api/championships/${SEASON.id}/championships/drivers`, { name: 'Drivers', kind: 'drivers', scheme: 'ara-national' });
      assert.equal(champ.status, 200, JSON.stringify(champ.body));
      const round = (await call('GET', `/api/championships/${SEASON.id}`)).body.season.rounds.find((r: Json) => r.startDate === '2026-03-13');
      assert.equal((await call('PATCH', `/api/championships/${SEASON.id}/rounds/${round.id}`, { rally: file.rally.id })).status, 200);
      const live = (await call('GET', `/api/championships/${SEASON.id}/standings?championship=drivers`)).body;
      assert.ok(live.standings.rows.length > 0, 'the linked rally scores the round');
      assert.equal(live.standings.rows[0].total, 22, 'ARA national scale: 22 for the winner (ara-evidence, SNO23)');
      assert.deepEqual(live.standings.provisional, [round.id], 'scored live from the rally: provisional until its results are official');
      const officer = await app.inject({ method: 'POST', url: '/api/tokens', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'seasons-officer' }, payload: { role: 'officer', rallyId: file.rally.id, label: 'officer' } });
      const pub = await app.inject({ method: 'POST', url: `/api/rallies/${file.rally.id}/publications`, headers: { authorization: `Bearer ${officer.json().token}`, 'idempotency-key': 'publish-final' }, payload: { kind: 'official', reason: 'stewards approved', override: { reason: 'inquiry window waived by the stewards' } } });
      assert.equal(pub.statusCode, 201, pub.body);
      const final = (await call('GET', `/api/championships/${SEASON.id}/standings?championship=drivers`)).body;
      assert.deepEqual(final.standings.provisional, [], 'the official publication makes the round final');
      assert.equal(final.standings.rows[0].total, 22);
    });

    test('a regional division (rally-rules §6.2): rounds given a region, a regional event added, a regional championship counting only them; a region without rounds, a regional event without a region and makeCars on a drivers\' table refused naming the field', opts(), async () => {
      const noRegion = await call('POST', `/api/championships/${SEASON.id}/rounds`, { id: 'club-sprint', name: 'Club Sprint', startDate: '2026-05-02', endDate: '2026-05-02', level: 'regional', confirmed: true, source: 'club calendar' });
      assert.equal(noRegion.status, 400);
      assert.match(noRegion.body.detail, /region: a regional event counts only for its region's championships/);
      const added = await call('POST', `/api/championships/${SEASON.id}/rounds`, { id: 'club-sprint', name: 'Club Sprint', startDate: '2026-05-02', endDate: '2026-05-02', region: 'North', level: 'regional', confirmed: true, source: 'club calendar' });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal((await call('PATCH', `/api/championships/${SEASON.id}/rounds/r3`, { region: 'North' })).status, 200);
      const south = await call('PUT', `/api/championships/${SEASON.id}/championships/south`, { name: 'South', kind: 'drivers', scheme: 'ara-regional', region: { value: 'South', rule: 'club SR 3', confirmed: true } });
      assert.equal(south.status, 400);
      assert.match(south.body.detail, /region\.value: no round is in region 'South'; give rounds a region \(known: North\)/);
      const makes = await call('PUT', `/api/championships/${SEASON.id}/championships/d2`, { name: 'D2', kind: 'drivers', scheme: 'ara-national', makeCars: { value: 'every-car', rule: 'x', confirmed: false } });
      assert.equal(makes.status, 400);
      assert.match(makes.body.detail, /makeCars: only a manufacturers' championship/);
      const north = await call('PUT', `/api/championships/${SEASON.id}/championships/north`, { name: 'North', kind: 'drivers', scheme: 'ara-regional', region: { value: 'North', rule: 'club SR 3', confirmed: true }, countBest: { value: 1, rule: 'club SR 4', confirmed: true } });
      assert.equal(north.status, 200, JSON.stringify(north.body));
      const st = (await call('GET', `/api/championships/${SEASON.id}/standings?championship=north`)).body;
      // r3 (13 March, the linked rally) and the club sprint (2 May) are North's; the national table never counts the sprint.
      assert.deepEqual(st.standings.calendar.map((c: Json) => c.round), ['r3', 'club-sprint']);
      assert.equal(st.standings.rows[0].total, 22);
      const drivers = (await call('GET', `/api/championships/${SEASON.id}/standings?championship=drivers`)).body;
      assert.ok(!drivers.standings.calendar.some((c: Json) => c.round === 'club-sprint'));
    });
  });
}

const pgSkip = await pgSkipReason();
suite('sqlite', () => null);
suite('postgres', () => pgSkip);
