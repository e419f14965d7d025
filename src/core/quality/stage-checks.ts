// Checks on stage results: a time faster than the stage can be driven, and a
// jump start a device recorded that no official has decided on yet.
import type { Issue } from '../issues.ts';
import { distanceIn } from '../model.ts';
import { formatDuration } from '../time/duration.ts';
import type { QualityInput } from './input.ts';

const DEVICE_SOURCES = new Set(['photocell', 'eztrak', 'rallysafe']);

export function stageChecks(input: QualityInput): Issue[] {
  const issues: Issue[] = [];
  const stages = new Map(input.def.stages.map((s) => [s.code, s]));
  const maxKph = input.rules.maxAverageSpeedKph;
  const unit = input.def.distanceUnit;
  for (const t of input.stageTimes) {
    const stage = stages.get(t.stage);
    if (!stage || t.status !== 'ok' || stage.distanceM <= 0) continue;
    // Integer comparison: ms < metres × 3600 / kph, i.e. an average above the limit.
    if (t.ms * maxKph.value >= stage.distanceM * 3600) continue;
    const kph = t.ms > 0 ? (stage.distanceM * 3600) / t.ms : Infinity;
    const shown = !Number.isFinite(kph) ? 'no time at all' : unit === 'mi' ? `${(kph / 1.609344).toFixed(1)} mph` : `${kph.toFixed(1)} km/h`;
    issues.push({
      code: 'stage-time-too-fast', severity: 'error', subject: `car ${t.car} on ${t.stage}`, car: t.car, stage: t.stage,
      facts: t.factIds,
      detail: `car ${t.car} has ${formatDuration(t.ms, 1)} on ${t.stage} (${distanceIn(unit, stage.distanceM).toFixed(2)} ${unit}): an average of ${shown}, above the ${maxKph.value} km/h limit`,
      fix: 'check the start and finish times (a wrong minute or car number is the usual cause) and supersede the wrong one',
    });
  }
  const rule = input.rules.jumpStartPenaltiesMs.rule;
  for (const j of input.jumpStarts) {
    if (j.decided || !j.source || !DEVICE_SOURCES.has(j.source)) continue;
    issues.push({
      code: 'jump-start-not-penalised', severity: 'warning', subject: `car ${j.car} on ${j.stage}`, car: j.car, stage: j.stage,
      facts: [j.factId],
      detail: `the ${j.source} recorded a jump start by car ${j.car} on ${j.stage}; no official has decided on it`,
      fix: `confirm it with the start marshal and apply the jump-start penalty (${rule}), or record that the officials dismissed it`,
    });
  }
  return issues;
}
