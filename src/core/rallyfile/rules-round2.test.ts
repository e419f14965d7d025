// The rally file carries the facts and fields the round-2 rules need: a stage's
// bogey and maximum, a main time control, the stage-maximum and delayed-start
// decisions, and an interruption's time, restart and responsible crews.
// SEE: rally-rules §3.3 (MSUK26 App 13 Arts 9.1, 11.1; App 8 (c)), §2.2 (FMU26 Art 48.4), §3.4, §1 (App 13 Art 10.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRallyFile, validateFact } from './parse.ts';
import { RALLY_FILE_FORMAT, RALLY_FILE_VERSION } from './schema.ts';
import { LAB_DAY1, labRally, onTime } from '../scoring/lab-rally.test-data.ts';

const def = labRally('msuk', { bogeyMs: 300_000, maximumMs: 600_000 });
def.legs[0]!.sections[0]!.controls[0] = { ...def.legs[0]!.sections[0]!.controls[0]!, main: true };

test('a file with bogey, maximum, a main time control and the new decisions parses and keeps every field', () => {
  const facts = [
    ...onTime(1),
    { type: 'stageMaximumCharged', id: 'max-1', car: 1, stage: 'SS1', reason: 'missed a chicane', rule: 'MSUK26 App 8 (c)' },
    { type: 'delayedStart', id: 'del-1', car: 1, stage: 'SS2', reason: 'late to the line', delayMs: 70_000, afterSignalMs: 5_000 },
    { type: 'stageInterrupted', id: 'red', stage: 'SS3', reason: 'red flag', notionalTimes: [], at: `${LAB_DAY1}T10:50:00`, restartedAt: `${LAB_DAY1}T11:10:00`, responsible: [2] },
  ];
  const r = parseRallyFile({ format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: def, facts });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  assert.equal(r.file.rally.stages[0]!.bogeyMs, 300_000);
  assert.equal(r.file.rally.legs[0]!.sections[0]!.controls[0]!.main, true);
  assert.deepEqual(r.file.facts.slice(-3), facts.slice(-3));
});

test('the new decisions name a stage of the rally and a car on the entry list, or are refused by field', () => {
  const bad = validateFact(def, { type: 'stageMaximumCharged', id: 'x', car: 1, stage: 'SS9', reason: 'r' });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.errors.some((e) => e.path === '$.stage'));
  const noReason = validateFact(def, { type: 'delayedStart', id: 'y', car: 1, stage: 'SS1' });
  assert.ok(!noReason.ok && noReason.errors.some((e) => e.path === '$.reason'));
  const who = validateFact(def, { type: 'stageInterrupted', id: 'z', stage: 'SS1', reason: 'r', notionalTimes: [], responsible: [99] });
  assert.ok(!who.ok && who.errors.some((e) => e.path.startsWith('$.responsible')));
});
