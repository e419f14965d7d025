// Lookups every renderer needs beside the results: the entry behind a car
// number and the decimals the rally's times are shown with.
import type { Entry, RallyDefinition } from '../../core/model.ts';
import type { RuleSet } from '../../core/rules/types.ts';
import { decimalsFor } from '../../core/time/index.ts';

export function entriesByCar(def: RallyDefinition): Map<number, Entry> {
  return new Map(def.entries.map((e) => [e.car, e]));
}

/** Decimals of totals and gaps: the preset's stage precision (tenths for FIA and ARA). */
export function totalDecimals(rules: RuleSet): number {
  return decimalsFor(rules.stagePrecisionMs.value);
}

/** Stages of the rally in running order, up to and including `after` (all when null). */
export function stagesUpTo(def: RallyDefinition, after: string | null, leg?: string): string[] {
  const codes: string[] = [];
  for (const s of def.stages) {
    if (!leg || s.leg === leg) codes.push(s.code);
    if (s.code === after) break;
  }
  return after === null ? [] : codes;
}
