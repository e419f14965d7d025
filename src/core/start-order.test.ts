// One start order, used everywhere: a stored start list decides its leg's
// order and due times at the leg's first control, and the scoring judges
// leg-start lateness against them; without a list, car-number order and the
// start interval. A published list travels in the rally file.
// SEE: rally-rules §1 (due time: the crew's own due time at a time control;
// MSUK scheduled time = standard time + car number × interval, App 13 Art 10.1),
// §2.1 (on time during the whole due minute), §2.2 (late 10 s per minute or
// part, early 1 min per minute or part — FMU26 Art 44.2.10; ARA: shown by
// published results, ara-evidence.md), §2.3 (a leg start is judged like any
// time control), ara-evidence.md "start interval" (a new scheduled start only
// at the top of a leg).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Fact } from './facts.ts';
import type { RallyDefinition, StoredStartList } from './model.ts';
import { classify, dataIssues, explain, formatWorkings, score } from './scoring/index.ts';
import { resolveRules } from './rules/resolve.ts';
import { buildStartList } from './startlists/start-list.ts';
import { parseRallyFile, serializeRallyFile } from './rallyfile/index.ts';
import { entriesInStartOrder, legStartOrder, startPosition } from './start-order.ts';
import { parseLocalDateTime } from './time/local-time.ts';
import { fixturePath } from '../testing/fixtures.ts';
import { at, labRally, labRules, onTime } from './scoring/lab-rally.test-data.ts';

const FIA = labRules('fia');

describe('without a stored start list: car-number order, first-car time + interval × place', () => {
  test('entries listed 3, 1, 4, 2 start 1, 2, 3, 4; car 3 is due at TC0 two minutes after the first car', () => {
    const base = labRally();
    const def: RallyDefinition = { ...base, entries: [2, 0, 3, 1].map((i) => base.entries[i]!) };
    assert.deepEqual(legStartOrder(def, 'L1').positions.map((p) => p.car), [1, 2, 3, 4]);
    assert.equal(startPosition(def, 'L1', 3)!.dueMs, parseLocalDateTime('2026-05-09T09:02'));
    assert.deepEqual(entriesInStartOrder(def).map((e) => e.car), [1, 2, 3, 4]);
    // Car 3 checks in at 09:02 (its due minute): no penalty, whatever its place in the file.
    const state = score(def, FIA, [1, 2, 3, 4].flatMap((c) => onTime(c)));
    assert.equal(classify(state).rows.find((r) => r.car === 3)!.roadPenaltyMs, 0);
  });
});

describe('a stored start list gives the leg-start due times (lab rally, leg 2 reversed)', () => {
  // Leg 2 stored in reverse: car 4 first at 09:00, car 3 09:01, car 2 09:02, car 1 09:03 at TC4.
  const reversed: StoredStartList = {
    leg: 'L2', control: 'TC4', method: 'test: reversed', version: 1, reason: 'SR 5.3', at: '2026-05-09T20:00:00Z', by: 'Results',
    rows: [4, 3, 2, 1].map((car, i) => ({ order: i + 1, car, due: `2026-05-10T09:0${i}:00`, why: `place ${i + 1}` })),
    notStarting: [],
  };
  const def: RallyDefinition = { ...labRally(), startLists: [reversed] };
  // Every crew checks in at TC4 at its car-number slot (car k at 09:0(k-1)), as it would without the list.
  const facts = [1, 2, 3, 4].flatMap((c) => onTime(c));

  test('car 1, due 09:03 by the list, checked in 09:00: 3 min early = 3:00 (60 s per minute early)', () => {
    const state = score(def, FIA, facts);
    const row = classify(state, { leg: 'L2' }).rows.find((r) => r.car === 1)!;
    assert.equal(row.roadPenaltyMs, 3 * 60_000);
    assert.match(formatWorkings(explain(state, 1)), /road penalty at TC4: due 09:03, checked in 09:00, 3 min early/);
  });

  test('car 4, due 09:00 by the list, checked in 09:03: 3 min late = 30 s (10 s per minute late)', () => {
    const row = classify(score(def, FIA, facts), { leg: 'L2' }).rows.find((r) => r.car === 4)!;
    assert.equal(row.roadPenaltyMs, 30_000);
  });

  test('leg 1 has no stored list: its due times stay by car number (no penalty for anybody)', () => {
    const rows = classify(score(def, FIA, facts), { leg: 'L1' }).rows;
    for (const r of rows) assert.equal(r.roadPenaltyMs, 0, `car ${r.car}`);
  });

  test('the list decides even when the rally gives no start interval (and no start-interval-missing finding)', () => {
    const { startIntervalMs: _gone, ...noInterval } = def;
    const state = score(noInterval, FIA, facts);
    assert.equal(classify(state, { leg: 'L2' }).rows.find((r) => r.car === 4)!.roadPenaltyMs, 30_000);
    assert.equal(dataIssues(state).filter((i) => i.code === 'start-interval-missing' && i.control === 'TC4').length, 0);
  });
});

