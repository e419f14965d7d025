// Delayed start caused by the crew, the fixed penalty for exceeding maximum
// lateness, and MSUK scheduled timing.
// SEE: rally-rules §2.2 (FMU26 Art 48.4: 1 min per minute or part; not starting
// within 20 s of the signal ⇒ retired, may restart), §2.3 (onExceed fixedPenalty),
// §1 and §2.3 (MSUK26 App 13 Art 10.1: scheduled time = standard time + car
// number × interval; due = scheduled + lateness; OTL more than 30 min past the
// scheduled time: at a main time control retired, elsewhere 30 min — App 14 (a), (b)).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { Control, RallyDefinition } from '../model.ts';
import { classify, dataIssues, explain, formatWorkings, score } from './index.ts';
import { labRally, labRules, onTime } from './lab-rally.test-data.ts';
import { getPreset } from '../rules/presets/index.ts';

const others = [1, 3, 4].flatMap((c) => onTime(c));

describe('delayed start caused by the crew (FMU26 Art 48.4)', () => {
  const delayed = (more: Partial<Extract<Fact, { type: 'delayedStart' }>>): Fact =>
    ({ type: 'delayedStart', id: 'd2', car: 2, stage: 'SS2', reason: 'not at the start line when called', ...more } as Fact);

  test('70 s of delay is 2 minutes or part ⇒ 2 min penalty at SS2, listed with its rule', () => {
    const state = score(labRally(), labRules('fia'), [...others, ...onTime(2), delayed({ delayMs: 70_000 })]);
    const row = classify(state).rows.find((r) => r.car === 2)!;
    assert.equal(row.otherPenaltyMs, 120_000);
    assert.match(formatWorkings(explain(state, 2, 'SS2')), /delayed start at SS2 caused by the crew.*2 min × 1:00/);
  });

  test('not moving within 20 s of the signal: retired at SS2; it may restart at the next section', () => {
    const facts = [...others, ...onTime(2, { skip: ['SS2'] }), delayed({ afterSignalMs: 25_000 })];
    const state = score(labRally(), labRules('fia'), facts);
    const row = classify(state).rows.find((r) => r.car === 2)!;
    assert.equal(row.status, 'retired');
    const restarted = score(labRally(), labRules('fia'), [...facts, { type: 'restart', id: 'r2', car: 2, section: 'B' }]);
    assert.equal(classify(restarted).rows.find((r) => r.car === 2)!.status, 'finished');
  });

  test('rules with no retirement for a late start (MSUK: none in the reference) charge nothing else', () => {
    const state = score(labRally('msuk'), labRules('msuk'), [...[1, 3, 4].flatMap((c) => onTime(c)), ...onTime(2), delayed({ afterSignalMs: 25_000 })]);
    assert.equal(classify(state).rows.find((r) => r.car === 2)!.status, 'finished');
  });

  test('MSUK 2026.2 charges no delay (rally-rules §2.2: MSUK "—"), flagged unconfirmed; 2026.1 keeps its assumed 1 min per minute', () => {
    const facts = [...[1, 3, 4].flatMap((c) => onTime(c)), ...onTime(2), delayed({ delayMs: 70_000 })];
    const now = score(labRally('msuk'), getPreset('msuk', '2026.2')!, facts);
    assert.equal(classify(now).rows.find((r) => r.car === 2)!.otherPenaltyMs, 0);
    assert.equal(getPreset('msuk', '2026.2')!.delayedStartPenaltyPerMinuteMs.confirmed, false);
    const before = score(labRally('msuk'), getPreset('msuk', '2026.1')!, facts);
    assert.equal(classify(before).rows.find((r) => r.car === 2)!.otherPenaltyMs, 120_000, 'a rally scored under 2026.1 scores the same');
  });
});

