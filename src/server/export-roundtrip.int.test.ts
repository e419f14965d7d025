// Every export imports back (issue 9, item 2), on SQLite and PostgreSQL:
// fast-check drives a rally through any sequence of API calls — control and
// stage times (a finish before its start included), penalties, retirements,
// restarts, exclusions, cancellations, notional times, corrections and
// withdrawals of earlier facts, late entries, crew withdrawals, and entry-list
// and itinerary replacements that drop a car, a stage or a control — then
// exports the rally, imports the file into a fresh store and asks both for
// their results: every classification must be the same. What the API refuses
// is simply not part of the rally; a refusal must be a 4xx.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pgSkipReason } from '../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

/** The small fixture's controls and stages (lakeshore-2026), and three numbers a late entry may take. */
const CONTROLS = ['TC0', 'TC1', 'SS1S', 'SS1F', 'TC2', 'SS2S', 'SS2F', 'TC2A', 'TC2B', 'TC3', 'SS3S', 'SS3F', 'TC3A', 'TC3B', 'TC4', 'SS4S', 'SS4F', 'TC4A'];
const STAGES = ['SS1', 'SS2', 'SS3', 'SS4'];
const SECTIONS = ['L1A', 'L2A'];
const CARS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

type Command =
  | { kind: 'controlTime'; car: number; control: string; at: string }
  | { kind: 'stageTime'; car: number; stage: string; time: string }
  | { kind: 'decision'; path: string; body: Record<string, unknown> }
  | { kind: 'correct'; target: number; at: string }
  | { kind: 'withdrawFact'; target: number }
  | { kind: 'addEntry'; car: number }
  | { kind: 'withdrawCrew'; car: number; where: string }
  | { kind: 'dropCar'; car: number }
  | { kind: 'dropStage'; stage: string }
  | { kind: 'dropControl'; control: string };

const car = fc.constantFrom(...CARS);
const stage = fc.constantFrom(...STAGES);
// Times on the rally's two days, to the tenth: enough spread for finishes before starts.
const at = fc.tuple(fc.constantFrom('2026-03-13', '2026-03-14'), fc.integer({ min: 8, max: 22 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 599 }))
  .map(([d, h, m, t]) => `${d}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(Math.floor(t / 10)).padStart(2, '0')}.${t % 10}`);
const duration = fc.tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 599 })).map(([m, t]) => `${m}:${String(Math.floor(t / 10)).padStart(2, '0')}.${t % 10}`);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('controlTime' as const), car, control: fc.constantFrom(...CONTROLS), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stageTime' as const), car, stage, time: duration }) },
  { weight: 4, arbitrary: fc.oneof(
    fc.record({ car, seconds: fc.integer({ min: 0, max: 600 }), reason: fc.constant('late at TC') }).map((body) => ({ kind: 'decision' as const, path: 'penalties', body })),
    fc.record({ car, where: fc.constantFrom(...CONTROLS, ...STAGES), reason: fc.constant('off the road') }).map((body) => ({ kind: 'decision' as const, path: 'retirements', body })),
    fc.record({ car, section: fc.constantFrom(...SECTIONS), reason: fc.constant('Super Rally') }).map((body) => ({ kind: 'decision' as const, path: 'restarts', body })),
    fc.record({ car, reason: fc.constant('technical infringement') }).map((body) => ({ kind: 'decision' as const, path: 'exclusions', body })),
    fc.record({ stage, reason: fc.constant('spectators on the road') }).map((body) => ({ kind: 'decision' as const, path: 'stage-cancellations', body })),
    fc.record({ car, stage, reason: fc.constant('missed a chicane') }).map((body) => ({ kind: 'decision' as const, path: 'stage-maximums', body })),
    fc.record({ stage, notionalTimes: fc.array(fc.record({ car, time: duration }), { minLength: 1, maxLength: 3 }), reason: fc.constant('red flag') })
      .map((body) => ({ kind: 'decision' as const, path: 'notional-times', body })),
  ) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('correct' as const), target: fc.nat(), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdrawFact' as const), target: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addEntry' as const), car: fc.constantFrom(7, 8, 9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdrawCrew' as const), car, where: fc.constantFrom(...CONTROLS, ...STAGES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropCar' as const), car }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropStage' as const), stage }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropControl' as const), control: fc.constantFrom(...CONTROLS) }) },
);

