// The share of a rally's scheduled special-stage distance that was run, taken
// from the rally's own itinerary: every stage counts as scheduled, a cancelled
// stage as not run. SEE: rally-rules §6.1 — FIA-regional shortened rally
// (FMU26 Art 3.1): points by the share of the scheduled stage distance run.
// NOTE: an interrupted stage counts as run (its crews have driven or notional
// times); the reference is silent on it, so this is documented in docs/scoring.md.
import { distanceIn } from '../model.ts';
import { stageResults, type ScoringState } from '../scoring/index.ts';

export interface RunShare {
  /** 0..1. */
  share: number;
  runM: number;
  scheduledM: number;
  cancelled: string[];
  /** The workings in words, for the standings. */
  basis: string;
}

export function runShareOf(state: ScoringState): RunShare {
  const def = state.definition;
  let runM = 0, scheduledM = 0;
  const cancelled: string[] = [];
  for (const s of def.stages) {
    scheduledM += s.distanceM;
    if (stageResults(state, s.code).cancelled) cancelled.push(s.code);
    else runM += s.distanceM;
  }
  const share = scheduledM > 0 ? runM / scheduledM : 1;
  const unit = def.distanceUnit;
  const d = (m: number): string => `${distanceIn(unit, m).toFixed(2)} ${unit}`;
  const basis = cancelled.length === 0
    ? `every scheduled stage run (${d(scheduledM)})`
    : `${d(runM)} of ${d(scheduledM)} scheduled stage distance run (${(share * 100).toFixed(1)} %): ${cancelled.join(', ')} cancelled`;
  return { share, runM, scheduledM, cancelled, basis };
}
