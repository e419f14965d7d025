// Scoring speed on a generated 200-car × 30-stage rally (seeded, so every run
// scores the same facts): full scoring from the log, and one new fact folded
// in incrementally followed by a reclassification. Baselines measured in the
// same run: the irreducible work — sum the same stage times per car and sort
// the totals — so the ratio shows the engine's overhead.
import type { BenchResult } from './run.ts';
import { getPreset } from '../src/core/rules/presets/index.ts';
import { applyFact, classify, createState, score, type ScoringState } from '../src/core/scoring/index.ts';
import { generatedDefinition, generatedFacts } from '../src/core/scoring/generated-rally.ts';
import { parseDuration } from '../src/core/time/duration.ts';
import { parseLocalDateTime } from '../src/core/time/local-time.ts';
import { loadavg } from 'node:os';
import type { Fact } from '../src/core/facts.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time of `fn` in ms, and its median CPU time (less disturbed when other processes share the machine). */
function timeBoth(fn: () => void, runs: number, warmup = 3): { wall: number; cpu: number } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}
const time = (fn: () => void, runs: number, warmup = 3): number => timeBoth(fn, runs, warmup).wall;

/** The irreducible work: per car, sum the stage times given (or finish − start); sort the totals. */
function bareTotals(facts: readonly Fact[], cars: number): number[] {
  const totals = new Float64Array(cars + 1);
  for (const f of facts) {
    if (f.type === 'stageTime' && f.supersedes === undefined) totals[f.car] = (totals[f.car] ?? 0) + (parseDuration(f.time) ?? 0);
    else if (f.type === 'controlTime' && f.control.endsWith('F')) totals[f.car] = (totals[f.car] ?? 0) + (parseLocalDateTime(f.at) ?? 0);
    else if (f.type === 'controlTime' && f.control.endsWith('S')) totals[f.car] = (totals[f.car] ?? 0) - (parseLocalDateTime(f.at) ?? 0);
  }
  return Array.from(totals.slice(1)).map((ms, i) => ({ ms, car: i + 1 })).sort((a, b) => a.ms - b.ms || a.car - b.car).map((x) => x.car);
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

export default async (): Promise<BenchResult[]> => {
  const rules = getPreset('fia');
  if (!rules) throw new Error('the fia preset is missing');
  const results: BenchResult[] = [];
  for (const controlTimes of [false, true]) {
    const o = { cars: 200, stages: 30, controlTimes };
    const def = generatedDefinition(o);
    const facts = generatedFacts(def, 2026, o);
    const what = controlTimes ? 'start/finish times of day' : 'device stage times';

    const fullBoth = timeBoth(() => { classify(score(def, rules, facts)); }, 21);
    const full = fullBoth.wall;
    const bare = time(() => { bareTotals(facts, o.cars); }, 21);
    results.push({
      name: `full scoring, 200 cars × 30 stages, ${facts.length} facts (${what})`,
      figure: `median ${fmt(full)} (cpu ${fmt(fullBoth.cpu)}, load ${loadavg()[0]!.toFixed(1)})`, baseline: `sum + sort ${fmt(bare)}`, ratio: full / bare,
      target: '< 20 ms', met: full < 20,
    });

    // Incremental: a live state, then one new fact (a penalty or a corrected stage time) and a reclassification.
    let state: ScoringState = createState(def, rules);
    for (const f of facts) state = applyFact(state, f);
    classify(state);
    let k = 0;
    const next = (): Fact => {
      k++;
      const car = 1 + (k * 37) % o.cars;
      return k % 2
        ? { type: 'penalty', id: `bench-p${k}`, car, seconds: 10, reason: 'bench', stage: `SS${1 + (k % 30)}` }
        : { type: 'stageTime', id: `bench-t${k}`, car, stage: `SS${1 + (k % 30)}`, time: `${5 + (k % 4)}:0${k % 10}.${k % 10}`, source: 'official' };
    };
    // Each fact timed on its own (performance.now resolves well below a microsecond); median and 90th percentile.
    for (let w = 0; w < 100; w++) { state = applyFact(state, next()); classify(state); }
    const one: number[] = [];
    for (let r = 0; r < 801; r++) {
      const f = next();
      const t0 = performance.now();
      state = applyFact(state, f);
      classify(state);
      one.push(performance.now() - t0);
    }
    const inc = median(one);
    const p90 = [...one].sort((a, b) => a - b)[Math.floor(one.length * 0.9)]!;
    // Baseline for one fact: redo the irreducible sum + sort (what a naive server would do per fact).
    results.push({
      name: `one incremental fact + classify (${what})`,
      figure: `median ${fmt(inc)} (p90 ${fmt(p90)}, load ${loadavg()[0]!.toFixed(1)})`, baseline: `sum + sort of the whole log ${fmt(bare)}`, ratio: inc / bare,
      target: '< 0.2 ms', met: inc < 0.2,
    });
  }
  return results;
};
