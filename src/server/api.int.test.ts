// The main API flows, on SQLite (a temp file) and on PostgreSQL (a fresh
// database; skipped loudly when none is reachable, failed under CI).
// Expected values are worked out by hand from the fixture and the rules,
// never copied from what the server answered.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgSkipReason } from '../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;

type Json = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function stageTime(s: TestServer, stage: string, car: number): Promise<number | null> {
  const r = await s.call('GET', `${R}/stages/${stage}`);
  assert.equal(r.statusCode, 200, r.body);
  return (r.json().stage.rows as Json[]).find((row) => row.car === car)?.timeMs ?? null;
}

async function row(s: TestServer, car: number): Promise<Json> {
  const r = await s.call('GET', `${R}/results`);
  return (r.json().classification.rows as Json[]).find((x) => x.car === car) as Json;
}

function suite(kind: StoreKind, skip: () => string | null) {
  describe(`API on ${kind}`, () => {
    let s: TestServer;
    let officer: string;
    before(async () => {
      if (skip()) return;
      s = await startTestServer(kind, { now: () => new Date('2026-03-13T19:00:00Z') });
      const r = await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN);
      assert.equal(r.statusCode, 201, r.body);
      officer = await s.token('officer', RALLY);
    });
    after(async () => { if (s) await s.close(); });

    test('import then export: the same definition and the same 110 facts in order', { skip: skip() ?? false }, async () => {
      const file = smallRallyFile();
      const r = await s.call('GET', `${R}/export`);
      assert.equal(r.statusCode, 200);
      const exported = r.json();
      assert.deepEqual(exported.rally, file.rally);
      assert.equal(exported.facts.length, 110);
      assert.deepEqual(exported.facts.map((f: Json) => { const { seq: _s, ...rest } = f; return rest; }), file.facts);
      assert.deepEqual(exported.facts.map((f: Json) => f.seq), file.facts.map((_, i) => i + 1), 'seq is 1..n in file order');
    });

    test('import of the same rally again → 409 rally-exists; an invalid file → 400 listing every error, nothing stored', { skip: skip() ?? false }, async () => {
      const again = await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN);
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'rally-exists');
      const bad = smallRallyFile();
      bad.rally.id = 'broken-2026';
      bad.facts[0] = { ...bad.facts[0], car: 999 };
      bad.facts[5] = { ...bad.facts[5], at: '2026-13-40T10:00' };
      const r = await s.call('POST', '/api/rallies/import', bad, ADMIN_TOKEN);
      assert.equal(r.statusCode, 400);
      const paths = (r.json().errors as Json[]).map((e) => e.path);
      assert.ok(paths.includes('$.facts[0].car'), paths.join(', '));
      assert.ok(paths.includes('$.facts[5].at'), paths.join(', '));
      assert.equal((await s.call('GET', '/api/rallies/broken-2026')).statusCode, 404, 'nothing stored');
    });

    test('results: SS1 for car 1 is 18:33:12.4 − 18:28:00.0 = 5:12.4 (312 400 ms)', { skip: skip() ?? false }, async () => {
      assert.equal(await stageTime(s, 'SS1', 1), 312_400);
    });

    test('create from the ARA preset, then PUT entries with the version read; a stale version → 409', { skip: skip() ?? false }, async () => {
      const def = { ...smallRallyFile().rally, id: 'club-2026', rules: { preset: 'ara', version: '2026.1' } };
      const c = await s.call('POST', '/api/rallies', def, ADMIN_TOKEN);
      assert.equal(c.statusCode, 201, c.body);
      assert.equal(c.json().version, 1);
      const clubOfficer = await s.token('officer', 'club-2026');
      const got = (await s.call('GET', '/api/rallies/club-2026/entries')).json();
      const entries = [...got.entries, { ...got.entries[0], car: 77 }];
      const put = await s.call('PUT', '/api/rallies/club-2026/entries', { version: got.version, entries, reason: 'entry list from the entry form' }, clubOfficer);
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().version, 2);
      assert.equal(put.json().entries.length, 7);
      const stale = await s.call('PUT', '/api/rallies/club-2026/entries', { version: got.version, entries, reason: 'entry list from the entry form' }, clubOfficer);
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'version-conflict');
      const dup = await s.call('PUT', '/api/rallies/club-2026/entries', { version: 2, entries: [...entries, entries[0]], reason: 'entry list from the entry form' }, clubOfficer);
      assert.equal(dup.statusCode, 400, 'a duplicate car number is refused');
      // The new car can now be timed.
      const f = await s.call('POST', '/api/rallies/club-2026/facts', { id: 'c77', type: 'controlTime', car: 77, control: 'TC0', at: '2026-03-13T18:10' }, clubOfficer);
      assert.equal(f.statusCode, 201, f.body);
    });

    test('facts: single → ack seq 111; the same id again → the original ack, duplicate, nothing new', { skip: skip() ?? false }, async () => {
      const fact = { id: 'dev1:1', type: 'controlTime', car: 2, control: 'TC0', at: '2026-03-13T18:01', source: 'manual' };
      const first = await s.call('POST', `${R}/facts`, fact, officer);
      assert.equal(first.statusCode, 201, first.body);
      const ack = first.json();
      assert.equal(ack.seq, 111);
      assert.equal(ack.duplicate, false);
      const again = await s.call('POST', `${R}/facts`, fact, officer);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json(), { ...ack, duplicate: true });
      assert.equal(await s.store.latestSeq(RALLY), 111);
      const reused = await s.call('POST', `${R}/facts`, { ...fact, at: '2026-03-13T18:02' }, officer);
      assert.equal(reused.statusCode, 409, 'same id, different content');
      assert.equal(reused.json().code, 'fact-id-reused');
      assert.equal(await s.store.latestSeq(RALLY), 111);
    });

    test('batch: two facts → seqs 112, 113; a batch with one bad fact stores none', { skip: skip() ?? false }, async () => {
      const a = { id: 'dev1:2', type: 'controlTime', car: 3, control: 'TC0', at: '2026-03-13T18:02' };
      const b = { id: 'dev1:3', type: 'controlTime', car: 4, control: 'TC0', at: '2026-03-13T18:03' };
      const r = await s.call('POST', `${R}/facts`, { facts: [a, b] }, officer);
      assert.equal(r.statusCode, 201, r.body);
      assert.deepEqual(r.json().acks.map((x: Json) => [x.id, x.seq, x.duplicate]), [['dev1:2', 112, false], ['dev1:3', 113, false]]);
      const resent = await s.call('POST', `${R}/facts`, { facts: [a, b] }, officer);
      assert.equal(resent.statusCode, 200, `a phone resending its whole batch gets the original acks: ${resent.body}`);
      assert.deepEqual(resent.json().acks.map((x: Json) => [x.id, x.seq, x.duplicate]), [['dev1:2', 112, true], ['dev1:3', 113, true]]);
      const bad = await s.call('POST', `${R}/facts`, { facts: [{ ...a, id: 'dev1:4' }, { ...b, id: 'dev1:5', control: 'TC99' }] }, officer);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().field, '$.facts[1].control');
      assert.equal(await s.store.latestSeq(RALLY), 113, 'atomic: the good fact was not stored either');
    });

    test('conflict: a second, different SS1 finish for car 1 is stored and listed; a correction with a reason resolves it', { skip: skip() ?? false }, async () => {
      const tk = await s.token('timekeeper', RALLY, ['SS1F']);
      const second = { id: 'ss1f-phone2:1', type: 'controlTime', car: 1, control: 'SS1F', at: '2026-03-13T18:33:15.0' };
      const r = await s.call('POST', `${R}/facts`, second, tk);
      assert.equal(r.statusCode, 201, r.body);
      const c = (await s.call('GET', `${R}/conflicts`)).json();
      const conflict = (c.conflicts as Json[]).find((x) => x.facts.includes('SS1F-1') && x.facts.includes('ss1f-phone2:1'));
      assert.ok(conflict, JSON.stringify(c.conflicts));
      const who = (conflict.entries as Json[]).find((e) => e.id === 'ss1f-phone2:1');
      assert.equal(who?.principal, 'timekeeper lakeshore-2026 SS1F', 'who entered it is shown');

      const noReason = await s.call('POST', `${R}/corrections`, { supersedes: 'ss1f-phone2:1' }, officer);
      assert.equal(noReason.statusCode, 400);
      assert.equal(noReason.json().field, '$.reason');
      const fix = await s.call('POST', `${R}/corrections`, { id: 'fix-1', supersedes: 'ss1f-phone2:1', reason: 'photocell time decides; phone 2 was late' }, officer);
      assert.equal(fix.statusCode, 201, fix.body);
      const after = (await s.call('GET', `${R}/conflicts`)).json();
      assert.ok(!(after.conflicts as Json[]).some((x) => x.facts.includes('ss1f-phone2:1')), JSON.stringify(after.conflicts));
      assert.equal(await stageTime(s, 'SS1', 1), 312_400, 'back to the photocell time');
    });

    test('publication 1, a 30 s penalty with a reason, publication 2: the diff names the car, +30 000 ms, the fact, who and why', { skip: skip() ?? false }, async () => {
      const p1 = await s.call('POST', `${R}/publications`, { kind: 'provisional', reason: 'after leg 2' }, officer, { 'idempotency-key': 'publish-1' });
      assert.equal(p1.statusCode, 201, p1.body);
      const n1 = p1.json().number;
      const before = await row(s, 6);
      const pen = await s.call('POST', `${R}/penalties`, { id: 'pen-6', car: 6, seconds: 30, reason: 'speeding in the service park', rule: 'SR 12.4' }, officer);
      assert.equal(pen.statusCode, 201, pen.body);
      // The small rally is not run to the end: the official classification goes out over that, with a reason.
      const p2 = await s.call('POST', `${R}/publications`, { kind: 'official', reason: 'after the penalty', override: { reason: 'test rally: later stages not run' } }, officer, { 'idempotency-key': 'publish-2' });
      assert.equal(p2.statusCode, 201, p2.body);
      const n2 = p2.json().number;
      assert.equal(n2, n1 + 1);
      const d = (await s.call('GET', `${R}/publications/${n1}/diff/${n2}`)).json();
      const change = (d.positions as Json[]).find((x) => x.car === 6);
      assert.ok(change, JSON.stringify(d.positions));
      assert.equal(change.after.totalMs - change.before.totalMs, 30_000);
      assert.equal(change.before.totalMs, before.totalMs);
      assert.ok(change.because.includes(pen.json().seq));
      const decision = (d.decisions as Json[]).find((x) => x.id === 'pen-6');
      assert.equal(decision?.reason, 'speeding in the service park');
      assert.equal(decision?.principal, `officer ${RALLY}`);
      const list = (await s.call('GET', `${R}/publications`)).json().publications as Json[];
      assert.deepEqual(list.map((p) => p.kind).slice(-2), ['provisional', 'official']);
      const one = await s.call('GET', `${R}/publications/${n1}`);
      assert.equal(one.json().snapshot.classification.rows.find((x: Json) => x.car === 6).totalMs, before.totalMs, 'publication 1 is unchanged by the penalty');
      assert.equal((await s.call('GET', `${R}/publications/99`)).statusCode, 404);
    });

    test('results ETag: If-None-Match → 304; after a new fact the ETag changes and the old one gets 200', { skip: skip() ?? false }, async () => {
      const r1 = await s.call('GET', `${R}/results?class=RC2`);
      const etag = String(r1.headers.etag);
      assert.match(etag, /^W\//);
      assert.equal((await s.call('GET', `${R}/results?class=RC2`, undefined, undefined, { 'if-none-match': etag })).statusCode, 304);
      assert.notEqual(String((await s.call('GET', `${R}/results?class=RC4`)).headers.etag), etag, 'the query is part of the ETag');
      await s.call('POST', `${R}/facts`, { id: 'etag-1', type: 'controlTime', car: 5, control: 'TC0', at: '2026-03-13T18:04' }, officer);
      const r2 = await s.call('GET', `${R}/results?class=RC2`, undefined, undefined, { 'if-none-match': etag });
      assert.equal(r2.statusCode, 200);
      assert.notEqual(r2.headers.etag, etag);
    });

    test('rally definition ETag: a page re-fetching the definition on a live reset gets 304 until a fact or a change arrives', { skip: skip() ?? false }, async () => {
      const d1 = await s.call('GET', R);
      const etag = String(d1.headers.etag);
      assert.match(etag, /^W\//);
      assert.equal((await s.call('GET', R, undefined, undefined, { 'if-none-match': etag })).statusCode, 304);
      await s.call('POST', `${R}/facts`, { id: 'etag-def-1', type: 'controlTime', car: 5, control: 'TC0', at: '2026-03-13T18:05' }, officer);
      const d2 = await s.call('GET', R, undefined, undefined, { 'if-none-match': etag });
      assert.equal(d2.statusCode, 200, 'lastSeq moved, so the answer changed');
      assert.equal(d2.json().lastSeq, d1.json().lastSeq + 1);
    });

    test('crew page: a row per stage, a position after each stage run, the gap to the class leader, workings', { skip: skip() ?? false }, async () => {
      const r = await s.call('GET', `${R}/crews/1`);
      assert.equal(r.statusCode, 200, r.body);
      const c = r.json();
      assert.deepEqual(c.stages.map((x: Json) => x.stage), ['SS1', 'SS2', 'SS3', 'SS4']);
      assert.equal(c.stages[0].timeMs, 312_400);
      assert.equal(c.progression.length, 4);
      for (const p of c.progression as Json[]) if (p.classPosition === 1) assert.equal(p.gapToClassLeaderMs, 0);
      assert.equal(c.workings.car, 1);
      assert.equal((await s.call('GET', `${R}/crews/99`)).statusCode, 404);
    });

    test('OpenAPI at /openapi.json describes the fact body (from the zod schema) and the problem answers; /docs is served', { skip: skip() ?? false }, async () => {
      const doc = (await s.call('GET', '/openapi.json')).json();
      assert.match(doc.openapi, /^3\./);
      const post = doc.paths['/api/rallies/{id}/facts'].post;
      const body = JSON.stringify(post.requestBody);
      for (const t of ['controlTime', 'stageTime', 'penalty', 'retraction']) assert.ok(body.includes(t), t);
      assert.ok(post.responses['400'] && post.responses['401'] && post.responses['403']);
      for (const path of ['/api/rallies/{id}/results', '/api/rallies/{id}/publications/{a}/diff/{b}', '/api/rallies/import', '/api/enroll', '/api/rallies/{id}/overdue']) assert.ok(doc.paths[path], path);
      assert.equal((await s.call('GET', '/docs/')).statusCode, 200);
    });

    test('overdue: ?now= rally-local and as an instant (Europe/London in March = UTC) give the same list', { skip: skip() ?? false }, async () => {
      const a = (await s.call('GET', `${R}/overdue?now=2026-03-13T18:40`)).json();
      const b = (await s.call('GET', `${R}/overdue?now=2026-03-13T18:40:00Z`)).json();
      assert.equal(a.nowLocal, '2026-03-13T18:40:00.000');
      assert.equal(b.nowLocal, '2026-03-13T18:40:00.000');
      assert.deepEqual(a.overdue, b.overdue);
      const d = (await s.call('GET', `${R}/overdue`)).json();
      assert.equal(d.nowLocal, '2026-03-13T19:00:00.000', 'default: the server clock, 19:00Z = 19:00 in London');
      assert.equal((await s.call('GET', `${R}/overdue?now=teatime`)).json().field, 'query.now');
    });
  });
}

const pgSkip = await pgSkipReason();
suite((process.env.RALLYHQ_TEST_STORE as StoreKind | undefined) ?? 'sqlite', () => null);
suite('postgres', () => pgSkip);