describe('Sno*Drift (generated): leg 2 seeded by the classification after leg 1 with the top 10 reversed', () => {
  const file = JSON.parse(readFileSync(fixturePath('fixtures/snodrift-2026.rally.json'), 'utf8')) as { rally: RallyDefinition; facts: Fact[] };
  const rules = resolveRules(file.rally.rules).rules;
  const before = score(file.rally, rules, file.facts);
  const lastOfLeg1 = file.rally.stages.filter((s) => s.leg === 'L1').at(-1)!.code;
  const built = buildStartList(file.rally, { leg: 'L2', method: 'classification', afterLeg: 'L1', reverseTopN: 10, intervals: [{ fromOrder: 1, intervalMs: 60_000 }], firstDue: '2026-02-07T09:00' }, classify(before, { after: lastOfLeg1 }));
  assert.ok(built.ok);
  const stored: StoredStartList = { ...built.list, version: 1, reason: 'leg 2 seeding per SR', at: '2026-02-07T02:00:00Z', by: 'Results' };
  const def: RallyDefinition = { ...file.rally, startLists: [stored] };
  const after = score(def, rules, file.facts);
  const checkIn = (car: number): number => {
    const f = file.facts.find((x) => x.type === 'controlTime' && x.car === car && x.control === 'TC8B');
    return f && f.type === 'controlTime' ? parseLocalDateTime(f.at)! : NaN;
  };
  const top10 = stored.rows.slice(0, 10);

  test('the top 10 of leg 1 are due at TC8B in reverse: the leader tenth, at 09:09', () => {
    const leader = classify(before, { after: lastOfLeg1 }).rows.find((r) => r.position === 1)!.car;
    assert.equal(top10[9]!.car, leader);
    assert.equal(startPosition(def, 'L2', leader)!.dueMs, parseLocalDateTime('2026-02-07T09:09'));
  });

  test('each of them is charged at TC8B for the minutes between its recorded check-in and its new due minute, as the rule says', () => {
    const ara = { late: rules.latePenaltyPerMinuteMs.value, early: rules.earlyPenaltyPerMinuteMs.value };
    assert.deepEqual(ara, { late: 10_000, early: 60_000 }); // ara-evidence.md: 10 s per minute late, 60 s per minute early
    let changed = 0;
    for (const row of top10) {
      const diffMin = Math.floor(checkIn(row.car) / 60_000) - Math.floor(parseLocalDateTime(row.due)! / 60_000);
      if (Math.abs(diffMin) > 15) continue; // beyond maximum lateness the crew retires: another rule
      const expected = diffMin > 0 ? diffMin * ara.late : diffMin < 0 ? -diffMin * ara.early : 0;
      const was = classify(before, { leg: 'L2' }).rows.find((r) => r.car === row.car)!.roadPenaltyMs;
      const now = classify(after, { leg: 'L2' }).rows.find((r) => r.car === row.car)!.roadPenaltyMs;
      assert.equal(now - was, expected, `car ${row.car}: checked in ${diffMin} min from its due minute ${row.due}`);
      if (expected !== 0) changed++;
    }
    assert.ok(changed >= 5, `the reversal moves most of the top 10 off their car-number slot (${changed})`);
  });

  test('export then import keeps the start list, and with it the same results', () => {
    const parsed = parseRallyFile(JSON.parse(serializeRallyFile({ format: 'rallyhq.rally', version: 1, rally: def, facts: file.facts })));
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors.slice(0, 3)));
    assert.deepEqual(parsed.file.rally.startLists, [stored]);
    const again = score(parsed.file.rally, rules, parsed.file.facts);
    const totals = (s: typeof after) => classify(s).rows.map((r) => [r.car, r.totalMs, r.roadPenaltyMs]);
    assert.deepEqual(totals(again), totals(after));
  });
});

describe('no start interval and no stored list: leg-start lateness is not judged (rally-rules §1: no due time, no penalty)', () => {
  const { startIntervalMs: _gone, ...def } = labRally();
  const facts = [1, 2, 3, 4].flatMap((c) => onTime(c));

  test('car 3, checked in at TC0 two minutes after the first car, is charged nothing there', () => {
    const state = score(def, FIA, facts);
    for (const r of classify(state).rows) assert.equal(r.roadPenaltyMs, 0, `car ${r.car}`);
  });

  test('even a crew 20 minutes behind the first-car time is not retired at the start: its due time is not known', () => {
    const late = [...onTime(2, { skip: ['TC0'], late1: 20 }), at(2, 'TC0', 1, '09:21:00')];
    const state = score(def, FIA, [...[1, 3, 4].flatMap((c) => onTime(c)), ...late]);
    assert.notEqual(classify(state).rows.find((r) => r.car === 2)!.status, 'retired');
  });

  test('one start-interval-missing finding per leg start, saying why and how to fix it', () => {
    const found = dataIssues(score(def, FIA, facts)).filter((i) => i.code === 'start-interval-missing');
    assert.deepEqual(found.map((i) => i.control).sort(), ['TC0', 'TC4']);
    const tc0 = found.find((i) => i.control === 'TC0')!;
    assert.equal(tc0.severity, 'warning');
    assert.match(tc0.detail, /no start interval \(startIntervalMs\) and no stored start list for L1/);
    assert.match(tc0.detail, /not judged for the 4 crews/);
    assert.match(tc0.fix, /startIntervalMs|start list/);
  });

  test('with the start interval given, the same rally has no such finding', () => {
    assert.equal(dataIssues(score(labRally(), FIA, facts)).filter((i) => i.code === 'start-interval-missing').length, 0);
  });
});
