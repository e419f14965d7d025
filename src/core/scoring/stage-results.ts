// One stage's results: every crew with a time, ranked at the stage's own
// precision (a WRC power stage ranks to the thousandth), ties sharing a place.
import type { StageClassification, StageRow } from '../results.ts';
import type { Engine } from './engine.ts';

export function stageResultsEngine(e: Engine, code: string, opts: { class?: string; category?: string } = {}): StageClassification {
  const key = JSON.stringify([code, opts.class ?? null, opts.category ?? null]);
  const hit = e.stageCache.get(key);
  if (hit) return hit;
  const i = e.it.stageIndex.get(code);
  if (i === undefined) throw new RangeError(`stageResults: unknown stage ${JSON.stringify(code)}; stages are ${e.it.stages.map((s) => s.code).join(', ')}`);
  const stage = e.it.stages[i]!;
  const g = e.globalContext();
  const timed: StageRow[] = [];
  const running: StageRow[] = [];
  for (const entry of e.definition.entries) {
    if (opts.class !== undefined && entry.class !== opts.class) continue;
    // A category's stage listing ranks its own crews only (ARA National and Regional share the roads, not the results).
    if (opts.category !== undefined && entry.category !== opts.category) continue;
    const s = e.carScore(entry.car);
    const c = s.cells[i]!;
    if (c.status === 'notRun' || c.status === 'cancelled') continue;
    let penaltyMs = 0;
    for (const p of s.derived.penalties) if (p.stage === code) penaltyMs += p.ms;
    const row: StageRow = {
      position: null, classPosition: null, car: entry.car, entry, status: c.status, timeMs: c.stageMs,
      gapToWinnerMs: null, gapToPrevMs: null, penaltyMs, ...(c.splitsMs ? { splitsMs: c.splitsMs } : {}),
    };
    (c.stageMs !== null ? timed : running).push(row);
  }
  timed.sort((a, b) => a.timeMs! - b.timeMs! || a.car - b.car);
  const classSeen = new Map<string, { n: number; last: number; pos: number }>();
  timed.forEach((row, n) => {
    const prev = timed[n - 1]!;
    row.position = prev && prev.timeMs === row.timeMs ? prev.position : n + 1;
    const k = row.entry.class;
    const cs = classSeen.get(k) ?? { n: 0, last: -1, pos: 0 };
    cs.n++;
    cs.pos = cs.last === row.timeMs ? cs.pos : cs.n;
    cs.last = row.timeMs!;
    classSeen.set(k, cs);
    row.classPosition = cs.pos;
    if (opts.class !== undefined) row.position = cs.pos;
    if (n > 0) {
      row.gapToWinnerMs = row.timeMs! - timed[0]!.timeMs!;
      row.gapToPrevMs = row.timeMs! - prev.timeMs!;
    }
  });
  running.sort((a, b) => a.car - b.car);
  // Winners are the fastest driven (or notional) times; an assessed or restart-charged time never wins a stage.
  // An excluded crew's times stand as recorded (docs/scoring.md, "Exclusion"): it is ranked and may win the stage.
  const driven = timed.filter((r) => r.status === 'ok' || r.status === 'notional' || r.status === 'maxTime');
  const best = driven.filter((r) => r.timeMs === driven[0]?.timeMs);
  const result: StageClassification = {
    stage,
    cancelled: g.cancelled.has(code),
    interrupted: g.interrupted.has(code),
    rows: [...timed, ...running],
    winners: best.map((r) => ({ car: r.car, timeMs: r.timeMs! })),
  };
  e.stageCache.set(key, result);
  return result;
}
