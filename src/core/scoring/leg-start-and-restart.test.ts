// Lateness at the first control of a leg (the start, the restart out of
// overnight parc fermé) is judged like any time control, and a crew retired
// for exceeding maximum lateness restarts only where the rules allow.
// SEE: rally-rules §1 (due time), §2.2 (10 s per minute late, 60 s per minute
// early — FMU26 Art 44.2.10), §2.3 (max lateness 15 min per target ⇒ retired;
// restart only after the next overnight regroup — FMU26 Arts 45.1–45.3, 54),
// §4.2 (restart limits).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import { classify, dataIssues, explain, formatWorkings, score } from './index.ts';
import { at, labRally, labRules, onTime } from './lab-rally.test-data.ts';

const FIA = labRules('fia');
const others = [1, 3, 4].flatMap((c) => onTime(c));
/** Car 2 (second in the start order: due 1 minute after the first car) with its leg-start time replaced; its day runs `late` minutes behind. */
function car2(control: 'TC0' | 'TC4', day: 1 | 2, hms: string, late: number): Fact[] {
  return [...onTime(2, { skip: [control], ...(day === 1 ? { late1: late } : { late2: late }) }), at(2, control, day, hms)];
}

describe('the start of the rally (TC0: first car due 09:00, car 2 due 09:01) — FMU26 Art 44.2.10', () => {
  test('3 minutes late at the start: 30 s, with the due time worked out in the workings', () => {
    const state = score(labRally(), FIA, [...others, ...car2('TC0', 1, '09:04:10', 3)]);
    const row = classify(state).rows.find((r) => r.car === 2)!;
    assert.equal(row.roadPenaltyMs, 30_000);
    const text = formatWorkings(explain(state, 2));
    assert.match(text, /road penalty at TC0: due 09:01, checked in 09:04, 3 min late/);
  });

  test('2 minutes early at the start: 2 minutes (60 s per minute early)', () => {
    const state = score(labRally(), FIA, [...others, ...car2('TC0', 1, '08:59:30', -2)]);
    assert.equal(classify(state).rows.find((r) => r.car === 2)!.roadPenaltyMs, 120_000);
  });

  test('16 minutes late at the start exceeds 15 minutes: retired there, with a data-quality finding that says why', () => {
    const state = score(labRally(), FIA, [...others, ...car2('TC0', 1, '09:17:00', 16)]);
    const row = classify(state).rows.find((r) => r.car === 2)!;
    assert.equal(row.status, 'retired');
    const issue = dataIssues(state).find((i) => i.code === 'max-lateness-exceeded' && i.car === 2);
    assert.ok(issue);
    assert.match(issue.detail, /16 min late at TC0/);
  });
});

describe('the restart out of overnight parc fermé (TC4: first car due 09:00 on day 2)', () => {
  test('5 minutes late out of parc fermé: 50 s', () => {
    const state = score(labRally(), FIA, [...others, ...car2('TC4', 2, '09:06:00', 5)]);
    assert.equal(classify(state).rows.find((r) => r.car === 2)!.roadPenaltyMs, 50_000);
  });

  test('under ARA (no figure published, FIA values assumed and flagged) the same lateness is judged too', () => {
    const state = score(labRally('ara'), labRules('ara'), [...[1, 3, 4].flatMap((c) => onTime(c)), ...car2('TC4', 2, '09:06:00', 5)]);
    assert.equal(classify(state).rows.find((r) => r.car === 2)!.roadPenaltyMs, 50_000);
  });
});

describe('restart after exceeding maximum lateness (FMU26 Arts 45.1–45.3, 54: only after the next overnight regroup)', () => {
  // Car 2 is 16 min late at TC2 (section A, leg 1): retired there. It asks to restart at section B (same leg), or at leg 2.
  const late = onTime(2, { skip: ['SS2S', 'SS2', 'TC3', 'SS3S', 'SS3', 'TC3A'], lateFrom: { control: 'TC2', minutes: 16 } });
  const restartAt = (section: string): Fact => ({ type: 'restart', id: `rs-${section}`, car: 2, section });

  test('a restart at the next section of the same leg is not honoured; the finding says why', () => {
    const state = score(labRally(), FIA, [...others, ...late, restartAt('B')]);
    const issue = dataIssues(state).find((i) => i.code === 'restart-not-allowed' && i.car === 2);
    assert.ok(issue, 'a restart-not-allowed finding');
    assert.match(issue.detail, /exceeded maximum lateness at TC2 in leg L1: it may restart only after the next overnight regroup/);
    assert.equal(classify(state).rows.find((r) => r.car === 2)!.status, 'retired');
  });

  test('a restart at leg 2 (after the overnight regroup) is honoured; missed stages charged under Super Rally', () => {
    const state = score(labRally(), FIA, [...others, ...late, restartAt('L2')]);
    assert.equal(dataIssues(state).filter((i) => i.car === 2 && i.code === 'restart-not-allowed').length, 0);
    const row = classify(state).rows.find((r) => r.car === 2)!;
    assert.equal(row.status, 'finished');
  });

  test('rules that allow the next section (restartAfterMaxLateness nextSection) honour the same-leg restart', () => {
    const inB = onTime(2, { skip: ['SS2S', 'SS2'], lateFrom: { control: 'TC2', minutes: 16 } });
    const state = score(labRally(), labRules('fia', { restartAfterMaxLateness: 'nextSection' }), [...others, ...inB, restartAt('B')]);
    assert.equal(dataIssues(state).filter((i) => i.car === 2 && i.code === 'restart-not-allowed').length, 0);
    assert.equal(classify(state).rows.find((r) => r.car === 2)!.status, 'finished');
  });

  test('a crew retired by its own retirement fact (not for lateness) may restart at the next section (FMU26 Art 54)', () => {
    const facts = [...others, ...onTime(2, { skip: ['SS2', 'TC3', 'SS3S', 'SS3', 'TC3A'] }),
      { type: 'retirement', id: 'ret2', car: 2, where: 'SS2', reason: 'puncture' } as Fact, restartAt('B')];
    const state = score(labRally(), FIA, facts);
    assert.equal(dataIssues(state).filter((i) => i.car === 2 && i.code === 'restart-not-allowed').length, 0);
  });
});
