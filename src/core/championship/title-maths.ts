// Who can still win the title, and what the leader needs to clinch it. A crew
// can at most win everything left (the scheme's maximum per round); with
// dropped rounds only its best N results count, so the maths works on best-N
// sums rather than plain totals.
import type { Standings } from './standings.ts';
import { bestSum } from './standings.ts';
import { DEFAULT_LEGS_PER_ROUND, maxPointsForCars, maxPointsPerCrew, type PointsScheme } from './points-scheme.ts';

export type TitleChance = 'leader' | 'yes' | 'only-on-count-back' | 'no';

export interface Contender {
  competitor: string;
  current: number;
  /** Best final total if it wins everything left. */
  maxPossible: number;
  chance: TitleChance;
}

export interface ClinchNeed {
  rival: string;
  /** Points the leader needs next round if this rival scores nothing; null = not possible next round. */
  ifRivalScoresNothing: number | null;
  /** Points the leader must outscore this rival by next round, whatever the rival scores; null = not possible. */
  outscoreBy: number | null;
}

export interface TitleMaths {
  maxPerRound: number;
  roundsRemaining: number;
  leader: string | null;
  clinched: boolean;
  contenders: Contender[];
  /** For the leader, per rival still in contention: what clinching at the next round takes. */
  toClinchNextRound: ClinchNeed[];
  note: string;
}

function roundScores(s: Standings, competitor: string): number[] {
  return s.rows.find((r) => r.competitor === competitor)!.rounds.map((r) => r.points);
}

/** Title maths after the standings' last round. */
export function titleMaths(standings: Standings, scheme: PointsScheme): TitleMaths {
  const champ = standings.championship;
  // A leg bonus counts once per leg: as many legs as the longest round run so far, else two.
  const legs = standings.legsPerRound ?? DEFAULT_LEGS_PER_ROUND;
  const maxPerRound = champ.kind === 'manufacturers' ? maxPointsForCars(scheme, champ.carsPerMake ?? 2, legs) : maxPointsPerCrew(scheme, legs);
  const remaining = standings.roundsRemaining.length;
  const best = champ.countBest?.value;
  const leaderRow = standings.rows[0];
  if (!leaderRow) {
    return { maxPerRound, roundsRemaining: remaining, leader: null, clinched: false, contenders: [], toClinchNextRound: [], note: 'no results yet' };
  }
  const leaderNow = bestSum(roundScores(standings, leaderRow.competitor), best);
  const contenders: Contender[] = standings.rows.map((row, i) => {
    const scores = roundScores(standings, row.competitor);
    const maxPossible = bestSum([...scores, ...Array<number>(remaining).fill(maxPerRound)], best);
    // The leader scoring nothing more is the rival's best case: the leader keeps `leaderNow`.
    const chance: TitleChance = i === 0 ? 'leader' : maxPossible > leaderNow ? 'yes' : maxPossible === leaderNow ? 'only-on-count-back' : 'no';
    return { competitor: row.competitor, current: row.total, maxPossible, chance };
  });
  const alive = contenders.filter((c) => c.chance === 'yes' || c.chance === 'only-on-count-back');
  const clinched = alive.length === 0;
  const toClinchNextRound: ClinchNeed[] = [];
  if (!clinched && remaining > 0) {
    const leaderScores = roundScores(standings, leaderRow.competitor);
    const leaderAfter = (p: number): number => bestSum([...leaderScores, p], best);
    for (const rival of alive) {
      const rivalScores = roundScores(standings, rival.competitor);
      const rivalMaxAfter = (r: number): number => bestSum([...rivalScores, r, ...Array<number>(remaining - 1).fill(maxPerRound)], best);
      // NOTE: points are searched in whole steps; shortened-rally fractions are not considered here.
      const need = (r: number): number | null => {
        for (let p = 0; p <= maxPerRound; p++) if (leaderAfter(p) > rivalMaxAfter(r)) return p;
        return null;
      };
      const zero = need(0);
      // The margin that clinches whatever the rival scores (among scores that still leave the leader a way).
      let outscoreBy: number | null = zero === null ? null : zero;
      for (let r = 1; r <= maxPerRound && outscoreBy !== null; r++) {
        const p = need(r);
        if (p !== null) outscoreBy = Math.max(outscoreBy, p - r);
      }
      toClinchNextRound.push({ rival: rival.competitor, ifRivalScoresNothing: zero, outscoreBy });
    }
  }
  const note = clinched
    ? `${leaderRow.competitor} has clinched the title: no rival can reach ${leaderNow} with ${remaining} round(s) left at ${maxPerRound} points each`
    : `${alive.length} rival(s) can still catch ${leaderRow.competitor}: up to ${maxPerRound} points per round, ${remaining} round(s) left${best !== undefined ? `, best ${best} results count` : ''}`;
  return { maxPerRound, roundsRemaining: remaining, leader: leaderRow.competitor, clinched, contenders, toClinchNextRound, note };
}
