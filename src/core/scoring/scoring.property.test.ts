// Invariants of scoring on generated rallies (fast-check): the order facts
// arrive in never changes results; a penalty never improves a position;
// positions are 1..n over classified crews; gaps to the leader never decrease
// down the table; a superseded fact has no effect; incremental and full
// scoring agree; replaying twice gives the same result.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Fact } from '../facts.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { applyFact, applyFacts, classify, createState, score, stageResults, type ScoringState } from './index.ts';
import { generatedDefinition, generatedFacts, seeded } from './generated-rally.ts';

const FIA = getPreset('fia') as RuleSet;
const RUNS = { numRuns: 40 };

interface World { def: ReturnType<typeof generatedDefinition>; facts: Fact[] }

/** A small generated rally plus field-wide facts (a cancelled or interrupted stage, an exclusion) now and then. */
const world = fc.record({ seed: fc.integer({ min: 1, max: 1_000_000 }), controlTimes: fc.boolean(), extras: fc.boolean() }).map(({ seed, controlTimes, extras }): World => {
  const o = { cars: 10, stages: 6, controlTimes, superSpecialFirst: seed % 2 === 0 };
  const def = generatedDefinition(o);
  const facts = generatedFacts(def, seed, o);
  if (extras) {
    facts.push({ type: 'stageCancelled', id: 'cancel', seq: 10_001, stage: 'SS4', reason: 'snow' });
    facts.push({ type: 'stageInterrupted', id: 'stop', seq: 10_002, stage: 'SS5', reason: 'blocked', notionalTimes: [{ car: 3, time: '6:00.0' }] });
    facts.push({ type: 'exclusion', id: 'excl', seq: 10_003, car: 7, reason: 'lights' });
  }
  return { def, facts };
});

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const rnd = seeded(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Everything a reader sees, without the entry objects (same in every run). */
function results(s: ScoringState): unknown {
  const c = (o?: Parameters<typeof classify>[1]) => {
    const x = classify(s, o);
    return { after: x.after, rows: x.rows.map(({ entry: _e, ...r }) => r), winners: x.stageWinners, retired: x.retired, excluded: x.excluded };
  };
  return {
    final: c(), afterSS3: c({ after: 'SS3' }), leg2: c({ leg: 'L2' }), classB: c({ class: 'B' }),
    stages: s.definition.stages.map((st) => stageResults(s, st.code).rows.map(({ entry: _e, ...r }) => r)),
  };
}

describe('scoring properties (generated 10-car × 6-stage rallies)', () => {
  test('the order in which facts arrive never changes results', () => {
    fc.assert(fc.property(world, fc.integer(), ({ def, facts }, seed) => {
      assert.deepEqual(results(score(def, FIA, shuffle(facts, seed))), results(score(def, FIA, facts)));
    }), RUNS);
  });

  test('replaying the log twice gives the same result', () => {
    fc.assert(fc.property(world, ({ def, facts }) => {
      assert.deepEqual(results(score(def, FIA, facts)), results(score(def, FIA, facts)));
    }), RUNS);
  });

  test('incremental scoring (classifying after every fact) agrees with scoring the whole log', () => {
    fc.assert(fc.property(world, fc.integer(), ({ def, facts }, seed) => {
      let s = createState(def, FIA);
      for (const f of shuffle(facts, seed)) {
        s = applyFact(s, f);
        classify(s);
        classify(s, { after: 'SS2' });
      }
      assert.deepEqual(results(s), results(score(def, FIA, facts)));
    }), { numRuns: 20 });
  });

  test('folding facts in batches (applyFacts) agrees with folding them one by one (applyFact), classifying in between', () => {
    fc.assert(fc.property(world, fc.integer(), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 40 }), ({ def, facts }, seed, sizes) => {
      const order = shuffle(facts, seed);
      let batched = createState(def, FIA), single = createState(def, FIA);
      for (let at = 0, k = 0; at < order.length; k++) {
        const batch = order.slice(at, at + sizes[k % sizes.length]!);
        at += batch.length;
        batched = applyFacts(batched, batch);
        for (const f of batch) single = applyFact(single, f);
        // Warm caches between batches, as a live server does, so invalidation is exercised too.
        if (k % 2 === 0) { classify(batched); classify(batched, { after: 'SS2' }); }
      }
      assert.equal(batched.factCount, order.length);
      assert.deepEqual(results(batched), results(single));
    }), { numRuns: 20 });
  });

  test('positions are 1..n over classified crews, and gaps to the leader never decrease down the table', () => {
    fc.assert(fc.property(world, fc.constantFrom(undefined, 'SS2', 'SS6'), ({ def, facts }, after) => {
      const rows = classify(score(def, FIA, facts), after ? { after } : {}).rows;
      const classified = rows.filter((r) => r.position !== null);
      assert.deepEqual(classified.map((r) => r.position), classified.map((_, i) => i + 1));
      assert.ok(rows.slice(classified.length).every((r) => r.position === null), 'unclassified crews come after the classified ones');
      for (let i = 1; i < classified.length; i++) {
        assert.ok((classified[i]!.gapToLeaderMs ?? 0) >= (classified[i - 1]!.gapToLeaderMs ?? 0));
        assert.ok(classified[i]!.totalMs >= classified[i - 1]!.totalMs);
      }
    }), RUNS);
  });

  test('a penalty never improves a crew\'s position', () => {
    fc.assert(fc.property(world, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 600 }), fc.constantFrom<string | undefined>(undefined, 'SS1', 'SS3', 'SS6'), ({ def, facts }, car, seconds, stage) => {
      const before = score(def, FIA, facts);
      const after = applyFact(before, { type: 'penalty', id: 'extra', car, seconds, reason: 'test', ...(stage ? { stage } : {}) });
      for (const opts of [{}, { after: 'SS3' }, { class: def.entries[car - 1]!.class }]) {
        const p0 = classify(before, opts).rows.find((r) => r.car === car)?.position ?? null;
        const p1 = classify(after, opts).rows.find((r) => r.car === car)?.position ?? null;
        if (p0 === null) assert.equal(p1, null);
        else if (p1 !== null) assert.ok(p1 >= p0, `car ${car}: ${p0} → ${p1}`);
      }
    }), RUNS);
  });

  test('a superseded fact has no effect: a correction scores as if the original had never been recorded', () => {
    fc.assert(fc.property(world, fc.nat(), fc.integer({ min: 1, max: 9_000 }), ({ def, facts }, pick, deltaMs) => {
      const times = facts.filter((f) => (f.type === 'stageTime' || f.type === 'controlTime') && f.supersedes === undefined && !facts.some((g) => g.supersedes === f.id));
      if (times.length === 0) return;
      const original = times[pick % times.length]!;
      const correction: Fact = original.type === 'stageTime'
        ? { ...original, id: 'fix', seq: 20_000, supersedes: original.id, reason: 'checked', time: `9:${String(10 + (deltaMs % 49)).padStart(2, '0')}.${deltaMs % 10}` }
        : { ...original, id: 'fix', seq: 20_000, supersedes: original.id, reason: 'checked' } as Fact;
      const withBoth = score(def, FIA, [...facts, correction]);
      const withoutOriginal = score(def, FIA, [...facts.filter((f) => f.id !== original.id), correction]);
      assert.deepEqual(results(withBoth), results(withoutOriginal));
      const retracted = score(def, FIA, [...facts, { type: 'retraction', id: 'ret', supersedes: original.id, reason: 'void' }]);
      assert.deepEqual(results(retracted), results(score(def, FIA, facts.filter((f) => f.id !== original.id))));
    }), RUNS);
  });
});