interface Itinerary { version: number; legs: { sections: { controls: { id: string; stage?: string }[] }[] }[]; stages: { code: string }[] }

/** Runs one command against the live server; returns the ids of the facts it stored. */
async function run(s: TestServer, rallyId: string, c: Command, n: number, stored: string[]): Promise<{ status: number; body: string }> {
  const base = `/api/rallies/${rallyId}`;
  const id = `c${n}`;
  const post = (path: string, body: unknown, headers?: Record<string, string>) => s.call('POST', `${base}/${path}`, body, ADMIN_TOKEN, headers);
  let r;
  switch (c.kind) {
    case 'controlTime': r = await post('facts', { id, type: 'controlTime', car: c.car, control: c.control, at: c.at, source: 'timecard' }); break;
    case 'stageTime': r = await post('facts', { id, type: 'stageTime', car: c.car, stage: c.stage, time: c.time }); break;
    case 'decision': r = await post(c.path, c.body, { 'idempotency-key': id }); break;
    case 'correct': {
      const target = stored[c.target % Math.max(stored.length, 1)] ?? 'TC1-2';
      const old = (await s.call('GET', `${base}/facts?limit=10000`, undefined, ADMIN_TOKEN)).json().facts.find((f: { fact: { id: string } }) => f.fact.id === target)?.fact;
      // A time is corrected by another time at the same control; anything else by a penalty of 0 (a correction of its figure).
      const replacement = old?.type === 'controlTime'
        ? { id, type: 'controlTime', car: old.car, control: old.control, at: c.at, supersedes: target, reason: 'typed wrong' }
        : { id, type: 'penalty', car: old?.car ?? 1, seconds: 0, supersedes: target, reason: 'decision revised' };
      r = await post('corrections', replacement);
      break;
    }
    case 'withdrawFact': r = await post('corrections', { id, supersedes: stored[c.target % Math.max(stored.length, 1)] ?? 'TC1-2', reason: 'entered in error' }); break;
    case 'addEntry': r = await post('entries', { entry: { car: c.car, driver: { name: `Driver ${c.car}` }, codriver: { name: `Codriver ${c.car}` }, make: 'Ford', model: 'Fiesta', class: 'RC4', late: true }, reason: 'late entry' }); break;
    case 'withdrawCrew': r = await post(`entries/${c.car}/withdrawal`, { reason: 'unwell', where: c.where }); break;
    case 'dropCar': {
      const list = (await s.call('GET', `${base}/entries`)).json() as { version: number; entries: { car: number }[] };
      r = await s.call('PUT', `${base}/entries`, { version: list.version, entries: list.entries.filter((e) => e.car !== c.car), reason: 'entry list corrected' }, ADMIN_TOKEN);
      break;
    }
    case 'dropStage':
    case 'dropControl': {
      const it = (await s.call('GET', `${base}/itinerary`)).json() as Itinerary;
      const keep = (ctl: { id: string; stage?: string }) => (c.kind === 'dropStage' ? ctl.stage !== c.stage : ctl.id !== c.control);
      const legs = it.legs.map((l) => ({ ...l, sections: l.sections.map((sec) => ({ ...sec, controls: sec.controls.filter(keep) })) }));
      const stages = c.kind === 'dropStage' ? it.stages.filter((st) => st.code !== c.stage) : it.stages;
      r = await s.call('PUT', `${base}/itinerary`, { version: it.version, legs, stages, reason: 'route changed' }, ADMIN_TOKEN);
      break;
    }
  }
  if (r.statusCode === 201 && ['controlTime', 'stageTime', 'decision', 'correct', 'withdrawFact'].includes(c.kind)) stored.push(id);
  return { status: r.statusCode, body: r.body };
}

const KINDS: StoreKind[] = ['sqlite', 'postgres'];

