// A points scheme is data: the points for each place in each classification a
// round awards points on (final, Saturday, Sunday, Power Stage), each table
// citing its rule. Championships pick a scheme by id; a series may override it.
import type { Cited } from '../rules/types.ts';

/** Classifications of one round that can carry championship points. `leg`: each leg's own classification, a bonus per leg (ERC20). */
export type PointsSource = 'final' | 'saturday' | 'sunday' | 'powerStage' | 'leg';

export const POINTS_SOURCES: readonly PointsSource[] = ['final', 'saturday', 'sunday', 'powerStage', 'leg'];

/** Legs per round the title maths assumes for a leg bonus when no round has run yet. */
export const DEFAULT_LEGS_PER_ROUND = 2;

export interface SourceTable {
  /** Points for 1st, 2nd, … place; places beyond the list score nothing. */
  points: Cited<number[]>;
  /**
   * Whether the crew must be in the final classification to keep these points.
   * SEE: FMU26 Art 50.3 (Power Stage), WRC24 (Saturday points kept only by finishers).
   */
  requiresFinish: Cited<boolean>;
  /**
   * When a crew that does not finish loses its points, whether the places pass
   * down to the next eligible crew (WRC24 Saturday) instead of staying unawarded.
   */
  passDown?: Cited<boolean>;
}

/** Points fraction by share of the scheduled special-stage distance run. SEE: FMU26 Art 3.1. */
export interface ShortenedRule {
  /** Thresholds, highest first: run share ≥ `atLeast` ⇒ points × `factor`. Below the last: 0. */
  steps: Cited<{ atLeast: number; factor: number }[]>;
}

export interface PointsScheme {
  id: string;
  name: string;
  /** Points per classification; a scheme without `sunday` awards no Sunday points. */
  sources: Partial<Record<PointsSource, SourceTable>>;
  /** Shortened-rally fractions; absent = full points whatever was run. */
  shortened?: ShortenedRule;
  /** Championship tie-break. */
  tieBreak: Cited<'countBack'>;
  /** Sources cited, by key as in docs/championships.md. */
  references: Record<string, string>;
}

/** Points for a place (1-based) in one table; 0 beyond it. */
export function pointsForPlace(table: readonly number[], place: number): number {
  if (!Number.isInteger(place) || place < 1) return 0;
  return table[place - 1] ?? 0;
}

/** The factor a shortened rally's points are multiplied by (1 when the scheme has no rule or the share is unknown). */
export function shortenedFactor(scheme: PointsScheme, runShare: number | undefined): number {
  if (!scheme.shortened || runShare === undefined) return 1;
  for (const step of scheme.shortened.steps.value) if (runShare >= step.atLeast) return step.factor;
  return 0;
}

/** The most one crew can score in one round under this scheme (for title maths); a leg bonus counts once per leg. */
export function maxPointsPerCrew(scheme: PointsScheme, legs = DEFAULT_LEGS_PER_ROUND): number {
  let total = 0;
  for (const source of POINTS_SOURCES) {
    const table = scheme.sources[source];
    if (table) total += (table.points.value[0] ?? 0) * (source === 'leg' ? legs : 1);
  }
  return total;
}

/** The most `cars` crews of one make can score together in one round (they take the top places). */
export function maxPointsForCars(scheme: PointsScheme, cars: number, legs = DEFAULT_LEGS_PER_ROUND): number {
  let total = 0;
  for (const source of POINTS_SOURCES) {
    const table = scheme.sources[source];
    if (table) total += table.points.value.slice(0, cars).reduce((a, b) => a + b, 0) * (source === 'leg' ? legs : 1);
  }
  return total;
}

/** Checks a scheme's tables are lists of non-negative numbers, not increasing with place. Returns problems as text. */
export function schemeProblems(scheme: PointsScheme): string[] {
  const problems: string[] = [];
  for (const source of POINTS_SOURCES) {
    const table = scheme.sources[source];
    if (!table) continue;
    const pts = table.points.value;
    if (!Array.isArray(pts) || pts.length === 0) problems.push(`${scheme.id}.${source}: points must be a non-empty list`);
    pts.forEach((p, i) => {
      if (typeof p !== 'number' || !Number.isFinite(p) || p < 0) problems.push(`${scheme.id}.${source}[${i + 1}]: points must be a number ≥ 0, got ${String(p)}`);
      if (i > 0 && p > pts[i - 1]!) problems.push(`${scheme.id}.${source}[${i + 1}]: ${p} is more than place ${i} (${pts[i - 1]})`);
    });
  }
  if (!scheme.sources.final) problems.push(`${scheme.id}: a scheme needs points for the final classification`);
  return problems;
}
