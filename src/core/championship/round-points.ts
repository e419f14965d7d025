// Points one round awards in one championship, with the workings of each
// number: which classification, which place among the eligible crews, which
// rule. Crews not registered for a championship neither score nor take places
// from those who are (WRC2-23, WRCM08).
import type { Championship, CrewStatus, Registration, RoundCrewResult, RoundResult } from './season.ts';
import { isEligible, isNominated } from './season.ts';
import { POINTS_SOURCES, pointsForPlace, shortenedFactor, type PointsScheme, type PointsSource, type SourceTable } from './points-scheme.ts';

export interface PointsLine {
  source: PointsSource;
  /** Place among the crews eligible for this championship (1-based). */
  place: number;
  points: number;
  /** The crew that scored it (manufacturers: which car). */
  crew: string;
  /** Leg bonus lines: the leg (`L1`) and its label in the workings (`leg 1`). */
  leg?: string;
  legLabel?: string;
  rule: string;
  confirmed: boolean;
  note?: string;
}

export interface CompetitorRoundPoints {
  competitor: string;
  round: string;
  total: number;
  lines: PointsLine[];
  /** Places in the championship's final classification that scored here (count-back); empty when not classified. */
  places: number[];
  status: CrewStatus;
  notes: string[];
}

const positionOf: Record<PointsSource, (c: RoundCrewResult) => number | null | undefined> = {
  final: (c) => (c.status === 'finished' ? c.position : null),
  saturday: (c) => c.saturdayPosition,
  sunday: (c) => c.sundayPosition,
  powerStage: (c) => c.powerStagePosition,
  leg: () => null, // per leg: see legPlace
};

const SOURCE_LABEL: Record<PointsSource, string> = { final: 'final classification', saturday: 'Saturday classification', sunday: 'Sunday classification', powerStage: 'Power Stage', leg: 'leg bonus' };

/** Ranks crews by a position (ties share a place), after dropping the ones the table says cannot score. */
function placesFor<T extends { crew: RoundCrewResult }>(items: T[], source: PointsSource, table: SourceTable, leg?: string): { item: T; place: number; forfeited: boolean }[] {
  const get = leg !== undefined ? (c: RoundCrewResult) => c.legPositions?.[leg] : positionOf[source];
  const passDown = table.passDown?.value ?? true;
  const mustFinish = table.requiresFinish.value;
  let ranked = items.filter((i) => {
    const p = get(i.crew);
    return typeof p === 'number' && p >= 1;
  });
  // SEE: FMU26 Art 50.3 — ineligible crews do not take points from others (places pass down).
  if (mustFinish && passDown) ranked = ranked.filter((i) => i.crew.status === 'finished' && i.crew.position !== null);
  ranked.sort((a, b) => get(a.crew)! - get(b.crew)!);
  const out: { item: T; place: number; forfeited: boolean }[] = [];
  ranked.forEach((item, i) => {
    const prev = out[i - 1];
    const place = prev && get(prev.item.crew) === get(item.crew) ? prev.place : i + 1;
    const forfeited = mustFinish && !passDown && !(item.crew.status === 'finished' && item.crew.position !== null);
    out.push({ item, place, forfeited });
  });
  return out;
}

function crewLabel(c: RoundCrewResult): string {
  return c.car !== undefined ? `#${c.car} ${c.driver}` : c.driver;
}

const NOT_CLASSIFIED_NOTE: Record<Exclude<CrewStatus, 'finished'>, string> = {
  retired: 'retired: not classified, no final-classification points (ARA22 [P]; FMU26 Art 64)',
  excluded: 'excluded: not classified, no points',
  notStarted: 'did not start: no points',
};

/**
 * Awards one round's points in one championship. Drivers' and co-drivers'
 * championships score each eligible crew by its place among eligible crews;
 * manufacturers' score nominated cars by relative position and keep the best
 * `carsPerMake` per make (WRCM08 [V]).
 */
