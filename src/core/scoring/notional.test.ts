// Notional-time proposals for an interrupted stage, by the preset's method.
// SEE: rally-rules §3.4 — MSUK26 4.36–4.38 (fastest at the interruption, down
// to the 5th; first after a restart; the responsible crew never benefits),
// FMU26 Arts 52.1–52.4 (the Clerk's fairest time: no formula), RA-STOP (the
// worst time before the stoppage, Rally America practice, used by the ARA preset).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import { classify, notionalProposals, score, stageResults } from './index.ts';
import { LAB_DAY1, labRally, labRules, onTime } from './lab-rally.test-data.ts';
import { getPreset } from '../rules/presets/index.ts';

// SS2 starts: car 1 10:03, car 2 10:04, car 3 10:05, car 4 10:06 (a minute apart). Cars 1 and 2 finish
// (6:01.0 and 6:02.0: at 10:09:01 and 10:10:02) before the red flag at 10:10:30; cars 3 and 4 are stopped.
const facts: Fact[] = [...onTime(1), ...onTime(2), ...onTime(3, { skip: ['SS2'] }), ...onTime(4, { skip: ['SS2'] })];
const red = (more: Partial<Extract<Fact, { type: 'stageInterrupted' }>> = {}): Fact => ({
  type: 'stageInterrupted', id: 'red-ss2', stage: 'SS2', reason: 'car 4 off the road, stage red-flagged', notionalTimes: [],
  at: `${LAB_DAY1}T10:10:30`, responsible: [4], ...more,
} as Fact);

describe('MSUK 4.37: the fastest time set at the moment of interruption', () => {
  const state = score(labRally('msuk'), labRules('msuk'), [...facts, red()]);
  const p = notionalProposals(state, 'SS2');

  test('candidates are the times set before the red flag, fastest first', () => {
    assert.deepEqual(p.candidates.map((c) => [c.car, c.timeMs, c.rank]), [[1, 361_000, 1], [2, 362_000, 2]]);
    assert.equal(p.method.value, 'fastestAtInterruption');
  });

  test('car 3 is proposed the fastest, with its basis; car 4 (responsible) is proposed nothing (MSUK 4.36)', () => {
    const by = new Map(p.proposals.map((x) => [x.car, x]));
    assert.equal(by.get(3)!.proposedMs, 361_000);
    assert.match(by.get(3)!.basis, /MSUK 4\.37: the fastest time set before the interruption at 10:10:30: car 1 6:01/);
    assert.equal(by.get(4)!.proposedMs, null);
    assert.equal(by.get(4)!.responsible, true);
    assert.equal(by.has(1), false, 'a crew with its own time set before the interruption is not affected');
  });

  test('the Clerk confirms by superseding the interruption with the times; scoring uses them', () => {
    const confirmed = { ...red(), id: 'red-ss2-times', supersedes: 'red-ss2', notionalTimes: [{ car: 3, time: '6:01' }] } as Fact;
    const s2 = score(labRally('msuk'), labRules('msuk'), [...facts, red(), confirmed]);
    assert.equal(stageResults(s2, 'SS2').rows.find((r) => r.car === 3)!.timeMs, 361_000);
    assert.equal(notionalProposals(s2, 'SS2').proposals.find((x) => x.car === 3)!.givenMs, 361_000);
  });
});

test('MSUK 4.38: red-flagged before anyone completed it, then restarted: the first time completed after the restart', () => {
  const s = score(labRally('msuk'), labRules('msuk'), [...facts, red({ at: `${LAB_DAY1}T10:03:15`, restartedAt: `${LAB_DAY1}T10:03:30` })]);
  const p = notionalProposals(s, 'SS2');
  // Car 1 started before the restart; car 2 (started 10:04) is the first to complete after it.
  assert.deepEqual(p.candidates.map((c) => c.car), [2]);
  assert.match(p.proposals.find((x) => x.car === 1)!.basis, /MSUK 4\.38: the first time completed after the restart at 10:03:30: car 2/);
});

test('ARA 2026.1 (Rally America practice, unconfirmed): the worst time before the stoppage; the worst three are candidates', () => {
  // ARA 2026.2 has the Clerk give the time (shown by ARA's published results: a shared time no other time gives).
  const s = score(labRally('ara'), getPreset('ara', '2026.1')!, [...facts, red()]);
  const p = notionalProposals(s, 'SS2');
  assert.equal(p.method.confirmed, false);
  assert.deepEqual(p.candidates.map((c) => c.car), [2, 1]);
  assert.equal(p.proposals.find((x) => x.car === 3)!.proposedMs, 362_000);
});

