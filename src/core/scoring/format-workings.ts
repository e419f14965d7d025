// Workings as text for the command line and the steward's screen:
//   car 23, SS3: 3:45.2 (driven)
//     time driven 3:45.237                       3:45.237
//     truncate to 0.1 s: 3:45.2                   3:45.2   FIA-regional Art 47.1 (FMU26) …
//     penalty: jump start, 1st offence: 10 s      +0:10.0
import type { Workings } from '../results.ts';
import { decimalsFor, formatDuration } from '../time/duration.ts';
import { workingsStatusLabel } from '../status-labels.ts';
import { confidenceTag } from '../rules/types.ts';

/** Penalties and additions are shown as `+0:40.0`; plain times as `3:45.2`. */
function amount(label: string, ms: number, decimals: number): string {
  const isAddition = /^(penalty|road penalty|\+)/i.test(label);
  if (!isAddition) return formatDuration(ms, decimals);
  const m = Math.trunc(ms / 60_000);
  const rest = ms - m * 60_000;
  const sec = formatDuration(rest, decimals).padStart(decimals > 0 ? 3 + decimals : 2, '0');
  return `+${m}:${sec}`;
}

/**
 * Renders workings as readable text. `unitMs` is the precision shown for
 * times (default 100 = tenths; 1 for a power stage's thousandths).
 */
export function formatWorkings(w: Workings, unitMs = 100): string {
  const decimals = decimalsFor(unitMs);
  const head = `car ${w.car}${w.stage ? `, ${w.stage}` : ', total'}: ${w.resultMs !== null ? formatDuration(w.resultMs, decimals) : 'no result'} (${workingsStatusLabel(w.status, w.stage !== undefined, w.retiredHere)})`;
  const lines = [head];
  for (const s of w.steps) {
    const ms = s.ms !== undefined ? amount(s.label, s.ms, decimals) : '';
    let line = `  ${s.label.padEnd(60)} ${ms.padStart(12)}`;
    if (s.rule) line += `   ${s.rule}${s.confirmed === false ? confidenceTag(s) : ''}`;
    lines.push(line.trimEnd());
    if (s.note) lines.push(`      note: ${s.note}`);
  }
  if (w.factsUsed.length) {
    lines.push('  facts used:');
    for (const f of w.factsUsed) lines.push(`    ${f.id} (${f.type}${f.seq !== undefined ? ` #${f.seq}` : ''}${f.by ? `, by ${f.by}` : ''}${f.recordedAt ? `, ${f.recordedAt}` : ''})`);
  }
  if (w.factsSuperseded.length) {
    lines.push('  facts superseded:');
    for (const f of w.factsSuperseded) lines.push(`    ${f.id} (${f.type}) ${f.reason ?? ''}${f.by ? `, by ${f.by}` : ''}${f.recordedAt ? `, ${f.recordedAt}` : ''}`.trimEnd());
  }
  if (w.rules.length) {
    lines.push('  rules relied on:');
    for (const r of w.rules) {
      lines.push(`    ${r.key} = ${JSON.stringify(r.value)}: ${r.rule}${confidenceTag(r)}`);
      if (r.shown) lines.push(`      shown by: ${r.shown}`);
    }
  }
  return lines.join('\n');
}
