// Data-quality checks and the overdue-crew safety check. Problems are values:
// each finding is an Issue with a code, a severity, the facts involved and the
// fix it suggests; nothing here throws on bad data or drops a fact.
import type { Issue } from '../issues.ts';
import { controlChecks } from './control-checks.ts';
import { stageChecks } from './stage-checks.ts';
import { legStartChecks } from './leg-start-checks.ts';
import { indexItinerary } from './input.ts';
import type { QualityInput } from './input.ts';

export type { QualityInput, QualityControlTime, QualityStageTime, QualityJumpStart } from './input.ts';
export { findOverdue } from './overdue.ts';
export { restartLimitIssue, type RestartOverLimit } from './restart-checks.ts';
export type { OverdueFinding, PaceBasis } from './overdue.ts';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Every data-quality finding, errors first, then by car. */
export function checkDataQuality(input: QualityInput): Issue[] {
  const itinerary = indexItinerary(input.def);
  const issues = [...controlChecks(input, itinerary), ...stageChecks(input), ...legStartChecks(input)];
  return issues.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.car ?? 0) - (b.car ?? 0));
}
