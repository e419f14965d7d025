// Dead heats beyond the cited tie-break. rally-rules §5: FMU26 Art 64.3 decides on
// the first stage that is not a super special; what happens when that stage is
// tied too is [NF] (§10 item 5) — unconfirmed, preset value `tieBreakThen`
// overridable — and when every stage is tied no rule was found at all: the preset
// value `tieBreakLast` (unconfirmed, overridable) places the lower car number first,
// or lets the crews share the position, and the workings say which.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import { classify, explain, score } from './index.ts';
import { generatedDefinition } from './generated-rally.ts';

const FIA = getPreset('fia') as RuleSet;

/** Four stages, SS1 a super special; entries listed 3, 2, 1 so entry order cannot pass for car order. */
function rally(): RallyDefinition {
  const def = generatedDefinition({ cars: 3, stages: 4, superSpecialFirst: true });
  return { ...def, entries: [...def.entries].reverse() };
}

const times = (car: number, t: string[]): Fact[] => t.map((time, i) => ({ type: 'stageTime', id: `c${car}s${i + 1}`, car, stage: `SS${i + 1}`, time }));
const car1 = times(1, ['2:00.0', '5:00.0', '5:00.0', '5:00.0']); // 17:00.0, well ahead
const tieStep = (s: ReturnType<typeof score>, car: number) => explain(s, car).steps.find((x) => x.label.startsWith('dead heat'));

describe('dead heat, every stage equal: lower car number first ([NF] unconfirmed, rally-rules §5 and §10.5)', () => {
  const equal = ['2:10.0', '5:10.0', '5:10.0', '5:10.0'];
  for (const [label, facts] of [['car 3 logged first', [...car1, ...times(3, equal), ...times(2, equal)]], ['car 2 logged first', [...car1, ...times(2, equal), ...times(3, equal)]]] as const) {
    test(`cars 2 and 3 equal on total and on every stage (${label}): car 2 is 2nd, car 3 3rd`, () => {
      const s = score(rally(), FIA, facts);
      assert.deepEqual(classify(s).rows.map((r) => [r.car, r.position]), [[1, 1], [2, 2], [3, 3]]);
    });
  }

  test('the workings of both cars say every stage was equal, cite no rule, and are flagged unconfirmed', () => {
    const s = score(rally(), FIA, [...car1, ...times(3, equal), ...times(2, equal)]);
    for (const [car, other] of [[2, 3], [3, 2]] as const) {
      const step = tieStep(s, car);
      assert.equal(step?.label, `dead heat with car ${other}: every stage equal`);
      assert.match(step?.rule ?? '', /dead heat on every stage: not found: the lower car number is placed first/);
      assert.equal(explain(s, car).rules.find((r) => r.key === 'tieBreakLast')?.confirmed, false, 'the preset value that decided it is listed, unconfirmed');
      assert.equal(step?.confirmed, false);
      const then = explain(s, car).rules.find((r) => r.key === 'tieBreakThen');
      assert.equal(then?.confirmed, false, 'the "then" rule is listed as unconfirmed for a steward to see');
    }
  });
});

describe('dead heat tied on the first non-super-special stage too: the next stage decides ([NF] unconfirmed, preset value tieBreakThen overridable)', () => {
  // Totals 17:30.0 each; SS1 (super special) differs but FMU26 Art 64.3 skips it; SS2 equal; SS3: car 3 faster.
  const facts = [...car1, ...times(2, ['2:10.0', '5:10.0', '5:06.0', '5:04.0']), ...times(3, ['2:14.0', '5:10.0', '5:02.0', '5:04.0'])];

  test('order SS2, SS3, SS4, SS1: SS2 is tied, SS3 puts car 3 ahead; the workings flag the unconfirmed "next stage" reading', () => {
    const s = score(rally(), FIA, facts);
    assert.deepEqual(classify(s).rows.map((r) => r.car), [1, 3, 2]);
    const step = tieStep(s, 2);
    assert.equal(step?.label, 'dead heat with car 3: decided on SS3');
    assert.equal(step?.confirmed, false);
    assert.match(step?.rule ?? '', /64\.3/);
    assert.equal(explain(s, 2).rules.find((r) => r.key === 'tieBreakThen')?.confirmed, false);
  });

  test('a supplementary regulation that states the "then" rule overrides the preset value and the step becomes confirmed', () => {
    const { rules, errors } = resolveRules({ preset: 'fia', version: FIA.version, overrides: { tieBreakThen: { value: 'nextStage', rule: 'SR 14.2: then the next stage' } } });
    assert.deepEqual(errors, []);
    const s = score(rally(), rules, facts);
    assert.deepEqual(classify(s).rows.map((r) => r.car), [1, 3, 2]);
    const step = tieStep(s, 2);
    assert.equal(step?.confirmed, true);
    assert.match(step?.rule ?? '', /SR 14\.2/);
  });

  test('decided on the first non-super-special stage itself (FMU26 Art 64.3): confirmed, no "then" rule relied on', () => {
    const decided = [...car1, ...times(2, ['2:10.0', '5:08.0', '5:08.0', '5:04.0']), ...times(3, ['2:10.0', '5:10.0', '5:06.0', '5:04.0'])];
    const s = score(rally(), FIA, decided);
    assert.deepEqual(classify(s).rows.map((r) => r.car), [1, 2, 3]);
    assert.equal(tieStep(s, 3)?.label, 'dead heat with car 2: decided on SS2');
    assert.equal(tieStep(s, 3)?.confirmed, true);
    assert.equal(explain(s, 3).rules.some((r) => r.key === 'tieBreakThen'), false);
  });
});

describe('dead heat on every stage with tieBreakLast overridden to "shared" by the regulations', () => {
  const { rules, errors } = resolveRules({ preset: 'fia', version: FIA.version, overrides: { tieBreakLast: { value: 'shared', rule: 'SR 14.3: crews equal on every stage are classified ex aequo' } } });
  const equal = ['2:10.0', '5:10.0', '5:10.0', '5:10.0'];
  /** All three cars in one class, so the class positions show the sharing too. */
  const oneClass = (): RallyDefinition => { const d = rally(); return { ...d, entries: d.entries.map((x) => ({ ...x, class: d.entries[0]!.class })) }; };
  const s = score(oneClass(), rules, [...car1, ...times(3, equal), ...times(2, equal)]);

  test('cars 2 and 3 share 2nd place overall and in their class; car order stays by number', () => {
    assert.deepEqual(errors, []);
    const rows = classify(s).rows;
    assert.deepEqual(rows.map((r) => [r.car, r.position]), [[1, 1], [2, 2], [3, 2]]);
    assert.deepEqual(rows.map((r) => r.classPosition), [1, 2, 2]);
    assert.deepEqual(classify(s, { class: rows[1]!.entry.class }).rows.filter((r) => r.car !== 1).map((r) => r.position), [2, 2]);
  });

  test('the workings cite the regulation and say the crews share the position, confirmed', () => {
    const step = tieStep(s, 3);
    assert.equal(step?.rule, 'SR 14.3: crews equal on every stage are classified ex aequo: the crews share the position');
    assert.equal(explain(s, 3).rules.find((r) => r.key === 'tieBreakLast')?.confirmed, true);
  });

  test('a tie decided on a stage is not shared: car 2 quicker on SS2 stays ahead', () => {
    const decided = score(rally(), rules, [...car1, ...times(3, ['2:10.0', '5:11.0', '5:09.0', '5:10.0']), ...times(2, equal)]);
    assert.deepEqual(classify(decided).rows.map((r) => [r.car, r.position]), [[1, 1], [2, 2], [3, 3]]);
  });
});