export function awardRound(championship: Championship, scheme: PointsScheme, result: RoundResult, registrations: readonly Registration[] = []): CompetitorRoundPoints[] {
  const factor = shortenedFactor(scheme, result.runShare);
  const manufacturers = championship.kind === 'manufacturers';
  const crews = result.crews.filter((c) => isEligible(championship, c, registrations) && (!manufacturers || isNominated(championship, c, registrations)));
  const keyOf = (c: RoundCrewResult): string | undefined => (manufacturers ? c.make : championship.kind === 'codrivers' ? c.codriver : c.driver);
  const byCompetitor = new Map<string, CompetitorRoundPoints>();
  for (const crew of crews) {
    const key = keyOf(crew);
    if (!key) continue;
    let entry = byCompetitor.get(key);
    if (!entry) {
      entry = { competitor: key, round: result.round, total: 0, lines: [], places: [], status: crew.status, notes: [] };
      byCompetitor.set(key, entry);
    } else if (crew.status === 'finished') {
      entry.status = 'finished';
    }
    if (!manufacturers && crew.status !== 'finished') entry.notes.push(NOT_CLASSIFIED_NOTE[crew.status]);
  }
  if (factor !== 1) {
    // SEE: rally-rules §6.1 — say why every crew's points were scaled or withheld.
    const why = `shortened rally: ${result.basis?.runShare ?? `${formatShare(result.runShare)} of the scheduled stage distance run`}; the scheme gives ${factor === 0 ? 'no points' : `× ${formatFactor(factor)}`} (${scheme.shortened?.steps.rule ?? 'FMU26 Art 3.1'})`;
    for (const e of byCompetitor.values()) e.notes.push(why);
  }
  // Places of two classifications (categories) cannot be ranked together: say so rather than mix them silently.
  const categories = [...new Set(crews.flatMap((c) => (c.category !== undefined ? [c.category] : [])))];
  if (categories.length > 1) {
    for (const e of byCompetitor.values()) e.notes.push(`crews of categories ${categories.join(' and ')} share this championship: their places come from different classifications; set the championship's category`);
  }
  const items = crews.filter((c) => keyOf(c) !== undefined).map((crew) => ({ crew, key: keyOf(crew)! }));
  for (const source of POINTS_SOURCES) {
    const table = scheme.sources[source];
    if (!table) continue;
    if (source === 'powerStage' && result.powerStageVoid) {
      for (const e of byCompetitor.values()) e.notes.push('Power Stage void: no Power Stage points (ARA22 [P], FMU26 Art 50.3)');
      continue;
    }
    // A leg bonus is awarded once per leg, on that leg's own classification (ERC20 [P]).
    const legs: ({ id: string; label: string } | undefined)[] = source === 'leg' ? (result.legs ?? legsOfCrews(result)) : [undefined];
    for (const leg of legs) {
      for (const { item, place, forfeited } of placesFor(items, source, table, leg?.id)) {
        const entry = byCompetitor.get(item.key)!;
        const raw = pointsForPlace(table.points.value, place);
        if (source === 'final') entry.places.push(place);
        if (raw === 0 && !forfeited) continue;
        const points = forfeited ? 0 : raw * factor;
        const notes: string[] = [];
        if (forfeited) notes.push(`${raw} forfeited: not in the final classification`);
        if (factor !== 1 && !forfeited) notes.push(`shortened rally: ${raw} × ${formatFactor(factor)} (${scheme.shortened?.steps.rule ?? 'FMU26 Art 3.1'})`);
        entry.lines.push({
          source, place, points, crew: crewLabel(item.crew), rule: table.points.rule, confirmed: table.points.confirmed,
          ...(leg ? { leg: leg.id, legLabel: leg.label } : {}),
          ...(notes.length ? { note: notes.join('; ') } : {}),
        });
      }
    }
  }
  if (manufacturers) keepBestCarsPerMake(byCompetitor, championship.carsPerMake ?? 2);
  for (const e of byCompetitor.values()) e.total = roundPoints(e.lines.reduce((a, l) => a + l.points, 0));
  return [...byCompetitor.values()];
}

/** WRCM08: only the best `cars` nominated cars of a make score; the others' places are not passed on. */
function keepBestCarsPerMake(byCompetitor: Map<string, CompetitorRoundPoints>, cars: number): void {
  for (const e of byCompetitor.values()) {
    const scoring = new Map<string, number>();
    for (const l of e.lines) scoring.set(l.crew, (scoring.get(l.crew) ?? 0) + l.points);
    const best = new Set([...scoring.entries()].sort((a, b) => b[1] - a[1]).slice(0, cars).map(([crew]) => crew));
    const dropped = e.lines.filter((l) => !best.has(l.crew));
    if (dropped.length) e.notes.push(`only the best ${cars} cars of a make score (WRCM08): ${[...new Set(dropped.map((l) => l.crew))].join(', ')} not counted`);
    e.lines = e.lines.filter((l) => best.has(l.crew));
    e.places = e.lines.filter((l) => l.source === 'final').map((l) => l.place);
  }
}

/** Legs named by the crews' leg places, in first-seen order (a stored result without a `legs` list). */
function legsOfCrews(result: RoundResult): { id: string; label: string }[] {
  const ids: string[] = [];
  for (const c of result.crews) for (const id of Object.keys(c.legPositions ?? {})) if (!ids.includes(id)) ids.push(id);
  return ids.map((id, i) => ({ id, label: `leg ${i + 1}` }));
}

function formatShare(share: number | undefined): string {
  return share === undefined ? 'all' : `${(share * 100).toFixed(1)} %`;
}

function formatFactor(f: number): string {
  return Math.abs(f - 1 / 3) < 1e-9 ? '1/3' : String(f);
}

/** Points kept to two decimals (a third of 22 is 7.33); whole numbers stay whole. */
export function roundPoints(p: number): number {
  return Math.round(p * 100) / 100;
}

export function sourceLabel(source: PointsSource): string {
  return SOURCE_LABEL[source];
}

/** One line of the workings as a results officer reads it: `+22 final classification, 1st`, `+3 leg 1 bonus, 3rd`. */
export function lineText(l: Pick<PointsLine, 'source' | 'points' | 'place' | 'leg' | 'legLabel'>): string {
  const what = l.source === 'leg' ? `${l.legLabel ?? l.leg ?? 'leg'} bonus` : SOURCE_LABEL[l.source];
  return `+${roundPoints(l.points)} ${what}, ${ordinalPlace(l.place)}`;
}

function ordinalPlace(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}
