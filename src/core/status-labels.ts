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
 * crew still in the rally (its position, or nothing yet, says it).
 */
export const CAR_STATUS_SHORT: Readonly<Record<CarStatus, string>> = {
  notStarted: 'DNS',
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
