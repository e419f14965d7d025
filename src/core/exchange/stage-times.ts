// The stage-times-by-crew spreadsheet: one row per crew, one column per stage
// (its charged time as rally people write it), then penalties and the total.
// Pure: built from the scored state the pages read.
import type { RallyDefinition } from '../model.ts';
import { classify, stageResults, type ScoringState } from '../scoring/index.ts';
import { decimalsFor, formatDuration } from '../time/index.ts';

export interface StageTimesSheet {
  stages: string[];
  rows: { car: number; driver: string; codriver: string; class: string; times: (number | null)[]; penaltyMs: number; totalMs: number | null; position: number | null; status: string }[];
}

export function stageTimesSheet(def: RallyDefinition, state: ScoringState): StageTimesSheet {
  const stages = def.stages.map((s) => s.code);
  const byStage = stages.map((code) => new Map(stageResults(state, code).rows.map((r) => [r.car, r.timeMs])));
  const c = classify(state);
  const classified = new Map(c.rows.map((r) => [r.car, r]));
  const rows = [...def.entries].sort((a, b) => a.car - b.car).map((e) => {
    const r = classified.get(e.car);
    const out = r?.status === 'excluded' || r?.status === 'retired';
    return {
      car: e.car, driver: e.driver.name, codriver: e.codriver?.name ?? '', class: e.class,
      times: byStage.map((m) => m.get(e.car) ?? null),
      penaltyMs: r?.penaltyMs ?? 0, totalMs: r && !out ? r.totalMs : null, position: r?.position ?? null, status: r?.status ?? 'notStarted',
    };
  });
  return { stages, rows };
}

export function stageTimesCells(sheet: StageTimesSheet, precisionMs: number): { header: string[]; rows: (string | number | null)[][] } {
  const dec = decimalsFor(precisionMs);
  const t = (ms: number | null) => (ms === null ? null : formatDuration(ms, dec));
  return {
    header: ['position', 'car', 'driver', 'codriver', 'class', 'status', ...sheet.stages, 'penalty', 'total'],
    rows: sheet.rows.map((r) => [r.position, r.car, r.driver, r.codriver, r.class, r.status, ...r.times.map(t), r.penaltyMs ? formatDuration(r.penaltyMs, 0) : null, t(r.totalMs)]),
  };
}
