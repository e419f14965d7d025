// One stage's results as a table, JSON or CSV: positions, times, gaps, a marker
// for times not simply driven (notional, assessed, max time…), split times and
// the penalties incurred on the stage with their reasons.
import type { StageClassification, StageRow, StageStatus } from '../../core/results.ts';
import type { Fact } from '../../core/facts.ts';
import { distanceIn, type Control, type Entry, type RallyDefinition } from '../../core/model.ts';
import { formatDuration, formatGap } from '../../core/time/index.ts';
import { dataIssues, explain, type ScoringState } from '../../core/scoring/index.ts';
import { RETIRED_ON_STAGE_LABEL, RETIRED_ON_STAGE_MEANING, STAGE_STATUS_LABELS, STAGE_STATUS_MEANINGS, stageCellLabel } from '../../core/status-labels.ts';
import { fitsUncut, renderTable, wrap, type Column } from './table.ts';
import { toCsv, type CsvValue } from './csv.ts';
import { confidenceOf, confidenceTag } from '../../core/rules/types.ts';
import { crewShort, crewSurnames, distanceText, gapText, penaltyText, stageDecimals, timeText } from './cells.ts';
import type { RenderContext } from './classification.ts';
import { entriesByCar } from './context.ts';

/** Statuses explained in the legend under the table. */
const EXPLAINED: ReadonlySet<StageStatus> = new Set(['notional', 'assessed', 'restartCharged', 'maxTime', 'running']);

/** A penalty the scoring charged on this stage: amount, reason and the rule it cites. */
export interface StagePenalty {
  car: number;
  ms: number;
  reason: string;
  rule: string | null;
  /** False when the preset marks the rule value as not confirmed by the rulebook. */
  confirmed: boolean;
  /** Shown by published results (not the rulebook): which results and cases. */
  shown?: string;
  facts: string[];
}

/** Something recorded on this stage that is not (yet) a penalty: a device's jump start no official has decided, a penalty awaiting the stewards. */
export interface StagePending {
  car: number;
  what: string;
  facts: string[];
}

export interface StagePenalties {
  charged: StagePenalty[];
  pending: StagePending[];
}

/**
 * The penalties on one stage as the scoring charged them (its workings for
 * each crew on the stage), and what is recorded but not charged: jump starts
 * a timing device recorded that no official has decided on.
 */
