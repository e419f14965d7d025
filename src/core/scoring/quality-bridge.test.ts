// A jump start recorded by a device (photocell, EZTrak, RallySafe) is evidence;
// only an officials' decision about that jump start settles it (rally-rules §3.2,
// FMU26 Art 48.6: the jump-start penalty is decided, not read off the device).
// Any other penalty the car got on the same stage leaves the evidence open.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { dataIssues, score } from './index.ts';
import { generatedDefinition } from './generated-rally.ts';

const FIA = getPreset('fia') as RuleSet;
const def = generatedDefinition({ cars: 3, stages: 4 });

const base: Fact[] = [1, 2, 3].flatMap((car) => ['SS1', 'SS2'].map((stage, i): Fact => ({ type: 'stageTime', id: `t${car}${stage}`, seq: car * 10 + i, car, stage, time: `6:0${car}.0`, source: 'rallysafe' })));
const photocell: Fact = { type: 'jumpStart', id: 'jump', seq: 100, car: 2, stage: 'SS2', source: 'photocell' };

/** The open "jump start recorded by a device but not penalised" issues, as [car, stage, facts]. */
const open = (facts: Fact[]) => dataIssues(score(def, FIA, facts)).filter((i) => i.code === 'jump-start-not-penalised').map((i) => [i.car, i.stage, i.facts]);

describe('device-recorded jump start: only a decision about the jump start settles it (rally-rules §3.2, FMU26 Art 48.6)', () => {
  test('a photocell jump start alone is an open issue', () => {
    assert.deepEqual(open([...base, photocell]), [[2, 'SS2', ['jump']]]);
  });

  test('an unrelated penalty for the same car on the same stage (speeding in a service zone) leaves it open', () => {
    const speeding: Fact = { type: 'penalty', id: 'speed', seq: 101, car: 2, seconds: 60, reason: 'speeding in the service zone', rule: 'SR 12.4', stage: 'SS2' };
    assert.deepEqual(open([...base, photocell, speeding]), [[2, 'SS2', ['jump']]]);
  });

  test('a jump-start penalty for the same car on the same stage closes it (named in the reason or in the rule)', () => {
    const byReason: Fact = { type: 'penalty', id: 'pj', seq: 101, car: 2, seconds: 10, reason: 'jump start, 1st offence', stage: 'SS2' };
    const byRule: Fact = { type: 'penalty', id: 'pj', seq: 101, car: 2, seconds: 10, reason: 'stewards decision 4', rule: 'FMU26 Art 48.6 jump start', stage: 'SS2' };
    assert.deepEqual(open([...base, photocell, byReason]), []);
    assert.deepEqual(open([...base, photocell, byRule]), []);
  });

  test('rally-rules §3.2 names the offence "Jump start (false start)": a "false start" penalty closes it too', () => {
    const falseStart: Fact = { type: 'penalty', id: 'pf', seq: 101, car: 2, seconds: 10, reason: 'False start, 1st offence', stage: 'SS2' };
    const hyphen: Fact = { type: 'penalty', id: 'pf', seq: 101, car: 2, seconds: 10, reason: "stewards' decision 4", rule: 'false-start rule', stage: 'SS2' };
    assert.deepEqual(open([...base, photocell, falseStart]), []);
    assert.deepEqual(open([...base, photocell, hyphen]), []);
    // "start" alone (a late start at the stage start) is not the offence.
    const lateStart: Fact = { type: 'penalty', id: 'pl', seq: 101, car: 2, seconds: 10, reason: 'late at the stage start', stage: 'SS2' };
    assert.deepEqual(open([...base, photocell, lateStart]), [[2, 'SS2', ['jump']]]);
  });

  test('a penalty that names the device record in `supersedes` decides it, whatever its wording', () => {
    // The penalty replaces the evidence it rules on: the device record is no longer in effect.
    const decided: Fact = { type: 'penalty', id: 'pd', seq: 101, car: 2, seconds: 10, reason: "stewards' decision 4", stage: 'SS2', supersedes: 'jump' };
    assert.deepEqual(open([...base, photocell, decided]), []);
  });

  test('a jump-start penalty for another car, or on another stage, does not close it', () => {
    const otherCar: Fact = { type: 'penalty', id: 'pj3', seq: 101, car: 3, seconds: 10, reason: 'jump start', stage: 'SS2' };
    const otherStage: Fact = { type: 'penalty', id: 'pj1', seq: 102, car: 2, seconds: 10, reason: 'jump start', stage: 'SS1' };
    assert.deepEqual(open([...base, photocell, otherCar, otherStage]), [[2, 'SS2', ['jump']]]);
  });

  test('an official jump-start record for the same stage closes it; retracting the penalty reopens it', () => {
    const official: Fact = { type: 'jumpStart', id: 'jo', seq: 101, car: 2, stage: 'SS2', source: 'official' };
    assert.deepEqual(open([...base, photocell, official]), []);
    const penalty: Fact = { type: 'penalty', id: 'pj', seq: 102, car: 2, seconds: 10, reason: 'jump start', stage: 'SS2' };
    const retracted: Fact = { type: 'retraction', id: 'rx', seq: 103, supersedes: 'pj', reason: 'dismissed on appeal' };
    assert.deepEqual(open([...base, photocell, penalty, retracted]), [[2, 'SS2', ['jump']]]);
  });
});
