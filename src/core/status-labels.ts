// Words people read for the scoring's status codes. Every output meant for a
// person (tables, workings text, pages) takes its words from here; machine
// output (JSON, CSV) keeps the code and may add the label beside it.
import type { CarStatus, StageStatus } from './results.ts';

/** A stage time's status, in a few words (short enough for a table's note column). */
export const STAGE_STATUS_LABELS: Readonly<Record<StageStatus, string>> = {
  ok: 'driven',
  notional: 'notional',
  assessed: 'assessed',
  restartCharged: 'Super Rally charge',
  maxTime: 'max time',
  running: 'on stage',
  notRun: 'not run',
  cancelled: 'cancelled',
};

/** What each stage status means, for a legend under a table. */
export const STAGE_STATUS_MEANINGS: Readonly<Record<StageStatus, string>> = {
  ok: 'driven and timed',
  notional: 'given by the Clerk of the Course after the stage was interrupted',
  assessed: 'charged by officials (e.g. on a Super Rally restart)',
  restartCharged: 'charged under the Super Rally rule for a stage missed after retiring',
  maxTime: 'stage maximum charged',
  running: 'started, not yet finished',
  notRun: 'no time on this stage (yet)',
  cancelled: 'stage cancelled: it counts for no crew',
};

/** A crew's status in the rally. */
export const CAR_STATUS_LABELS: Readonly<Record<CarStatus, string>> = {
  notStarted: 'not started',
  running: 'running',
  finished: 'finished',
  retired: 'retired',
  excluded: 'excluded',
};

/**
 * A crew's status in a table's narrow position column, where the position
 * stands when there is one: the abbreviations results sheets use. Empty for a
 * crew still in the rally (its position, or nothing yet, says it), and for a
 * crew with no time yet: it may still start (SEE: `carStatusShort` for DNS).
 */
export const CAR_STATUS_SHORT: Readonly<Record<CarStatus, string>> = {
  notStarted: '',
  running: '',
  finished: '',
  retired: 'RET',
  excluded: 'EXC',
};

export function stageStatusLabel(status: StageStatus): string {
  return STAGE_STATUS_LABELS[status] ?? status;
}

/** The note for a crew that started a stage and retired on it, and what it means. */
export const RETIRED_ON_STAGE_LABEL = 'retired';
export const RETIRED_ON_STAGE_MEANING = 'started the stage and retired on it';

/**
 * A stage cell's label for people. A crew that started and retired on the
 * stage keeps the code `running` (no finish was ever recorded), but "on stage"
 * would read as if it were still driving.
 */
export function stageCellLabel(status: StageStatus, retiredHere: boolean): string {
  return status === 'running' && retiredHere ? RETIRED_ON_STAGE_LABEL : stageStatusLabel(status);
}

export function carStatusLabel(status: CarStatus): string {
  return CAR_STATUS_LABELS[status] ?? status;
}

/**
 * The label of a workings status: a stage's status when the workings are about
 * a stage (`retired` for a crew that retired on it), else the crew's.
 */
export function workingsStatusLabel(status: StageStatus | CarStatus, aboutStage: boolean, retiredHere = false): string {
  if (aboutStage && status in STAGE_STATUS_LABELS) return stageCellLabel(status as StageStatus, retiredHere);
  if (status in CAR_STATUS_LABELS) return CAR_STATUS_LABELS[status as CarStatus];
  return STAGE_STATUS_LABELS[status as StageStatus] ?? status;
}

/**
 * A crew with no time yet, for the public: "not yet started" while the rally
 * runs (a later car has not reached the start; nothing went wrong), "did not
 * start" (DNS) only once the rally is over. A crew withdrawn before the start
 * is off the entry list and never shows here.
 */
export const NOT_YET_STARTED = { label: 'not yet started', short: '' } as const;
export const DID_NOT_START = { label: 'did not start', short: 'DNS' } as const;

/**
 * The rally is over for its crews when some crew started and none is still
 * running. Until then no crew is "did not start": it may be waiting for its
 * minute. (A rally whose crews all sit between stages counts as running: their
 * status is `running` until they finish the last stage.)
 */
export function rallyIsOver(rows: readonly { status: CarStatus }[]): boolean {
  return rows.some((r) => r.status !== 'notStarted') && !rows.some((r) => r.status === 'running');
}

/** A crew's status words for the public, given whether the rally is over (`rallyIsOver`). */
export function carStatusWords(status: CarStatus, over: boolean): { label: string; short: string } {
  if (status === 'notStarted') return over ? DID_NOT_START : NOT_YET_STARTED;
  return { label: CAR_STATUS_LABELS[status], short: CAR_STATUS_SHORT[status] };
}
