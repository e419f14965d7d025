// The itinerary and the timetable through the API, on SQLite and PostgreSQL:
// a wrong itinerary refused in words with nothing written, a suspicious one
// stored with its warnings, two officers saving the same version at once
// (one wins, the other is told to reload, nothing lost), and the timetable's
// due times and stage states. Due times worked by hand (rally-rules §1); stage
// states per rally-rules §3.4 (interrupted, cancelled).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.ts';
import { pgSkipReason } from '../../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from '../testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The itinerary with one control changed. */
function withControl(it: Json, id: string, change: Json): Json {
  return { ...it, legs: it.legs.map((l: Json) => ({ ...l, sections: l.sections.map((s: Json) => ({ ...s, controls: s.controls.map((c: Json) => (c.id === id ? { ...c, ...change } : c)) })) })) };
}

function suite(kind: StoreKind, skip: () => string | null) {
  describe(`itinerary and timetable on ${kind}`, () => {
    let s: TestServer;
    let officer: string;
    before(async () => {
      if (skip()) return;
      s = await startTestServer(kind, { now: () => new Date('2026-03-13T20:00:00Z') });
      const file = smallRallyFile();
      // SS1 run by everyone; SS2 started by car 1 only; nothing later.
      const later = new Set(['SS2F', 'TC2A', 'TC2B', 'TC3', 'SS3S', 'SS3F', 'TC3A', 'TC3B', 'TC4', 'SS4S', 'SS4F', 'TC4A']);
      file.facts = file.facts.filter((f) => f.type === 'controlTime' && !later.has(f.control as string) && (f.control !== 'SS2S' || f.car === 1));
      const r = await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN);
      assert.equal(r.statusCode, 201, r.body);
      officer = await s.token('officer', RALLY);
    });
    after(async () => { if (s) await s.close(); });
    const opts = () => ({ skip: skip() ?? false });
    const read = async () => (await s.call('GET', `${R}/itinerary`)).json() as Json;
    const put = (it: Json, reason = 'route book v2', token = officer) => s.call('PUT', `${R}/itinerary`, { version: it.version, legs: it.legs, stages: it.stages, reason }, token);

    test('the timetable: first-car due times in rally time with the zone, stage states from the facts', opts(), async () => {
      const t = (await s.call('GET', `${R}/timetable`)).json() as Json;
      const due = (id: string) => t.controls.find((c: Json) => c.id === id);
      // FIA preset: targets after a stage count from its start. TC0 18:00; TC1 +25 = 18:25; SS1 start +3 = 18:28; TC2 +27 = 18:55.
      assert.deepEqual([due('TC0').due, due('TC1').due, due('SS1S').due, due('TC2').due], ['2026-03-13T18:00', '2026-03-13T18:25', '2026-03-13T18:28', '2026-03-13T18:55']);
      // Lakeshore runs in Europe/London: GMT in March before the change.
      assert.equal(due('TC1').offset, '+00:00');
      assert.equal(t.timeZone, 'Europe/London');
      assert.equal(due('TC2B').due, '2026-03-14T09:00');
      assert.deepEqual(t.stages.map((x: Json) => [x.code, x.start, x.dueText, x.state]), [
        ['SS1', 'SS1S', '18:28', 'finished'], ['SS2', 'SS2S', '18:58', 'running'], ['SS3', 'SS3S', '09:33', 'notStarted'], ['SS4', 'SS4S', '10:53', 'notStarted'],
      ]);
      // The Clerk stops SS2 and cancels SS4.
      const facts = await s.call('POST', `${R}/facts`, { facts: [
        { id: 'stop-ss2', type: 'stageInterrupted', stage: 'SS2', reason: 'red flag: car off at 3 km', notionalTimes: [] },
        { id: 'cancel-ss4', type: 'stageCancelled', stage: 'SS4', reason: 'road blocked by snow' },
      ] }, officer);
      assert.equal(facts.statusCode, 201, facts.body);
      const t2 = (await s.call('GET', `${R}/timetable`)).json() as Json;
      assert.deepEqual(t2.stages.map((x: Json) => [x.state, x.stateText]), [['finished', 'finished'], ['interrupted', 'interrupted'], ['notStarted', 'not started'], ['cancelled', 'cancelled']]);
      // The OpenAPI document describes the route.
      const doc = (await s.call('GET', '/openapi.json')).json() as Json;
      assert.ok(doc.paths['/api/rallies/{id}/timetable']?.get, 'timetable route documented');
    });

    test('a wrong itinerary is refused with a 400 naming the control, the field and the fix; nothing is written', opts(), async () => {
      const it = await read();
      // TC2A fixed at 18:40, before SS2's start at 18:58.
      const early = await put(withControl(it, 'TC2A', { firstCarDue: '2026-03-13T18:40' }));
      assert.equal(early.statusCode, 400, early.body);
      const body = early.json() as Json;
      assert.equal(body.code, 'invalid-itinerary');
      assert.equal(body.field, '$.legs[0].sections[0].controls[7].firstCarDue');
      assert.equal(body.detail, '$.legs[0].sections[0].controls[7].firstCarDue: TC2A is due at 18:40, before SS2S before it (18:58); make it 18:58 or later, or shorten the target times before it');
      // A stage without a start.
      const noStart = { ...it, legs: it.legs.map((l: Json) => ({ ...l, sections: l.sections.map((x: Json) => ({ ...x, controls: x.controls.filter((c: Json) => c.id !== 'SS3S') })) })) };
      const r2 = await put(noStart);
      assert.equal(r2.statusCode, 400);
      assert.match(r2.json().detail, /stage SS3 has no start in the itinerary; add a stage start \(SS_START\) naming SS3/);
      // 200 km in 25 minutes.
      const r3 = await put(withControl(it, 'TC1', { distanceM: 200_000 }));
      assert.equal(r3.statusCode, 400);
      assert.match(r3.json().detail, /TC1: 200\.00 km from TC0 in 0:25 is an average of 480 km\/h, faster than any public road allows/);
      // No reason.
      const r4 = await s.call('PUT', `${R}/itinerary`, { version: it.version, legs: it.legs, stages: it.stages, reason: ' ' }, officer);
      assert.equal(r4.statusCode, 400);
      assert.equal(r4.json().field, 'reason');
      assert.equal((await read()).version, it.version, 'nothing was written');
    });

    test('a suspicious itinerary is stored with its warnings; the audit keeps the reason and the diff', opts(), async () => {
      const it = await read();
      // 33 km in 25 minutes: 79 km/h, above a plausible road average (70 km/h) but possible.
      const r = await put(withControl(it, 'TC1', { distanceM: 33_000 }), 'TC1 distance from the route book');
      assert.equal(r.statusCode, 200, r.body);
      assert.match(r.json().warnings[0].text, /TC1: 33\.00 km from TC0 in 0:25 is an average of 79 km\/h, above a plausible road-section average \(70 km\/h\)/);
      const audit = ((await s.call('GET', `${R}/audit`, undefined, officer)).json() as Json).audit as Json[];
      const last = audit.filter((a) => a.action === 'update-itinerary').at(-1)!;
      assert.equal(last.detail.reason, 'TC1 distance from the route book');
      assert.deepEqual(last.detail.diff, ['control TC1: distanceM — → 33000']);
      assert.deepEqual((await read()).findings.map((f: Json) => [f.level, f.subject, f.field]), [['warning', 'TC1', 'targetMs']], 'GET shows the warning too');
    });

    test('two officers save the same version at once through two servers: one 200, one 409; after a reload both changes stand', opts(), async () => {
      const other = await buildApp({ store: s.store });
      try {
        const it = await read();
        const a = withControl(it, 'TC1', { targetMs: 26 * 60_000 });
        const b = withControl(it, 'TC3', { targetMs: 31 * 60_000 });
        const [ra, rb] = await Promise.all([
          put(a, 'TC1 one minute longer'),
          other.inject({ method: 'PUT', url: `${R}/itinerary`, payload: { version: it.version, legs: b.legs, stages: b.stages, reason: 'TC3 one minute longer' }, headers: { authorization: `Bearer ${officer}` } }),
        ]);
        assert.deepEqual([ra.statusCode, rb.statusCode].sort(), [200, 409]);
        const loser = ra.statusCode === 409 ? ra : rb;
        assert.equal(loser.json().code, 'version-conflict');
        // The loser reloads and reapplies its change.
        const now = await read();
        assert.equal(now.version, it.version + 1);
        const again = await put(ra.statusCode === 409 ? withControl(now, 'TC1', { targetMs: 26 * 60_000 }) : withControl(now, 'TC3', { targetMs: 31 * 60_000 }), 'reapplied after a reload');
        assert.equal(again.statusCode, 200, again.body);
        const final = await read();
        const target = (id: string) => final.legs.flatMap((l: Json) => l.sections.flatMap((x: Json) => x.controls)).find((c: Json) => c.id === id).targetMs;
        assert.deepEqual([target('TC1'), target('TC3')], [26 * 60_000, 31 * 60_000], 'neither change lost');
        // And the timetable moved: TC1 18:26.
        assert.equal(((await s.call('GET', `${R}/timetable`)).json() as Json).controls.find((c: Json) => c.id === 'TC1').due, '2026-03-13T18:26');
      } finally {
        await other.close();
      }
    });
  });
}

const pgSkip = await pgSkipReason();
suite('sqlite', () => null);
suite('postgres', () => pgSkip);