describe('the stage maximum charged for a stage not performed correctly is only as sure as its figure (MSUK26 App 8 (c), App 14 (d))', () => {
  const notCorrect: Fact = { type: 'stageMaximumCharged', id: 'mx', car: 2, stage: 'SS2', reason: 'missed a chicane', rule: 'MSUK26 App 8 (c)' };
  const facts = [...others, ...onTime(2), notCorrect];
  const step = (state: ReturnType<typeof score>) => explain(state, 2, 'SS2').steps.find((x) => /stage maximum .* charged/.test(x.label))!;

  test('a maximum from the rules is flagged unconfirmed when the preset value is (not hard-coded confirmed)', () => {
    const base = labRules('msuk');
    const rules = { ...base, stageMaxTime: { value: { kind: 'fixed' as const, ms: 600_000 }, rule: 'assumed maximum', confirmed: false, note: 'test' } };
    const s = step(score(labRally('msuk'), rules, facts));
    assert.equal(s.ms, 600_000);
    assert.equal(s.confirmed, false);
    assert.match(s.rule ?? '', /assumed maximum/);
  });

  test('a maximum set by the SRs (an override citing the article) is confirmed', () => {
    const s = step(score(labRally('msuk'), labRules('msuk', { stageMaxTime: { kind: 'fixed', ms: 600_000 } }), facts));
    assert.equal(s.confirmed, true);
  });

  test('a stage\'s own maximum in the rally definition (the event\'s documents) is confirmed and says where it comes from', () => {
    const s = step(score(labRally('msuk', { maximumMs: 600_000 }), labRules('msuk'), facts));
    assert.equal(s.confirmed, true);
    assert.match(s.rule ?? '', /SS2's own maximum in the rally definition/);
  });
});

describe('onExceedMaxLateness fixedPenalty charges maxLatenessFixedPenaltyMs (rally-rules §2.3)', () => {
  // Car 2 is 16 min late at TC2 (over the 15 min per target): its later times run 16 min behind.
  const late = onTime(2, { lateFrom: { control: 'TC2', minutes: 16 } });

  test('fixed 30 min instead of retirement; the crew stays classified', () => {
    const rules = labRules('fia', { onExceedMaxLateness: 'fixedPenalty', maxLatenessFixedPenaltyMs: 1_800_000 });
    const state = score(labRally(), rules, [...others, ...late]);
    const row = classify(state).rows.find((r) => r.car === 2)!;
    assert.equal(row.status, 'finished');
    assert.equal(row.roadPenaltyMs, 1_800_000);
    assert.match(formatWorkings(explain(state, 2)), /maximum lateness exceeded at TC2: fixed penalty/);
  });

  test('the amount is the preset value: 10 minutes when the SRs say so', () => {
    const rules = labRules('fia', { onExceedMaxLateness: 'fixedPenalty', maxLatenessFixedPenaltyMs: 600_000 });
    assert.equal(classify(score(labRally(), rules, [...others, ...late])).rows.find((r) => r.car === 2)!.roadPenaltyMs, 600_000);
  });

  test('the FIA default retires the crew there', () => {
    assert.equal(classify(score(labRally(), labRules('fia'), [...others, ...late])).rows.find((r) => r.car === 2)!.status, 'retired');
  });
});

describe('MSUK scheduled timing (App 13 Art 10.1; App 14 (a), (b), (h))', () => {
  // Standard times (car 0): TC1 10:00 (main), TC2 10:30, TC3 11:00; interval 1 min: car n is scheduled n minutes later.
  function scheduledRally(): RallyDefinition {
    const controls: Control[] = [
      { id: 'TC1', kind: 'TC', firstCarDue: '2026-04-11T10:00', main: true },
      { id: 'TC2', kind: 'TC', firstCarDue: '2026-04-11T10:30' },
      { id: 'TC3', kind: 'TC', firstCarDue: '2026-04-11T11:00', main: true },
    ];
    return {
      id: 'sched', name: 'Scheduled', timeZone: 'Europe/London', distanceUnit: 'mi', startDate: '2026-04-11', endDate: '2026-04-11',
      rules: { preset: 'msuk', version: '2026.1' }, startIntervalMs: 60_000,
      legs: [{ id: 'L1', name: 'Day', date: '2026-04-11', sections: [{ id: 'A', controls }] }],
      // One stage (no controls of its own) so that the classification counts the whole itinerary.
      stages: [{ code: 'SS1', name: 'Lap', distanceM: 5_000, type: 'special', leg: 'L1' }],
      classes: [{ code: 'A', name: 'A' }],
      entries: [5, 7, 9].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'M', model: 'X', class: 'A' })),
    };
  }
  const rules = labRules('msuk', { dueTimeMethod: 'scheduled' });
  const ct = (car: number, control: string, hm: string): Fact => ({ type: 'controlTime', id: `${car}-${control}`, car, control, at: `2026-04-11T${hm}:00` });
  const lap = (car: number): Fact => ({ type: 'stageTime', id: `${car}-SS1`, car, stage: 'SS1', time: '4:00' });

  test('car 5: scheduled 10:05 at TC1, 3 min late (penalty-free under App 8 1.2) carries to TC2: due 10:38; 10:37 is 1 min early ⇒ 1 min', () => {
    const state = score(scheduledRally(), rules, [lap(5), ct(5, 'TC1', '10:08'), ct(5, 'TC2', '10:37'), ct(5, 'TC3', '11:08')]);
    assert.equal(classify(state).rows.find((r) => r.car === 5)!.roadPenaltyMs, 60_000);
    assert.match(formatWorkings(explain(state, 5)), /road penalty at TC2: due 10:38, checked in 10:37, 1 min early/);
  });

  test('car 9: OTL at TC2 (36 min past its scheduled 10:39), not a main time control ⇒ 30 minutes (App 14 (b))', () => {
    const state = score(scheduledRally(), rules, [lap(9), ct(9, 'TC1', '10:09'), ct(9, 'TC2', '11:15')]);
    const row = classify(state).rows.find((r) => r.car === 9)!;
    assert.equal(row.roadPenaltyMs, 1_800_000);
    assert.notEqual(row.status, 'retired');
  });

  test('car 7: OTL at TC1, a main time control (33 min past its scheduled 10:07) ⇒ retired (App 14 (a)), with a finding', () => {
    const state = score(scheduledRally(), rules, [lap(7), ct(7, 'TC1', '10:40')]);
    assert.equal(classify(state).rows.find((r) => r.car === 7)!.status, 'retired');
    assert.ok(dataIssues(state).some((i) => i.code === 'max-lateness-exceeded' && i.car === 7));
  });

  test('car 9: OTL at TC2 (30 min), then OTL again at TC3, a main time control ⇒ retired there (App 14 (a), (b))', () => {
    // Scheduled 11:09 at TC3; 11:46 is 37 min past it (the lateness carried from TC2 is no excuse under App 13 Art 10.1(i)).
    const state = score(scheduledRally(), rules, [lap(9), ct(9, 'TC1', '10:09'), ct(9, 'TC2', '11:15'), ct(9, 'TC3', '11:46')]);
    const row = classify(state).rows.find((r) => r.car === 9)!;
    assert.equal(row.status, 'retired');
    assert.ok(dataIssues(state).some((i) => i.code === 'max-lateness-exceeded' && i.car === 9 && i.control === 'TC3'));
  });

  test('under target timing (the MSUK default) the same times are judged from each departure instead', () => {
    const state = score(scheduledRally(), labRules('msuk'), [lap(5), ct(5, 'TC1', '10:08'), ct(5, 'TC2', '10:37')]);
    // No target times in this itinerary: only TC1, the leg start, is judged (due 10:00 + place 0 in the start order); lateness is penalty-free.
    assert.equal(classify(state).rows.find((r) => r.car === 5)!.roadPenaltyMs, 0);
  });
});
