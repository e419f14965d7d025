// Standings after any round: totals with their workings (which rounds counted,
// which were dropped, points per classification), ties broken by count-back.
import type { Championship, Registration, RoundResult, Season } from './season.ts';
import { roundsOf } from './season.ts';
import type { PointsScheme, PointsSource } from './points-scheme.ts';
import { POINTS_SOURCES } from './points-scheme.ts';
import { awardRound, roundPoints, type CompetitorRoundPoints } from './round-points.ts';
import { applyPositionOverrides } from './position-overrides.ts';

export interface RoundCell {
  round: string;
  points: number;
  counted: boolean;
  /** Championship place in the final classification, null when not classified or not entered. */
  place: number | null;
  entered: boolean;
  detail: CompetitorRoundPoints | null;
}

export interface StandingRow {
  /** 1-based; crews still equal after count-back share a rank. */
  rank: number;
  competitor: string;
  total: number;
  /** Points of the counted rounds by classification. */
  bySource: Record<PointsSource, number>;
  rounds: RoundCell[];
  counted: string[];
  /** Rounds the crew took part in whose points are not counted (best-N). */
  dropped: string[];
  /** Rounds of the season so far the crew did not enter or did not start: neither counted nor dropped. */
  notEntered: string[];
  /** How many 1st, 2nd, 3rd … places (index 0 = wins), for the count-back. */
  placeCounts: number[];
  /** Why this row is above the next one when their totals are equal. */
  tieBreak?: string;
}

export interface Standings {
  season: string;
  championship: Championship;
  scheme: { id: string; name: string };
  /** The championship's own calendar: the rounds that count for it (a regional championship: its region's), numbered from 1. */
  calendar: { round: string; number: number }[];
  /** Rounds included (run), in calendar order. */
  after: string | null;
  roundsRun: string[];
  roundsRemaining: string[];
  provisional: string[];
  rows: StandingRow[];
  /** Rules the totals relied on that are not confirmed. */
  unconfirmed: string[];
  /** Most legs of any round run (leg bonus title maths); absent when no round gave leg places. */
  legsPerRound?: number;
}

