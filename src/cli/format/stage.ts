// One stage's results as a table, JSON or CSV: positions, times, gaps, a marker
// for times not simply driven (notional, assessed, max time…), split times and
// the penalties incurred on the stage with their reasons.
import type { StageClassification, StageRow, StageStatus } from '../../core/results.ts';
import type { Fact } from '../../core/facts.ts';
import { distanceIn, type Control, type Entry, type RallyDefinition } from '../../core/model.ts';
import { formatDuration, formatGap } from '../../core/time/index.ts';
import { fitsUncut, renderTable, wrap, type Column } from './table.ts';
import { toCsv, type CsvValue } from './csv.ts';
import { crewShort, crewSurnames, distanceText, gapText, penaltyText, stageDecimals, timeText } from './cells.ts';
import type { RenderContext } from './classification.ts';
import { entriesByCar } from './context.ts';

/** Short words for a time that was not simply driven and timed. */
export const STATUS_MARKERS: Record<StageStatus, string> = {
  ok: '',
  notional: 'notional',
  assessed: 'assessed',
  restartCharged: 'restart',
  maxTime: 'max time',
  running: 'running',
  notRun: 'not run',
  cancelled: 'cancelled',
};

const MARKER_MEANINGS: Partial<Record<StageStatus, string>> = {
  notional: 'given by the Clerk of the Course after the stage was interrupted',
  assessed: 'charged by officials (e.g. on a Super Rally restart)',
  restartCharged: 'charged under the Super Rally rule for a stage missed after retiring',
  maxTime: 'stage maximum charged',
  running: 'started, not yet finished',
};

export interface StagePenalty {
  car: number;
  ms: number | null;
  reason: string;
  rule: string | null;
  fact: string;
}

/** Penalty and jump-start facts on this stage that no later fact superseded or withdrew. */
export function stagePenalties(facts: readonly Fact[], stage: string): StagePenalty[] {
  const superseded = new Set(facts.flatMap((f) => (f.supersedes ? [f.supersedes] : [])));
  const out: StagePenalty[] = [];
  for (const f of facts) {
    if (superseded.has(f.id)) continue;
    if (f.type === 'penalty' && f.stage === stage) out.push({ car: f.car, ms: Math.round(f.seconds * 1000), reason: f.reason, rule: f.rule ?? null, fact: f.id });
    if (f.type === 'jumpStart' && f.stage === stage) out.push({ car: f.car, ms: null, reason: 'jump start', rule: null, fact: f.id });
  }
  return out.sort((a, b) => a.car - b.car);
}

function splitControls(def: RallyDefinition, stage: string): Control[] {
  return def.legs.flatMap((l) => l.sections.flatMap((s) => s.controls)).filter((c) => c.kind === 'SPLIT' && c.stage === stage);
}

/** Rows that have a time or are on the stage now; the rest are listed by car number. */
function shownRows(sc: StageClassification): StageRow[] {
  return sc.rows.filter((r) => r.timeMs !== null || r.status === 'running');
}

function averageSpeed(distanceM: number, ms: number, unit: 'mi' | 'km'): string {
  if (ms <= 0 || distanceM <= 0) return '';
  const perHour = distanceIn(unit, distanceM) / (ms / 3_600_000);
  return `${perHour.toFixed(1)} ${unit === 'mi' ? 'mph' : 'km/h'}`;
}

export function stageTable(sc: StageClassification, ctx: RenderContext, facts: readonly Fact[], width = 80, classCode?: string): string {
  const def = ctx.definition;
  const dec = stageDecimals(sc.stage.precisionMs, ctx.rules.stagePrecisionMs.value);
  const splits = splitControls(def, sc.stage.code);
  const rows = shownRows(sc);
  const splitCols = splits.filter((c) => rows.some((r) => r.splitsMs?.[c.id] !== undefined));
  const flags = [sc.cancelled ? 'CANCELLED' : '', sc.interrupted ? 'interrupted' : ''].filter(Boolean);
  const legName = def.legs.find((l) => l.id === sc.stage.leg)?.name;
  const parts = [
    `${wrap(def.name, width, 2)}\n${sc.stage.code} ${sc.stage.name}, ${distanceText(sc.stage.distanceM, def.distanceUnit)}${legName ? `, ${legName}` : ''}` +
      `${classCode ? `, class ${classCode}` : ''}${flags.length ? ` (${flags.join(', ')})` : ''}\n\n`,
  ];
  const columns: Column[] = [
    { header: 'Pos', align: 'right' }, { header: 'Car', align: 'right' }, { header: 'Crew', flex: true, minWidth: 14 }, { header: 'Class' },
    ...splitCols.map((c): Column => ({ header: c.name ?? c.id, align: 'right' })),
    { header: 'Time', align: 'right' }, { header: 'Gap', align: 'right' }, { header: 'Diff', align: 'right' }, { header: 'Pen', align: 'right' }, { header: 'Note' },
  ];
  const bodyWith = (crew: (e: Entry) => string): string[][] => rows.map((r) => [
    r.position === null ? '' : String(r.position), String(r.car), crew(r.entry), r.entry.class,
    ...splitCols.map((c) => { const v = r.splitsMs?.[c.id]; return v === undefined ? '' : formatDuration(v, dec); }),
    timeText(r.timeMs, dec), gapText(r.gapToWinnerMs, dec), gapText(r.gapToPrevMs, dec), penaltyText(r.penaltyMs), STATUS_MARKERS[r.status],
  ]);
  const initialled = bodyWith(crewShort);
  const body = fitsUncut(columns, initialled, 2, width) ? initialled : bodyWith(crewSurnames);
  if (sc.cancelled) parts.push('The stage was cancelled: it counts for no crew.\n');
  else parts.push(body.length ? renderTable(columns, body, width) : '(no times yet)\n');

  const entries = entriesByCar(def);
  const crewOf = (car: number): string => { const e = entries.get(car); return e ? crewShort(e) : ''; };
  const fastest = sc.winners[0];
  if (fastest && !sc.cancelled) {
    const cars = sc.winners.map((w) => `car ${w.car} ${crewOf(w.car)}`).join(', ');
    parts.push(`\nFastest: ${cars} in ${formatDuration(fastest.timeMs, dec)}, average ${averageSpeed(sc.stage.distanceM, fastest.timeMs, def.distanceUnit)}\n`);
  }
  const used = new Set(rows.map((r) => r.status));
  const legend = [...used].filter((s) => MARKER_MEANINGS[s]).map((s) => `  ${STATUS_MARKERS[s]}: ${MARKER_MEANINGS[s]}`);
  if (legend.length) parts.push('\nNotes\n' + legend.join('\n') + '\n');

  const inScope = new Set(sc.rows.map((r) => r.car));
  const penalties = stagePenalties(facts, sc.stage.code).filter((p) => inScope.has(p.car));
  if (penalties.length) {
    parts.push(`\nPenalties on ${sc.stage.code}\n`);
    parts.push(renderTable([{ header: 'Car', align: 'right' }, { header: 'Penalty', align: 'right' }, { header: 'Reason', flex: true, minWidth: 16 }, { header: 'Rule', flex: true, minWidth: 10 }],
      penalties.map((p) => {
        const charged = p.ms ?? sc.rows.find((r) => r.car === p.car)?.penaltyMs ?? 0;
        return [String(p.car), penaltyText(charged), p.reason, p.rule ?? ''];
      }), width));
  }
  const notRun = sc.rows.filter((r) => r.timeMs === null && r.status !== 'running');
  if (notRun.length && !sc.cancelled) parts.push(`\nNo time on ${sc.stage.code}: cars ${notRun.map((r) => r.car).join(', ')}\n`);
  return parts.join('');
}