export function stagePenalties(state: ScoringState, sc: StageClassification, facts: readonly Fact[]): StagePenalties {
  const code = sc.stage.code;
  const charged: StagePenalty[] = [];
  const pending: StagePending[] = [];
  for (const row of sc.rows) {
    for (const step of explain(state, row.car, code).steps) {
      if (step.kind !== 'penalty') continue;
      const reason = step.label.replace(/^penalty: /, '');
      const ids = (step.facts ?? []).map((f) => f.id);
      if ((step.ms ?? 0) > 0) charged.push({ car: row.car, ms: step.ms!, reason, rule: step.rule ?? null, confirmed: step.confirmed !== false, ...(step.shown ? { shown: step.shown } : {}), facts: ids });
      else pending.push({ car: row.car, what: reason, facts: ids });
    }
  }
  const inScope = new Set(sc.rows.map((r) => r.car));
  const byId = new Map(facts.map((f) => [f.id, f]));
  for (const issue of dataIssues(state)) {
    if (issue.code !== 'jump-start-not-penalised' || issue.stage !== code || issue.car === undefined || !inScope.has(issue.car)) continue;
    const f = byId.get(issue.facts[0] ?? '');
    const source = f && f.type === 'jumpStart' && f.source ? f.source : 'a timing device';
    const jumped = f && f.type === 'jumpStart' && f.jumpedMs !== undefined ? ` (moved ${formatDuration(f.jumpedMs, 1)} s early)` : '';
    pending.push({ car: issue.car, what: `jump start recorded by ${source}${jumped}, not decided by an official: no penalty yet`, facts: issue.facts });
  }
  const order = (a: { car: number }, b: { car: number }): number => a.car - b.car;
  return { charged: charged.sort(order), pending: pending.sort(order) };
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

/** What the stage view marks beside a crew besides its time's status. */
export interface StageMarks {
  /** Crews excluded from the rally: their stage times stand as recorded (docs/scoring.md, "Exclusion"), so they keep their place, marked. */
  excluded?: ReadonlySet<number>;
  /** Crews that retired on this stage: started, never finished, and not "on the stage" any more. */
  retiredHere?: ReadonlySet<number>;
}

/** The crews retired on `stage` (at its code or one of its controls), from a classification's retired list. */
export function retiredOnStage(def: RallyDefinition, stage: string, retired: readonly { car: number; where: string }[]): Set<number> {
  const controls = new Set(def.legs.flatMap((l) => l.sections.flatMap((s) => s.controls)).filter((c) => c.stage === stage).map((c) => c.id));
  return new Set(retired.filter((r) => r.where === stage || controls.has(r.where)).map((r) => r.car));
}

function retiredHere(r: StageRow, marks: StageMarks): boolean {
  return r.status === 'running' && (marks.retiredHere?.has(r.car) ?? false);
}

function noteOf(r: StageRow, marks: StageMarks): string {
  const status = r.status === 'ok' ? '' : stageCellLabel(r.status, retiredHere(r, marks));
  return [status, marks.excluded?.has(r.car) ? 'excluded' : ''].filter(Boolean).join(', ');
}

export function stageTable(sc: StageClassification, ctx: RenderContext, penalties: StagePenalties, width = 80, classCode?: string, marks: StageMarks = {}): string {
  const excluded = marks.excluded ?? new Set<number>();
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
    timeText(r.timeMs, dec), gapText(r.gapToWinnerMs, dec), gapText(r.gapToPrevMs, dec), penaltyText(r.penaltyMs), noteOf(r, marks),
  ]);
  const initialled = bodyWith(crewShort);
  const body = fitsUncut(columns, initialled, 2, width) ? initialled : bodyWith(crewSurnames);
  if (sc.cancelled) parts.push('The stage was cancelled: it counts for no crew.\n');
  else parts.push(body.length ? renderTable(columns, body, width) : '(no times yet)\n');

  const entries = entriesByCar(def);
  const crewOf = (car: number): string => { const e = entries.get(car); return e ? crewShort(e) : ''; };
  const fastest = sc.winners[0];
  if (fastest && !sc.cancelled) {
    const cars = sc.winners.map((w) => `car ${w.car} ${crewOf(w.car)}${excluded.has(w.car) ? ' (excluded from the rally; its stage time stands)' : ''}`).join(', ');
    parts.push(`\n${wrap(`Fastest: ${cars} in ${formatDuration(fastest.timeMs, dec)}, average ${averageSpeed(sc.stage.distanceM, fastest.timeMs, def.distanceUnit)}`, width, 2)}\n`);
  }
  const used = new Set(rows.filter((r) => !retiredHere(r, marks)).map((r) => r.status));
  const legend = [...used].filter((st) => EXPLAINED.has(st)).map((st) => `  ${STAGE_STATUS_LABELS[st]}: ${STAGE_STATUS_MEANINGS[st]}`);
  if (rows.some((r) => retiredHere(r, marks))) legend.push(`  ${RETIRED_ON_STAGE_LABEL}: ${RETIRED_ON_STAGE_MEANING}`);
  if (rows.some((r) => excluded.has(r.car))) legend.push('  excluded: out of the rally\'s classification; its stage times stand as recorded');
  if (legend.length) parts.push('\nNotes\n' + legend.join('\n') + '\n');

  if (penalties.charged.length) {
    parts.push(`\nPenalties on ${sc.stage.code}\n`);
    // Reasons and rules are what a steward reads here, so these lines wrap rather than cut.
    const amounts = penalties.charged.map((p) => penaltyText(p.ms));
    const w = Math.max(...amounts.map((a) => a.length));
    penalties.charged.forEach((p, n) => {
      const rule = p.rule ? `; ${p.rule}${p.confirmed ? '' : confidenceTag(p)}` : '';
      parts.push(wrap(`${String(p.car).padStart(4)}  ${amounts[n]!.padStart(w)}  ${p.reason}${rule}`, width, 8 + w) + '\n');
    });
  }
  if (penalties.pending.length) {
    parts.push(`\nRecorded, not decided (no penalty charged)\n`);
    for (const p of penalties.pending) parts.push(wrap(`${String(p.car).padStart(4)}  ${p.what}`, width, 6) + '\n');
  }
  const notRun = sc.rows.filter((r) => r.timeMs === null && r.status !== 'running');
  if (notRun.length && !sc.cancelled) parts.push(`\nNo time on ${sc.stage.code}: cars ${notRun.map((r) => r.car).join(', ')}\n`);
  return parts.join('');
}

