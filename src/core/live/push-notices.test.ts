// Push notifications for a followed crew, composed from the Sno*Drift 2026
// fixture's own facts: the stage time is the finish minus the start as the
// marshals' clocks recorded them, the place counts the crews faster at that
// moment, and the penalty and retirement say what the officials wrote.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ControlTimeRecorded, Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { resolveRules } from '../rules/resolve.ts';
import { classify, score, stageResults } from '../scoring/index.ts';
import { parseLocalDateTime } from '../time/local-time.ts';
import { formatDuration } from '../time/duration.ts';
import { fixturePath } from '../../testing/fixtures.ts';
import { ordinal, pushNotices, type NoticeContext } from './push-notices.ts';

const file = JSON.parse(readFileSync(fixturePath('fixtures/snodrift-2026.rally.json'), 'utf8')) as { rally: RallyDefinition; facts: Fact[] };
const def = file.rally;
const { rules } = resolveRules(def.rules);
const finishes = new Map(def.legs.flatMap((l) => l.sections.flatMap((s) => s.controls)).filter((c) => c.kind === 'SS_FINISH' && c.stage).map((c) => [c.id, c.stage!]));

function context(facts: readonly Fact[]): NoticeContext {
  const state = score(def, rules, facts);
  const c = classify(state);
  return {
    rallyId: def.id,
    rallyName: def.name,
    finishOf: (control) => finishes.get(control),
    crew(car) {
      const entry = def.entries.find((e) => e.car === car);
      if (!entry) return null;
      return {
        entry,
        stage: (code) => stageResults(state, code),
        stageRunning: (code) => stageResults(state, code).rows.some((r) => r.status === 'running'),
        retired: () => c.retired.find((r) => r.car === car),
      };
    },
  };
}

const ct = (f: Fact): f is ControlTimeRecorded => f.type === 'controlTime';
const at = (control: string, car: number) => parseLocalDateTime(file.facts.filter(ct).find((f) => f.control === control && f.car === car)!.at)!;

describe('push notices for a followed crew', () => {
  test('a stage finish while others are on the stage: the time from the marshals\' clocks, the place "so far"', () => {
    const ss16f = file.facts.filter(ct).filter((f) => f.control === 'SS16F');
    const upto = file.facts.indexOf(ss16f[3]!);
    const facts = file.facts.slice(0, upto + 1);
    const finish = ss16f[3]!;
    const ms = at('SS16F', finish.car) - at('SS16S', finish.car);
    const faster = ss16f.slice(0, 3).filter((f) => at('SS16F', f.car) - at('SS16S', f.car) < ms).length;
    const [n, ...rest] = pushNotices(context(facts), [finish]);
    assert.equal(rest.length, 0);
    assert.equal(n!.kind, 'stage-time');
    assert.equal(n!.car, finish.car);
    assert.match(n!.title, new RegExp(`^#${finish.car} .+ · SS16 `));
    assert.ok(n!.body.startsWith(formatDuration(ms)), n!.body);
    assert.match(n!.body, faster === 0 ? /fastest so far/ : new RegExp(`${ordinal(faster + 1)} so far \\(\\+`));
    assert.equal(n!.url, `/rally.html?id=${def.id}&view=crew&car=${finish.car}`);
  });

  test('the last crew through: places are final, no "so far"', () => {
    const last = file.facts.filter(ct).filter((f) => f.control === 'SS16F').at(-1)!;
    const [n] = pushNotices(context(file.facts), [last]);
    assert.ok(n);
    assert.doesNotMatch(n.body, /so far/);
  });

  test('a split or a stage start tells nothing; one notice per crew and stage', () => {
    const start = file.facts.filter(ct).find((f) => f.control === 'SS16S')!;
    assert.deepEqual(pushNotices(context(file.facts), [start]), []);
    const finish = file.facts.filter(ct).find((f) => f.control === 'SS16F')!;
    assert.equal(pushNotices(context(file.facts), [finish, finish]).length, 1);
  });

  test('the penalty says how much, where and the officials\' reason', () => {
    const pen = file.facts.find((f) => f.type === 'penalty')!;
    const [n] = pushNotices(context(file.facts), [pen]);
    assert.equal(n!.kind, 'penalty');
    assert.equal(n!.body, '1:00.0 at TC10: Speeding on the road section to TC10 (police radar report)');
  });

  test('a retirement says where and why; one the classification does not hold says nothing', () => {
    const ret = file.facts.find((f) => f.type === 'retirement' && f.car === 47)!;
    const [n] = pushNotices(context(file.facts), [ret]);
    assert.equal(n!.kind, 'retirement');
    assert.match(n!.body, /^Retired at SS5: Engine failure/);
    // Before the retirement is in the log, the classification does not have it: nothing to say.
    assert.deepEqual(pushNotices(context(file.facts.filter((f) => f !== ret)), [ret]), []);
  });

  test('ordinals', () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
  });
});
