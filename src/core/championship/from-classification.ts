// A scored rally becomes a championship round: the final classification gives
// positions and statuses, the Power Stage classification gives Power Stage
// places. Entries carry their championship codes (`Entry.eligibility`).
import type { Classification, StageClassification, CarStatus } from '../results.ts';
import type { CrewStatus, RoundCrewResult, RoundResult } from './season.ts';

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
  /** Share of the scheduled stage distance run (FMU26 Art 3.1). */
  runShare?: number;
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
    if (row.entry.codriver?.name) crew.codriver = row.entry.codriver.name;
    if (options.nominatedCars?.has(row.car)) crew.nominated = true;
    return crew;
  });
  return {
    round: options.round,
    status: options.status,
    ...(options.runShare !== undefined ? { runShare: options.runShare } : {}),
    ...(options.powerStage && (options.powerStage.cancelled || options.powerStage.interrupted) ? { powerStageVoid: true } : {}),
    crews,
    source: options.source,
  };
}