export function stageJson(sc: StageClassification, ctx: RenderContext, penalties: StagePenalties, marks: StageMarks = {}): unknown {
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
      excluded: marks.excluded?.has(r.car) ?? false,
      retiredHere: marks.retiredHere?.has(r.car) ?? false,
      // The code stays `running` (no finish recorded); the words say the crew retired there.
      statusLabel: stageCellLabel(r.status, retiredHere(r, marks)),
      timeMs: r.timeMs, time: r.timeMs === null ? null : formatDuration(r.timeMs, dec),
      gapToWinnerMs: r.gapToWinnerMs, gapToWinner: r.gapToWinnerMs === null ? null : formatGap(r.gapToWinnerMs, dec),
      gapToPrevMs: r.gapToPrevMs, gapToPrev: r.gapToPrevMs === null ? null : formatGap(r.gapToPrevMs, dec),
      penaltyMs: r.penaltyMs, penalty: penaltyText(r.penaltyMs) || '0:00',
      splits: splits.map((c) => ({ control: c.id, ms: r.splitsMs?.[c.id] ?? null, time: r.splitsMs?.[c.id] === undefined ? null : formatDuration(r.splitsMs[c.id]!, dec) })),
    })),
    winners: sc.winners.map((w) => ({ car: w.car, timeMs: w.timeMs, time: formatDuration(w.timeMs, dec) })),
    penalties: penalties.charged.map((p) => ({ car: p.car, ms: p.ms, penalty: penaltyText(p.ms), reason: p.reason, rule: p.rule, confirmed: p.confirmed, confidence: confidenceOf(p), facts: p.facts })),
    recordedNotDecided: penalties.pending.map((p) => ({ car: p.car, what: p.what, facts: p.facts })),
  };
}

/** The CSV's `out` column: `excluded` from the rally, `retired` on this stage, or empty. */
function outOf(r: StageRow, marks: StageMarks): string | null {
  if (marks.excluded?.has(r.car)) return 'excluded';
  return retiredHere(r, marks) ? RETIRED_ON_STAGE_LABEL : null;
}

export function stageCsv(sc: StageClassification, ctx: RenderContext, marks: StageMarks = {}): string {
  const dec = stageDecimals(sc.stage.precisionMs, ctx.rules.stagePrecisionMs.value);
  const splits = splitControls(ctx.definition, sc.stage.code);
  const header = ['stage', 'position', 'class_position', 'car', 'driver', 'codriver', 'class', 'status', 'status_label', 'out', 'time_ms', 'time',
    'gap_to_winner_ms', 'gap_to_winner', 'gap_to_prev_ms', 'gap_to_prev', 'penalty_ms', 'penalty',
    ...splits.flatMap((c) => [`split_${c.id}_ms`, `split_${c.id}`])];
  const rows: CsvValue[][] = sc.rows.map((r) => [
    sc.stage.code, r.position, r.classPosition, r.car, r.entry.driver.name, r.entry.codriver?.name ?? null, r.entry.class, r.status,
    stageCellLabel(r.status, retiredHere(r, marks)), outOf(r, marks),
    r.timeMs, r.timeMs === null ? null : formatDuration(r.timeMs, dec),
    r.gapToWinnerMs, r.gapToWinnerMs === null ? null : formatGap(r.gapToWinnerMs, dec),
    r.gapToPrevMs, r.gapToPrevMs === null ? null : formatGap(r.gapToPrevMs, dec),
    r.penaltyMs, penaltyText(r.penaltyMs) || '0:00',
    ...splits.flatMap((c) => { const v = r.splitsMs?.[c.id]; return v === undefined ? [null, null] : [v, formatDuration(v, dec)]; }),
  ]);
  return toCsv(header, rows);
}