export function stageJson(sc: StageClassification, ctx: RenderContext, facts: readonly Fact[]): unknown {
  const def = ctx.definition;
  const dec = stageDecimals(sc.stage.precisionMs, ctx.rules.stagePrecisionMs.value);
  const splits = splitControls(def, sc.stage.code);
  return {
    rally: { id: def.id, name: def.name, distanceUnit: def.distanceUnit, rules: { preset: ctx.rules.id, version: ctx.rules.version } },
    stage: {
      code: sc.stage.code, name: sc.stage.name, leg: sc.stage.leg, type: sc.stage.type,
      distanceM: sc.stage.distanceM, distance: Math.round(distanceIn(def.distanceUnit, sc.stage.distanceM) * 100) / 100, distanceUnit: def.distanceUnit,
      cancelled: sc.cancelled, interrupted: sc.interrupted,
    },
    rows: sc.rows.map((r) => ({
      position: r.position, classPosition: r.classPosition, car: r.car,
      driver: r.entry.driver.name, codriver: r.entry.codriver?.name ?? null, class: r.entry.class,
      status: r.status,
      timeMs: r.timeMs, time: r.timeMs === null ? null : formatDuration(r.timeMs, dec),
      gapToWinnerMs: r.gapToWinnerMs, gapToWinner: r.gapToWinnerMs === null ? null : formatGap(r.gapToWinnerMs, dec),
      gapToPrevMs: r.gapToPrevMs, gapToPrev: r.gapToPrevMs === null ? null : formatGap(r.gapToPrevMs, dec),
      penaltyMs: r.penaltyMs, penalty: penaltyText(r.penaltyMs) || '0:00',
      splits: splits.map((c) => ({ control: c.id, ms: r.splitsMs?.[c.id] ?? null, time: r.splitsMs?.[c.id] === undefined ? null : formatDuration(r.splitsMs[c.id]!, dec) })),
    })),
    winners: sc.winners.map((w) => ({ car: w.car, timeMs: w.timeMs, time: formatDuration(w.timeMs, dec) })),
    penalties: stagePenalties(facts, sc.stage.code).filter((p) => sc.rows.some((r) => r.car === p.car)),
  };
}

export function stageCsv(sc: StageClassification, ctx: RenderContext): string {
  const dec = stageDecimals(sc.stage.precisionMs, ctx.rules.stagePrecisionMs.value);
  const splits = splitControls(ctx.definition, sc.stage.code);
  const header = ['stage', 'position', 'class_position', 'car', 'driver', 'codriver', 'class', 'status', 'time_ms', 'time',
    'gap_to_winner_ms', 'gap_to_winner', 'gap_to_prev_ms', 'gap_to_prev', 'penalty_ms', 'penalty',
    ...splits.flatMap((c) => [`split_${c.id}_ms`, `split_${c.id}`])];
  const rows: CsvValue[][] = sc.rows.map((r) => [
    sc.stage.code, r.position, r.classPosition, r.car, r.entry.driver.name, r.entry.codriver?.name ?? null, r.entry.class, r.status,
    r.timeMs, r.timeMs === null ? null : formatDuration(r.timeMs, dec),
    r.gapToWinnerMs, r.gapToWinnerMs === null ? null : formatGap(r.gapToWinnerMs, dec),
    r.gapToPrevMs, r.gapToPrevMs === null ? null : formatGap(r.gapToPrevMs, dec),
    r.penaltyMs, penaltyText(r.penaltyMs) || '0:00',
    ...splits.flatMap((c) => { const v = r.splitsMs?.[c.id]; return v === undefined ? [null, null] : [v, formatDuration(v, dec)]; }),
  ]);
  return toCsv(header, rows);
}
