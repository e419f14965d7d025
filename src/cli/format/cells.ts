// How one value reads in a cell: times, penalties, gaps, position changes,
// crews and distances, written the way rally people read them.
import { formatDuration, formatGap, decimalsFor } from '../../core/time/index.ts';
import { distanceIn, type DistanceUnit, type Entry, type Person } from '../../core/model.ts';

/** A total or stage time (`1:02:03.4`, `3:45.2`); empty when there is none. */
export function timeText(ms: number | null, decimals = 1): string {
  return ms === null ? '' : formatDuration(ms, decimals);
}

/** A gap (`+12.3`); empty for the leader and when unknown. */
export function gapText(ms: number | null, decimals = 1): string {
  return ms === null || ms === 0 ? '' : formatGap(ms, decimals);
}

/** Decimals needed to show `ms` without dropping a digit, at least `min` (a 10.5 s penalty → 1). */
function decimalsToShow(ms: number, min: number): number {
  if (ms % 1000 === 0) return min;
  if (ms % 100 === 0) return Math.max(min, 1);
  if (ms % 10 === 0) return Math.max(min, 2);
  return 3;
}

/** A penalty as minutes and seconds, `0:40`, `1:10`, `0:10.5`; empty for none. */
export function penaltyText(ms: number): string {
  if (ms === 0) return '';
  const abs = Math.abs(ms);
  const decimals = decimalsToShow(abs, 0);
  const text = formatDuration(abs, decimals);
  // Under a minute the minutes are still written: `0:40`, `0:05.5`.
  const withMinutes = abs < 60_000 ? `0:${text.padStart(decimals > 0 ? decimals + 3 : 2, '0')}` : text;
  return (ms < 0 ? '-' : '') + withMinutes;
}

/** Places gained `▲2`, lost `▼1`; empty when unchanged or unknown. */
export function positionChangeText(change: number | null): string {
  if (change === null || change === 0) return '';
  return change > 0 ? `▲${change}` : `▼${-change}`;
}

/** `Luis Perocarpi` → `L. Perocarpi`; a one-word name stays as it is. */
export function shortName(name: string): string {
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return name.trim();
  return `${[...words[0]!][0]!}. ${words.slice(1).join(' ')}`;
}

/** `L. Perocarpi / M. Wells` for tables; the co-driver is left out when unnamed. */
export function crewShort(entry: Entry): string {
  const co = entry.codriver?.name?.trim();
  return co ? `${shortName(entry.driver.name)} / ${shortName(co)}` : shortName(entry.driver.name);
}

/** `Luis Perocarpi` → `Perocarpi`: the family name, for tables that are short of room. */
export function surname(name: string): string {
  const words = name.trim().split(/\s+/);
  return words.length < 2 ? name.trim() : words.slice(1).join(' ');
}

/** `Perocarpi / Wells`. */
export function crewSurnames(entry: Entry): string {
  const co = entry.codriver?.name?.trim();
  return co ? `${surname(entry.driver.name)} / ${surname(co)}` : surname(entry.driver.name);
}

/** `Luis Perocarpi / Mark Wells`. */
export function crewFull(entry: Entry): string {
  const co = entry.codriver?.name?.trim();
  return co ? `${entry.driver.name} / ${co}` : entry.driver.name;
}

/** `Luis Perocarpi (USA)`. */
export function personWithNationality(p: Person | undefined): string {
  if (!p || !p.name) return '';
  return p.nationality ? `${p.name} (${p.nationality})` : p.name;
}

export function makeModel(entry: Entry): string {
  return [entry.make, entry.model].filter((s) => s && s.trim()).join(' ');
}

/** Stage length in the rally's unit, `4.21 mi` / `12.40 km`. */
export function distanceText(metres: number, unit: DistanceUnit): string {
  return `${distanceIn(unit, metres).toFixed(2)} ${unit}`;
}

/** Decimals a stage's times are shown with: its own precision, else the preset's. */
export function stageDecimals(stagePrecisionMs: number | undefined, rulesPrecisionMs: number): number {
  return decimalsFor(stagePrecisionMs ?? rulesPrecisionMs);
}

/** `1–5, 7, 9–12` for a list of car numbers (in error messages that list valid cars). */
export function numberRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i]!;
    parts.push(end === start ? String(start) : end === start + 1 ? `${start}, ${end}` : `${start}–${end}`);
  }
  return parts.join(', ');
}
