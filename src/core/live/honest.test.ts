// The honest live table on the Sno*Drift 2026 fixture: a stage half run never
// becomes the overall table (issue: "After SS12" ranked only the crews that had
// finished and dropped the real leader below them).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { StageRow } from '../results.ts';
import { resolveRules } from '../rules/resolve.ts';
import { classify, score, stageResults, type ScoringState } from '../scoring/index.ts';
import { fixturePath } from '../../testing/fixtures.ts';
import { honestPicture, provisionalStagePosition, splitCells, stageComplete } from './honest.ts';

const file = JSON.parse(readFileSync(fixturePath('fixtures/snodrift-2026.rally.json'), 'utf8')) as { rally: RallyDefinition; facts: Fact[] };
const def = file.rally;
const { rules } = resolveRules(def.rules);

function picture(state: ScoringState) {
  return honestPicture({
    stageCodes: def.stages.map((s) => s.code),
    latest: classify(state),
    stage: (c) => stageResults(state, c),
    classifyAfter: (c) => classify(state, { after: c }),
  });
}

/** The log up to (not including) the first finish at SS16 of a car other than the first `n` to finish. */
function midSs16(n: number): Fact[] {
  const out: Fact[] = [];
  let finishes = 0;
  for (const f of file.facts) {
    if (f.type === 'controlTime' && f.control === 'SS16F') {
      if (finishes === n) continue;
      finishes++;
    }
    out.push(f);
  }
  return out;
}

describe('honest live table', () => {
  test('mid-SS16 (3 crews in): the table is after SS15, SS16 is running, and every crew ranked has all of SS1–SS15', () => {
    const state = score(def, rules, midSs16(3));
    // The old default: the classification after the latest stage with any time — a half-run SS16.
    assert.equal(classify(state).after, 'SS16');
    const p = picture(state);
    assert.equal(p.after, 'SS15');
    assert.deepEqual(p.running.map((s) => s.stage.code), ['SS16']);
    const ss16 = p.running[0]!;
    assert.equal(ss16.rows.filter((r) => r.timeMs !== null).length, 3);
    // Ranked crews all counted the same stages: a total over 15 stages is compared only with totals over 15.
    const counted = new Set(p.classification.rows.filter((r) => r.position !== null).map((r) => r.stagesCounted));
    assert.equal(counted.size, 1, `stages counted in the ranked rows: ${[...counted].join(', ')}`);
    // The same table as the official after-SS15 classification.
    assert.deepEqual(p.classification.rows.map((r) => [r.car, r.position, r.totalMs]), classify(state, { after: 'SS15' }).rows.map((r) => [r.car, r.position, r.totalMs]));
  });

  test('once every crew still running is through SS16, the table moves to after SS16 and nothing is running', () => {
    const state = score(def, rules, file.facts);
    const p = picture(state);
    assert.equal(p.after, 'SS16');
    assert.deepEqual(p.running, []);
  });

  test('before any stage is complete, nobody is ranked', () => {
    const firstFinish = file.facts.findIndex((f) => f.type === 'controlTime' && f.control === 'SS1F');
    const state = score(def, rules, file.facts.slice(0, firstFinish + 2));
    const p = picture(state);
    assert.equal(p.after, null);
    assert.ok(p.classification.rows.every((r) => r.position === null));
    assert.deepEqual(p.running.map((s) => s.stage.code), ['SS1']);
  });

  test('a retired crew does not hold a stage back; a crew still running does', () => {
    const state = score(def, rules, file.facts);
    const ss5 = stageResults(state, 'SS5');
    const timed = new Set(ss5.rows.filter((r) => r.timeMs !== null).map((r) => r.car));
    // Car 47 retired on SS5 for good (fixture): no time there, yet SS5 is complete.
    assert.ok(!timed.has(47));
    const inRally = new Set(classify(state).rows.filter((r) => r.status === 'running' || r.status === 'finished').map((r) => r.car));
    assert.ok(!inRally.has(47));
    assert.equal(stageComplete(ss5, inRally), true);
    assert.equal(stageComplete(ss5, new Set([...inRally, 47])), false);
  });
});

describe('splits', () => {
  const row = (car: number, timeMs: number | null, splitsMs: Record<string, number>): StageRow => ({
    position: null, classPosition: null, car, entry: def.entries[0]!, status: timeMs === null ? 'running' : 'ok', timeMs,
    gapToWinnerMs: null, gapToPrevMs: null, penaltyMs: 0, splitsMs,
  });

  test('ranks and gaps at each split, ties share a rank; a crew on the stage takes its rank at its last split', () => {
    const rows = [
      row(1, 300_000, { S1: 100_000, S2: 200_000 }),
      row(2, null, { S1: 99_000 }),
      row(3, null, { S1: 100_000, S2: 198_500 }),
      row(4, null, {}),
    ];
    rows[0]!.position = 1;
    const cells = splitCells(rows, ['S1', 'S2']);
    assert.deepEqual(cells.get(2), [{ control: 'S1', ms: 99_000, rank: 1, gapMs: 0 }]);
    assert.deepEqual(cells.get(1)!.map((c) => [c.rank, c.gapMs]), [[2, 1000], [2, 1500]]);
    assert.deepEqual(cells.get(3)!.map((c) => [c.rank, c.gapMs]), [[2, 1000], [1, 0]]);
    assert.deepEqual(cells.get(4), []);
    assert.equal(provisionalStagePosition(rows[2]!, cells.get(3)!), 1);
    assert.equal(provisionalStagePosition(rows[3]!, cells.get(4)!), null);
    assert.equal(provisionalStagePosition(rows[0]!, cells.get(1)!), 1);
  });
});
