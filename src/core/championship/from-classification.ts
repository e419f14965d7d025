// A scored rally becomes a championship round: the final classification gives
// positions and statuses, the Power Stage classification gives Power Stage
// places, and the per-day classifications give Saturday and Sunday places
// (WRC24, WRC25). Entries carry their championship codes (`Entry.eligibility`).
// Places given by hand (a season round's `positionOverrides`) are applied by the standings.
import type { Classification, StageClassification, CarStatus } from '../results.ts';
import { classify, type ScoringState } from '../scoring/index.ts';
import type { CrewStatus, RoundCrewResult, RoundResult } from './season.ts';
import { legPositions, powerStageResults, saturdayPositions, sundayPositions } from './day-classifications.ts';
import { runShareOf } from './run-share.ts';

const STATUS: Record<CarStatus, CrewStatus> = {
  notStarted: 'notStarted',
  running: 'retired', // NOTE: a crew still running when results are taken is not classified.
  finished: 'finished',
  retired: 'retired',
  excluded: 'excluded',
};

export interface FromClassificationOptions {
  round: string;
  status: 'provisional' | 'final';
  source: string;
  powerStage?: StageClassification;
  /** Places in the general classification after the last Saturday stage, by car (WRC24). */
  saturday?: { positions: ReadonlyMap<number, number>; basis: string };
  /** Places in the classification of Sunday only, by car (WRC24, WRC25). */
  sunday?: { positions: ReadonlyMap<number, number>; basis: string };
  /** Share of the scheduled stage distance run (FMU26 Art 3.1). */
  runShare?: number;
  /** How that share was worked out, for the standings' workings. */
  runShareBasis?: string;
  /** Nominated cars for manufacturers' championships, by car number. */
  nominatedCars?: ReadonlySet<number>;
  /** Each leg's own classification, in running order: places by car (leg bonus points, ERC20). */
  legs?: { id: string; label: string; positions: ReadonlyMap<number, number>; basis: string }[];
}

/**
 * A round result from the final classification — or, for a rally that classifies several categories on
 * the same roads (ARA National and Regional), from each category's classification: every crew with its
 * category and its place within it.
 */
export function roundFromClassification(final: Classification | readonly Classification[], options: FromClassificationOptions): RoundResult {
  const psPlace = new Map<number, number>();
  if (options.powerStage && !options.powerStage.cancelled && !options.powerStage.interrupted) {
    for (const row of options.powerStage.rows) if (row.position !== null) psPlace.set(row.car, row.position);
  }
  const classifications = Array.isArray(final) ? final as readonly Classification[] : [final as Classification];
  const rows = classifications.flatMap((c) => c.rows.map((row) => ({ row, category: c.category })));
  const crews: RoundCrewResult[] = rows.map(({ row, category }) => {
    const crew: RoundCrewResult = {
      car: row.car,
      driver: row.entry.driver.name,
      make: row.entry.make,
      class: row.entry.class,
      status: STATUS[row.status],
      position: row.status === 'finished' ? row.position : null,
      powerStagePosition: psPlace.get(row.car) ?? null,
      eligibility: row.entry.eligibility ?? [],
    };
    if (options.saturday) crew.saturdayPosition = options.saturday.positions.get(row.car) ?? null;
    if (options.sunday) crew.sundayPosition = options.sunday.positions.get(row.car) ?? null;
    if (row.entry.codriver?.name) crew.codriver = row.entry.codriver.name;
    if (options.nominatedCars?.has(row.car)) crew.nominated = true;
    if (category) crew.category = category;
    if (options.legs) crew.legPositions = Object.fromEntries(options.legs.map((l) => [l.id, l.positions.get(row.car) ?? null]));
    return crew;
  });
  const basis: NonNullable<RoundResult['basis']> = {};
  if (options.saturday) basis.saturday = options.saturday.basis;
  if (options.sunday) basis.sunday = options.sunday.basis;
  if (options.powerStage) basis.powerStage = `stage results of ${options.powerStage.stage.code} (stage type power)${options.powerStage.cancelled ? ': cancelled, not run' : ''}`;
  if (options.runShareBasis) basis.runShare = options.runShareBasis;
  const legs = options.legs?.map((l) => ({ id: l.id, label: l.label, basis: l.basis }));
  const result: RoundResult = {
    round: options.round,
    status: options.status,
    ...(options.runShare !== undefined ? { runShare: options.runShare } : {}),
    ...(options.powerStage && (options.powerStage.cancelled || options.powerStage.interrupted) ? { powerStageVoid: true } : {}),
    crews,
    source: options.source,
    ...(Object.keys(basis).length ? { basis } : {}),
    ...(legs?.length ? { legs } : {}),
  };
  return result;
}

/**
 * The places a scored rally gives a championship round, besides the final
 * classification: Power Stage, Saturday and Sunday. Spread into
 * `roundFromClassification` options.
 */
export function derivedPlaces(state: ScoringState): Pick<FromClassificationOptions, DerivedKey> {
  const powerStage = powerStageResults(state);
  const saturday = saturdayPositions(state);
  const sunday = sundayPositions(state);
  // SEE: rally-rules §6.1 (FMU26 Art 3.1) — the share run comes from the rally's own itinerary.
  const run = runShareOf(state);
  const legs = legPositions(state);
  return { ...(powerStage ? { powerStage } : {}), ...(saturday ? { saturday } : {}), ...(sunday ? { sunday } : {}),
    ...(run.cancelled.length > 0 ? { runShare: run.share, runShareBasis: run.basis } : {}),
    ...(legs.length ? { legs } : {}) };
}

type DerivedKey = 'powerStage' | 'saturday' | 'sunday' | 'runShare' | 'runShareBasis' | 'legs';

/** The rally's final classifications: one per category when it classifies several on the same roads, else the one. */
export function finalClassifications(state: ScoringState): Classification[] {
  const cats = state.definition.categories ?? [];
  return cats.length ? cats.map((c) => classify(state, { category: c.code })) : [classify(state)];
}

/** A scored rally as a round result: final classification(s) plus every place `derivedPlaces` finds. */
export function roundFromScoredRally(state: ScoringState, options: Omit<FromClassificationOptions, DerivedKey>): RoundResult {
  return roundFromClassification(finalClassifications(state), { ...derivedPlaces(state), ...options });
}