test('FIA: the Clerk gives the fairest time — candidates listed, nothing proposed', () => {
  const s = score(labRally('fia'), labRules('fia'), [...facts, red()]);
  const p = notionalProposals(s, 'SS2');
  assert.deepEqual(p.candidates.map((c) => c.car), [1, 2]);
  assert.equal(p.proposals.find((x) => x.car === 3)!.proposedMs, null);
});

test('a responsible crew that finished keeps its own time even if the Clerk gives it a faster notional time (MSUK 4.36, FMU26 Art 52.1)', () => {
  const withOwn = [...onTime(1), ...onTime(2), ...onTime(3, { skip: ['SS2'] }), ...onTime(4)];
  const given = red({ responsible: [4], notionalTimes: [{ car: 4, time: '5:00' }, { car: 3, time: '6:01' }] });
  const s = score(labRally('fia'), labRules('fia'), [...withOwn, given]);
  assert.equal(stageResults(s, 'SS2').rows.find((r) => r.car === 4)!.timeMs, 364_000);
  assert.equal(classify(s).rows.find((r) => r.car === 3)!.status, 'finished');
});

describe('stage times without a time of day (stageTime facts): who ran before the interruption comes from the running order', () => {
  // SS2 timed by a device that gives stage times only; cars run it in the leg's start order (car-number order here, one minute apart).
  const st = (car: number, time: string): Fact => ({ type: 'stageTime', id: `st-${car}-SS2`, car, stage: 'SS2', time });

  test('MSUK 4.37: the fastest time of the crews ahead of the first crew without a time; a later crew\'s faster time is not a candidate', () => {
    // Cars 1 and 2 ran (6:05.0, 6:02.0); the stage stopped with car 3 on it; car 4 ran later (5:58.0).
    const s = score(labRally('msuk'), labRules('msuk'), [st(1, '6:05.0'), st(2, '6:02.0'), st(4, '5:58.0'), red({ responsible: [] })]);
    const p = notionalProposals(s, 'SS2');
    assert.deepEqual(p.candidates.map((c) => [c.car, c.timeMs]), [[2, 362_000], [1, 365_000]]);
    const by = new Map(p.proposals.map((x) => [x.car, x]));
    assert.equal(by.get(3)!.proposedMs, 362_000);
    assert.match(by.get(3)!.basis, /MSUK 4\.37: the fastest time set before the interruption .*: car 2 6:02/);
    assert.equal(by.has(4), false, 'a crew with its own time is not affected');
    assert.ok(p.notes.some((n) => /no time of day .* the times of the crews that start before car 3/.test(n)), p.notes.join(' | '));
  });

  test('MSUK 4.38: red-flagged before anyone completed it, restarted: the first to complete in elapsed order (start place + time), not the fastest', () => {
    // Car 1 stopped; after the restart car 2 (starts +1:00) 6:10.0 completes at +7:10, car 3 (+2:00) 6:00.0 at +8:00, car 4 (+3:00) 6:20.0 at +9:20.
    const facts = [st(2, '6:10.0'), st(3, '6:00.0'), st(4, '6:20.0'), red({ responsible: [], at: `${LAB_DAY1}T10:03:15`, restartedAt: `${LAB_DAY1}T10:03:30` })];
    const p = notionalProposals(score(labRally('msuk'), labRules('msuk'), facts), 'SS2');
    assert.deepEqual(p.candidates.map((c) => c.car), [2, 3, 4]);
    const car1 = p.proposals.find((x) => x.car === 1)!;
    assert.equal(car1.proposedMs, 370_000);
    assert.match(car1.basis, /MSUK 4\.38: the first time completed after the restart at 10:03:30 \(elapsed order: start place \+ stage time\): car 2 6:10/);
  });

  test('a stored start list sets the running order: leg 1 run 4, 3, 2, 1 puts car 1 (no time) last, so cars 4, 3, 2 ran before it (MSUK 4.37)', () => {
    const def = { ...labRally('msuk'), startLists: [{
      leg: 'L1', control: 'TC0', method: 'test: reversed', reason: 'SR', at: '2026-05-08T20:00:00Z', by: 'Results',
      rows: [4, 3, 2, 1].map((car, k) => ({ order: k + 1, car, due: `${LAB_DAY1}T09:0${k}:00`, why: 'reversed' })), notStarting: [],
    }] };
    const facts = [st(2, '6:10.0'), st(3, '6:00.0'), st(4, '6:20.0'), red({ responsible: [] })];
    const p = notionalProposals(score(def, labRules('msuk'), facts), 'SS2');
    assert.deepEqual(p.candidates.map((c) => c.car), [3, 2, 4]);
    assert.equal(p.proposals.find((x) => x.car === 1)!.proposedMs, 360_000);
  });
});
