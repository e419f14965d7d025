import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { controlIndex, describeFact, planReplay, startTimes } from './demo.ts';
import type { Fact } from '../../core/facts.ts';
import { definition } from '../../server/live/test-helpers.ts';

const t = (id: string, car: number, control: string, at: string): Fact => ({ id, type: 'controlTime', car, control, at });

describe('rallyhq demo', () => {
  test('speed 30: facts 60 s and 90 s of rally time apart are sent 2 s and 3 s apart', () => {
    const plan = planReplay([t('a', 3, 'SS1S', '2026-02-06T19:00:00'), t('b', 3, 'SS1F', '2026-02-06T19:01:00'), t('c', 7, 'SS1S', '2026-02-06T19:02:30')], 30, 20_000);
    assert.deepEqual(plan.map((p) => p.sendAfterMs), [0, 2_000, 5_000]);
  });

  test('the night between legs (10 h) is cut to --max-gap 20 s; a penalty without a time of day goes with the fact before it', () => {
    const penalty: Fact = { id: 'p', type: 'penalty', car: 3, seconds: 40, reason: '4 min late at TC2' };
    const plan = planReplay([t('a', 3, 'TC2', '2026-02-06T23:00:00'), penalty, t('b', 3, 'TC1', '2026-02-07T09:00:00')], 30, 20_000);
    assert.deepEqual(plan.map((p) => p.sendAfterMs), [0, 0, 20_000]);
  });

  test('a restart first of all (no time of day) goes with the next fact; a penalty recorded 19:10−05:00 is placed at 19:10 Detroit time', () => {
    const restart: Fact = { id: 'r', type: 'restart', car: 45, section: 'L2A' };
    const penalty: Fact = { id: 'p', type: 'penalty', car: 3, seconds: 10, reason: 'late', recordedAt: '2026-02-07T19:10:00-05:00' };
    const plan = planReplay([restart, t('a', 3, 'TC1', '2026-02-07T19:00:00'), penalty], 60, 20_000, 'America/Detroit');
    assert.deepEqual(plan.map((p) => p.atLocalMs - plan[1]!.atLocalMs), [0, 0, 600_000]);
    assert.deepEqual(plan.map((p) => p.sendAfterMs), [0, 0, 10_000]);
  });

  test('a late-synced earlier time does not move the replay clock backwards', () => {
    const plan = planReplay([t('a', 3, 'TC1', '2026-02-06T19:10:00'), t('b', 7, 'TC1', '2026-02-06T19:05:00'), t('c', 9, 'TC1', '2026-02-06T19:11:00')], 60, 20_000);
    assert.deepEqual(plan.map((p) => p.sendAfterMs), [0, 0, 1_000]);
  });

  test('SS1 finish of car 23 at 19:03:45.2 after a 19:00:00 start prints the stage time 3:45.2', () => {
    const facts = [t('s', 23, 'SS1S', '2026-02-06T19:00:00'), t('f', 23, 'SS1F', '2026-02-06T19:03:45.2')];
    const line = describeFact(facts[1]!, controlIndex(definition), startTimes(definition, facts));
    assert.equal(line, 'SS1 finish  car 23  3:45.2');
  });

  test('a TC time prints the whole minute as recorded; a penalty of 40 s prints +40.0', () => {
    const controls = controlIndex(definition);
    assert.equal(describeFact(t('x', 23, 'TC2', '2026-02-06T19:32:00'), controls, new Map()), 'TC2  car 23  19:32:00');
    assert.equal(describeFact({ id: 'p', type: 'penalty', car: 23, seconds: 40, reason: 'late at TC2' }, controls, new Map()), 'penalty  car 23  +40.0  late at TC2');
  });
});
