// How a championship stood after each round run: every competitor's position
// and total round by round, for the public standings page (a table and a
// chart of positions). Each column is the standings computed after that
// round, so dropped rounds and count-back act there as they did then.
import type { Championship, RoundResult, Season } from './season.ts';
import type { PointsScheme } from './points-scheme.ts';
import { computeStandings } from './standings.ts';

export interface StandingsHistoryRow {
  competitor: string;
  /** Position after each round of `rounds` (shared ranks as in the standings); null = no result yet by then. */
  ranks: (number | null)[];
  /** Total after each round of `rounds`; null = no result yet by then. */
  totals: (number | null)[];
}

export interface StandingsHistory {
  /** The rounds run up to the standings' round, in calendar order, with their number in the championship's own calendar. */
  rounds: { round: string; number: number }[];
  /** In the order of the standings after the last of `rounds`. */
  rows: StandingsHistoryRow[];
}

/** Standings after each round run up to `after` (default: the last round with a result). */
export function standingsHistory(season: Season, championship: Championship, scheme: PointsScheme, results: readonly RoundResult[], after?: string): StandingsHistory {
  const last = computeStandings(season, championship, scheme, results, after);
  const numberOf = new Map(last.calendar.map((c) => [c.round, c.number]));
  const steps = last.roundsRun.map((round) => computeStandings(season, championship, scheme, results, round));
  return {
    rounds: last.roundsRun.map((round) => ({ round, number: numberOf.get(round)! })),
    rows: last.rows.map((row) => {
      const at = steps.map((s) => s.rows.find((r) => r.competitor === row.competitor) ?? null);
      return { competitor: row.competitor, ranks: at.map((r) => r?.rank ?? null), totals: at.map((r) => r?.total ?? null) };
    }),
  };
}