for (const kind of KINDS) {
  describe(`an export always imports back (${kind})`, async () => {
    const skip = kind === 'postgres' ? await pgSkipReason() : null;
    let live: TestServer;
    let fresh: TestServer;
    before(async () => {
      if (skip) return;
      live = await startTestServer(kind);
      fresh = await startTestServer(kind);
    });
    after(async () => {
      if (skip) return;
      await live.close();
      await fresh.close();
    });

    test('any sequence of accepted API calls → export → import into a fresh store → the same classification', { skip: skip ?? false }, async () => {
      let rally = 0;
      const seen = { accepted: 0, refused: 0 };
      await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        const file = smallRallyFile();
        file.rally.id = `rt-${kind}-${++rally}`;
        // Fewer facts than the fixture (the first 40: leg 1's start and SS1), so later calls change a rally still running.
        file.facts = file.facts.filter((f) => !String(f.id).includes('fix')).slice(0, 40);
        assert.equal((await live.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
        const stored = file.facts.map((f) => String(f.id));
        for (const [n, c] of commands.entries()) {
          const r = await run(live, file.rally.id, c, n, stored);
          assert.ok(r.status < 500, `${c.kind} answered ${r.status}: ${r.body}`);
          if (r.status < 300) seen.accepted += 1; else seen.refused += 1;
        }
        const exported = await live.call('GET', `/api/rallies/${file.rally.id}/export`);
        assert.equal(exported.statusCode, 200);
        const imported = await fresh.call('POST', '/api/rallies/import', exported.body, ADMIN_TOKEN);
        assert.equal(imported.statusCode, 201, `the export does not import back after ${JSON.stringify(commands)}: ${imported.body}`);
        for (const query of ['', '?leg=L1']) {
          const a = (await live.call('GET', `/api/rallies/${file.rally.id}/results${query}`)).json() as { classification: unknown };
          const b = (await fresh.call('GET', `/api/rallies/${file.rally.id}/results${query}`)).json() as { classification: unknown };
          assert.deepEqual(b.classification, a.classification, `results${query} differ after the round trip of ${JSON.stringify(commands)}`);
        }
      }), { numRuns: kind === 'sqlite' ? 30 : 15 });
      console.log(`# export round trip (${kind}): ${seen.accepted} calls accepted, ${seen.refused} refused (4xx)`);
      assert.ok(seen.accepted > seen.refused / 4, `most generated calls should be accepted (${seen.accepted} accepted, ${seen.refused} refused)`);
    });

    test('a stored start list travels in the export: imported back, the same list (with its version) and the same leg-start lateness', { skip: skip ?? false }, async () => {
      const file = smallRallyFile();
      file.rally.id = `startlist-${kind}`;
      assert.equal((await live.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
      const base = `/api/rallies/${file.rally.id}`;
      // Leg 2 by class, two minutes apart: due times differ from car-number order, so leg-2 lateness changes.
      const body = { method: 'class', intervals: [{ fromOrder: 1, intervalMs: 120_000 }], firstDue: '2026-03-14T09:00', reason: 'leg 2 seeding per SR 5.3' };
      const put = await live.call('PUT', `${base}/start-lists/L2`, body, ADMIN_TOKEN);
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().startList.version, 1);
      const again = await live.call('PUT', `${base}/start-lists/L2`, { ...body, reason: 'replaced: same seeding' }, ADMIN_TOKEN);
      assert.equal(again.json().startList.version, 2, 'a replacement is the next version of the leg\'s list');
      const exported = await live.call('GET', `${base}/export`);
      assert.ok((exported.json() as { rally: { startLists?: unknown[] } }).rally.startLists?.length === 1);
      const imported = await fresh.call('POST', '/api/rallies/import', exported.body, ADMIN_TOKEN);
      assert.equal(imported.statusCode, 201, imported.body);
      const lists = async (srv: TestServer) => (await srv.call('GET', `${base}/start-lists`)).json().startLists;
      assert.deepEqual(await lists(fresh), await lists(live));
      for (const query of ['', '?leg=L2']) {
        const a = (await live.call('GET', `${base}/results${query}`)).json() as { classification: unknown };
        const b = (await fresh.call('GET', `${base}/results${query}`)).json() as { classification: unknown };
        assert.deepEqual(b.classification, a.classification, `results${query}`);
      }
    });

    test('a definition change that would orphan facts is refused with 409 listing them; the rally is unchanged', { skip: skip ?? false }, async () => {
      const file = smallRallyFile();
      file.rally.id = `orphan-${kind}`;
      assert.equal((await live.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
      const base = `/api/rallies/${file.rally.id}`;
      const list = (await live.call('GET', `${base}/entries`)).json() as { version: number; entries: { car: number }[] };
      // Car 2 has times in the fixture (TC0-2 at 18:01, …).
      const dropCar = await live.call('PUT', `${base}/entries`, { version: list.version, entries: list.entries.filter((e) => e.car !== 2), reason: 'car 2 withdrawn' }, ADMIN_TOKEN);
      assert.equal(dropCar.statusCode, 409, dropCar.body);
      const body = dropCar.json() as { code: string; detail: string; facts: { id: string; car: number | null; problems: string[] }[] };
      assert.equal(body.code, 'facts-in-the-way');
      assert.ok(body.facts.some((f) => f.id === 'TC0-2' && f.car === 2), 'names car 2\'s time at TC0');
      assert.ok(body.facts.every((f) => f.car === 2), 'only car 2\'s facts are in the way');
      assert.match(body.detail, /fact "TC0-2" \(car 2, seq \d+\): unknown car 2/);

      const it = (await live.call('GET', `${base}/itinerary`)).json() as Itinerary;
      const noSs4 = await live.call('PUT', `${base}/itinerary`, {
        version: it.version,
        legs: it.legs.map((l) => ({ ...l, sections: l.sections.map((sec) => ({ ...sec, controls: sec.controls.filter((c) => c.stage !== 'SS4') })) })),
        stages: it.stages.filter((st) => st.code !== 'SS4'),
        reason: 'SS4 dropped: road closed',
      }, ADMIN_TOKEN);
      assert.equal(noSs4.statusCode, 409, noSs4.body);
      assert.match(noSs4.json().detail, /unknown control "SS4S"/);
      assert.equal((await live.call('GET', base)).json().version, list.version, 'nothing was changed');

      // A crew with no times yet may still go, and a stage nobody has a fact on.
      const late = await live.call('POST', `${base}/entries`, { entry: { car: 77, driver: { name: 'A Late' }, codriver: { name: 'B Late' }, make: 'Ford', model: 'Fiesta', class: 'RC4', late: true }, reason: 'late entry' }, ADMIN_TOKEN);
      assert.equal(late.statusCode, 201, late.body);
      const now = (await live.call('GET', `${base}/entries`)).json() as { version: number; entries: { car: number }[] };
      assert.equal((await live.call('PUT', `${base}/entries`, { version: now.version, entries: now.entries.filter((e) => e.car !== 77), reason: 'car 77 withdrawn' }, ADMIN_TOKEN)).statusCode, 200);
    });

    test('a stage finish before its start is accepted live, shown as a finding, and the export imports back with a warning', { skip: skip ?? false }, async () => {
      const file = smallRallyFile();
      file.rally.id = `finish-before-start-${kind}`;
      file.facts = file.facts.filter((f) => f.id !== 'SS1F-3');
      assert.equal((await live.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
      const start = file.facts.find((f) => f.id === 'SS1S-3')!;
      assert.equal(start.at, '2026-03-13T18:30:00.0');
      // Minutes typed 20 instead of 33: before the 18:30 start (rally-rules.md: a stage time is finish − start).
      const r = await live.call('POST', `/api/rallies/${file.rally.id}/facts`, { id: 'typo', type: 'controlTime', car: 3, control: 'SS1F', at: '2026-03-13T18:20:10.0', source: 'timecard' }, ADMIN_TOKEN);
      assert.equal(r.statusCode, 201, r.body);
      const exported = await live.call('GET', `/api/rallies/${file.rally.id}/export`);
      const imported = await fresh.call('POST', '/api/rallies/import', exported.body, ADMIN_TOKEN);
      assert.equal(imported.statusCode, 201, imported.body);
      const warnings = imported.json().warnings as { path: string; message: string }[];
      assert.ok(warnings.some((w) => /car 3's finish time \(at\) at SS1F is 18:20:10\.0, before its start time 18:30:00\.0/.test(w.message)), JSON.stringify(warnings));
    });
  });
}