/** Count-back: most wins, then most seconds, … SEE: FMU26 Art 8.1 [T], WRC06 [V]. Negative = a ahead. */
export function compareCountBack(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (b[i] ?? 0) - (a[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

function countBackReason(a: readonly number[], b: readonly number[]): string {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return `count-back: ${a[i] ?? 0} × ${ordinal(i + 1)} place against ${b[i] ?? 0} (FMU26 Art 8.1)`;
  }
  return 'equal on points and on count-back: rank shared';
}

/** Chooses the counted rounds: best `best` by points, earlier round first on equal points. */
export function chooseCounted(points: readonly number[], best: number | undefined): boolean[] {
  if (best === undefined || best >= points.length) return points.map(() => true);
  const order = points.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p || a.i - b.i);
  const counted = points.map(() => false);
  for (const { i } of order.slice(0, best)) counted[i] = true;
  return counted;
}

/** chooseCounted over the rounds a crew took part in; the others are never counted. */
function countedAmong(points: readonly number[], took: readonly boolean[], best: number | undefined): boolean[] {
  const idx = points.map((_, i) => i).filter((i) => took[i]);
  const chosen = chooseCounted(idx.map((i) => points[i]!), best);
  const out = points.map(() => false);
  idx.forEach((i, k) => { out[i] = chosen[k]!; });
  return out;
}

/** Sum of the best `best` values (all when undefined). */
export function bestSum(points: readonly number[], best: number | undefined): number {
  const sorted = [...points].sort((a, b) => b - a);
  return roundPoints(sorted.slice(0, best ?? sorted.length).reduce((a, b) => a + b, 0));
}

/**
 * Standings of one championship from the results of the rounds run so far.
 * `results` may hold any rounds of the season; only those up to `after`
 * (a round id; default: the last round with a result) are counted.
 */
export function computeStandings(season: Season, championship: Championship, scheme: PointsScheme, results: readonly RoundResult[], after?: string): Standings {
  const registrations: readonly Registration[] = season.registrations ?? [];
  // Only the championship's own rounds count (a regional championship: its region's). SEE: rally-rules §6.2.
  const own = new Set(roundsOf(season, championship).map((r) => r.id));
  const seasonOrder = season.rounds.map((r) => r.id);
  const order = seasonOrder.filter((id) => own.has(id));
  const byRound = new Map(results.filter((r) => own.has(r.round)).map((r) => [r.round, r]));
  const lastWithResult = [...order].reverse().find((id) => byRound.has(id)) ?? null;
  const cutoff = after ?? lastWithResult;
  // `after` may name a round of the season outside this championship: its rounds up to that date count.
  const seasonCut = cutoff === null ? -1 : seasonOrder.indexOf(cutoff);
  const included = order.filter((id) => seasonOrder.indexOf(id) <= seasonCut);
  const cutIndex = included.length - 1;
  const roundsRun = included.filter((id) => byRound.has(id));
  const roundsRemaining = order.slice(cutIndex + 1);
  const awards = new Map<string, Map<string, CompetitorRoundPoints>>();
  const overrides = new Map(season.rounds.map((r) => [r.id, r.positionOverrides ?? []]));
  for (const id of roundsRun) {
    const per = new Map<string, CompetitorRoundPoints>();
    const result = applyPositionOverrides(byRound.get(id)!, overrides.get(id) ?? []);
    for (const a of awardRound(championship, scheme, result, registrations)) per.set(a.competitor, a);
    awards.set(id, per);
  }
  const competitors = new Set<string>();
  for (const per of awards.values()) for (const k of per.keys()) competitors.add(k);
  const best = championship.countBest?.value;
  const countBackAll = (championship.countBackRounds?.value ?? 'all') === 'all';
  const rows: StandingRow[] = [...competitors].map((competitor) => {
    const details = roundsRun.map((id) => awards.get(id)!.get(competitor) ?? null);
    const pts = details.map((d) => d?.total ?? 0);
    // Only rounds the crew entered and started can be counted or dropped; the others are "not entered".
    const took = details.map((d) => d !== null && d.status !== 'notStarted');
    const counted = countedAmong(pts, took, best);
    const bySource = Object.fromEntries(POINTS_SOURCES.map((s) => [s, 0])) as Record<PointsSource, number>;
    const placeCounts: number[] = [];
    details.forEach((d, i) => {
      if (!d) return;
      // NOTE: by default count-back weighs every round's places, dropped ones too ([NF]; `countBackRounds` sets it).
      if (countBackAll || counted[i]) for (const p of d.places) placeCounts[p - 1] = (placeCounts[p - 1] ?? 0) + 1;
      if (!counted[i]) return;
      for (const l of d.lines) bySource[l.source] = roundPoints(bySource[l.source] + l.points);
    });
    for (let i = 0; i < placeCounts.length; i++) placeCounts[i] ??= 0;
    const rounds: RoundCell[] = roundsRun.map((id, i) => ({
      round: id, points: pts[i]!, counted: counted[i]!, place: details[i]?.places[0] ?? null, entered: details[i] !== null, detail: details[i] ?? null,
    }));
    return {
      rank: 0, competitor, total: roundPoints(pts.reduce((a, p, i) => a + (counted[i] ? p : 0), 0)), bySource, rounds,
      counted: rounds.filter((r) => r.counted).map((r) => r.round),
      dropped: rounds.filter((r, i) => !r.counted && took[i]).map((r) => r.round),
      notEntered: rounds.filter((_, i) => !took[i]).map((r) => r.round),
      placeCounts,
    };
  });
  rows.sort((a, b) => b.total - a.total || compareCountBack(a.placeCounts, b.placeCounts) || a.competitor.localeCompare(b.competitor));
  let countBackOverDropped = false;
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    if (prev && prev.total === row.total) {
      if (prev.dropped.length > 0 || row.dropped.length > 0) countBackOverDropped = true;
      prev.tieBreak = countBackReason(prev.placeCounts, row.placeCounts);
      row.rank = compareCountBack(prev.placeCounts, row.placeCounts) === 0 ? prev.rank : i + 1;
    } else {
      row.rank = i + 1;
    }
  });
  const unconfirmed = POINTS_SOURCES.flatMap((s) => {
    const t = scheme.sources[s];
    return t && !t.points.confirmed ? [`${s}: ${t.points.rule}${t.points.note ? ` — ${t.points.note}` : ''}`] : [];
  });
  if (!scheme.tieBreak.confirmed) unconfirmed.push(`tie-break: ${scheme.tieBreak.rule}`);
  if (championship.countBest && !championship.countBest.confirmed) unconfirmed.push(`best ${championship.countBest.value} results: ${championship.countBest.rule}`);
  if (championship.region && !championship.region.confirmed) unconfirmed.push(`region ${championship.region.value}: ${championship.region.rule}`);
  if (championship.kind === 'manufacturers' && championship.makeCars && !championship.makeCars.confirmed) unconfirmed.push(`cars scoring for their make (${championship.makeCars.value}, best ${championship.carsPerMake ?? 2} per round): ${championship.makeCars.rule}`);
  const cbr = championship.countBackRounds;
  if (countBackOverDropped && !cbr) unconfirmed.push('count-back over dropped rounds: [NF] — places of every round count, dropped ones too (FMU26 Art 8.1 does not say; set countBackRounds to decide)');
  else if (countBackOverDropped && cbr && !cbr.confirmed) unconfirmed.push(`count-back over dropped rounds (${cbr.value}): ${cbr.rule}`);
  const legCounts = roundsRun.map((id) => legsOf(byRound.get(id)!));
  const legsPerRound = legCounts.length ? Math.max(...legCounts) : 0;
  return {
    season: season.id,
    championship,
    scheme: { id: scheme.id, name: scheme.name },
    calendar: order.map((round, i) => ({ round, number: i + 1 })),
    after: cutIndex >= 0 ? order[cutIndex]! : null,
    roundsRun,
    roundsRemaining,
    provisional: roundsRun.filter((id) => byRound.get(id)!.status === 'provisional'),
    rows,
    unconfirmed,
    ...(legsPerRound > 0 ? { legsPerRound } : {}),
  };
}

/** How many legs a round result places crews in. */
function legsOf(result: RoundResult): number {
  if (result.legs) return result.legs.length;
  return new Set(result.crews.flatMap((c) => Object.keys(c.legPositions ?? {}))).size;
}
