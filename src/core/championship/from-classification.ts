// A scored rally becomes a championship round: the final classification gives
// positions and statuses, the Power Stage classification gives Power Stage
// places, and the per-day classifications give Saturday and Sunday places
// (WRC24, WRC25). Entries carry their championship codes (`Entry.eligibility`).
// Places given by hand (a season round's `positionOverrides`) are applied by the standings.
import type { Classification, StageClassification, CarStatus } from '../results.ts';
import { classify, type ScoringState } from '../scoring/index.ts';
import type { CrewStatus, RoundCrewResult, RoundResult } from './season.ts';
import { powerStageResults, saturdayPositions, sundayPositions } from './day-classifications.ts';
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
}

export function roundFromClassification(final: Classification, options: FromClassificationOptions): RoundResult {
  const psPlace = new Map<number, number>();
  if (options.powerStage && !options.powerStage.cancelled && !options.powerStage.interrupted) {
    for (const row of options.powerStage.rows) if (row.position !== null) psPlace.set(row.car, row.position);
  }
  const crews: RoundCrewResult[] = final.rows.map((row) => {
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
    return crew;
  });
  const basis: NonNullable<RoundResult['basis']> = {};
  if (options.saturday) basis.saturday = options.saturday.basis;
  if (options.sunday) basis.sunday = options.sunday.basis;
  if (options.powerStage) basis.powerStage = `stage results of ${options.powerStage.stage.code} (stage type power)${options.powerStage.cancelled ? ': cancelled, not run' : ''}`;
  if (options.runShareBasis) basis.runShare = options.runShareBasis;
  const result: RoundResult = {
    round: options.round,
    status: options.status,
    ...(options.runShare !== undefined ? { runShare: options.runShare } : {}),
    ...(options.powerStage && (options.powerStage.cancelled || options.powerStage.interrupted) ? { powerStageVoid: true } : {}),
    crews,
    source: options.source,
    ...(Object.keys(basis).length ? { basis } : {}),
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
  return { ...(powerStage ? { powerStage } : {}), ...(saturday ? { saturday } : {}), ...(sunday ? { sunday } : {}),
    ...(run.cancelled.length > 0 ? { runShare: run.share, runShareBasis: run.basis } : {}) };
}

type DerivedKey = 'powerStage' | 'saturday' | 'sunday' | 'runShare' | 'runShareBasis';

/** A scored rally as a round result: final classification plus every place `derivedPlaces` finds. */
export function roundFromScoredRally(state: ScoringState, options: Omit<FromClassificationOptions, DerivedKey>): RoundResult {
  return roundFromClassification(classify(state), { ...derivedPlaces(state), ...options });
}
