// Problems are values: a data-quality finding never throws and never drops a fact.

export type Severity = 'error' | 'warning' | 'info';

export type IssueCode =
  | 'car-at-two-controls'
  | 'controls-out-of-order'
  | 'start-not-due-time'
  | 'stage-time-too-fast'
  | 'two-times-one-control'
  | 'jump-start-not-penalised'
  | 'overdue'
  | 'unparsable-time'
  | 'unknown-car'
  | 'unknown-control'
  | 'unknown-stage'
  | 'finish-before-start'
  | 'superseded-fact-missing'
  | 'max-lateness-exceeded'
  | 'restart-not-allowed'
  | 'restart-limit-exceeded'
  | 'no-stage-maximum'
  | 'notional-time-needed'
  | 'start-interval-missing'
  | 'conflict';

export interface Issue {
  code: IssueCode;
  severity: Severity;
  /** What it is about: `car 23 at SS3`, `SS7`. */
  subject: string;
  car?: number;
  stage?: string;
  control?: string;
  /** Ids of the facts involved. */
  facts: string[];
  detail: string;
  /** What an official should do about it. */
  fix: string;
}
