// An overall or class classification as a table, JSON or CSV: positions,
// crews, totals, penalties, gaps and position changes, then stage winners and
// the crews restarted under Super Rally, retired or excluded, with their reasons.
import type { Classification, ClassificationRow, ExcludedCrew, RetiredCrew } from '../../core/results.ts';
import { distanceIn, type Entry, type RallyDefinition } from '../../core/model.ts';
import type { RuleSet } from '../../core/rules/types.ts';
import { formatDuration, formatGap } from '../../core/time/index.ts';
import { carStatusLabel } from '../../core/status-labels.ts';
import { fitsUncut, renderTable, wrap, type Column } from './table.ts';
import { toCsv, type CsvValue } from './csv.ts';
import { crewShort, crewSurnames, distanceText, gapText, makeModel, penaltyText, positionChangeText, stageDecimals, timeText } from './cells.ts';
import { entriesByCar, stagesUpTo, totalDecimals } from './context.ts';

export interface RenderContext {
  definition: RallyDefinition;
  rules: RuleSet;
}

/** The rally's name (wrapped to the width) and, below it, what this classification covers. */
function heading(c: Classification, ctx: RenderContext, width: number): string {
  const def = ctx.definition;
  const category = c.category ? def.categories?.find((x) => x.code === c.category)?.name ?? c.category : null;
  const scope = `${category ? `${category}: ` : ''}${c.class ? `Class ${c.class}` : 'Overall'}`;
  const legName = c.leg ? def.legs.find((l) => l.id === c.leg)?.name ?? c.leg : null;
  // With categories, only the stages this category runs.
  const runs = (s: { runBy?: string[] }): boolean => !c.category || !s.runBy || s.runBy.includes(c.category);
  const counted = stagesUpTo(def, c.after, c.leg).filter((code) => runs(def.stages.find((s) => s.code === code) ?? {})).length;
  const total = def.stages.filter((s) => (!c.leg || s.leg === c.leg) && runs(s)).length;
  const after = c.after === null ? 'before the first stage' : `after ${c.after} (${counted} of ${total} stages)`;
  return `${wrap(def.name, width, 2)}\n${scope}${legName ? `, ${legName}` : ''}, ${after}\n\n`;
}

function unknownEntry(car: number): Entry {
  return { car, driver: { name: `car ${car}` }, codriver: { name: '' }, make: '', model: '', class: '' };
}

function classifiedRows(c: Classification): ClassificationRow[] {
  return c.rows.filter((r) => r.position !== null);
}

interface OutLists {
  /** Retirements that stand: the crew did not restart after them. */
  retired: RetiredCrew[];
  /** Retirements followed by a Super Rally restart: the crew is back in the rally. */
  restarted: RetiredCrew[];
  excluded: ExcludedCrew[];
}

/** Retired, restarted and excluded crews, limited to the classification's class when it has one. */
function outLists(c: Classification, entries: Map<number, Entry>): OutLists {
  const inScope = (car: number): boolean => !c.class || entries.get(car)?.class === c.class;
  const mine = c.retired.filter((r) => inScope(r.car));
  return {
    retired: mine.filter((r) => r.restartedAt === undefined),
    restarted: mine.filter((r) => r.restartedAt !== undefined),
    excluded: c.excluded.filter((x) => inScope(x.car)),
  };
}

/** `L2A (Saturday loop 1)`: a restart point with its name, when the itinerary gives one. */
function sectionText(def: RallyDefinition, id: string): string {
  for (const leg of def.legs) {
    if (leg.id === id) return leg.name ? `${id} (${leg.name})` : id;
    const section = leg.sections.find((s) => s.id === id);
    if (section) return section.name ? `${id} (${section.name})` : id;
  }
  return id;
}

/** Why a crew is not classified, for people: `excluded: lights (SR 12.3)`, `retired at SS6: gearbox`; null for a crew in the rally. */
function statusReason(row: ClassificationRow, lists: OutLists): string | null {
  if (row.status === 'excluded') {
    const x = lists.excluded.find((e) => e.car === row.car);
    return x ? `${carStatusLabel('excluded')}: ${x.reason}${x.rule ? ` (${x.rule})` : ''}` : carStatusLabel('excluded');
  }
  if (row.status === 'retired') {
    const r = lists.retired.filter((e) => e.car === row.car).at(-1);
    return r ? `${carStatusLabel('retired')} at ${r.where}: ${r.reason}` : carStatusLabel('retired');
  }
  return null;
}

/**
 * An excluded or retired crew has no total: it is out of the classification,
 * whatever its times add up to (a crew restarted under Super Rally is running
 * again and keeps one). The sum stays in `stages_ms` and the workings.
 */
function totalOf(row: ClassificationRow): number | null {
  return row.status === 'excluded' || row.status === 'retired' ? null : row.totalMs;
}

export function classificationTable(c: Classification, ctx: RenderContext, width = 80): string {
  const entries = entriesByCar(ctx.definition);
  const dec = totalDecimals(ctx.rules);
  // NOTE: a class classification leaves out the class column: it would say the same on every line.
  const showClass = !c.class;
  const columns: Column[] = [
    { header: 'Pos', align: 'right' },
    { header: 'Car', align: 'right' },
    { header: 'Crew', flex: true, minWidth: 14 },
    ...(showClass ? [{ header: 'Class' }] : []),
    { header: 'Car model', flex: true, minWidth: 10, shrinkOrder: 0 },
    { header: 'Total', align: 'right' },
    { header: 'Pen', align: 'right' },
    { header: 'Gap', align: 'right' },
    { header: 'Diff', align: 'right' },
    { header: '±' },
  ];
  const rowsWith = (crew: (e: Entry) => string): string[][] => classifiedRows(c).map((r) => [
    String(r.position),
    String(r.car),
    crew(r.entry),
    ...(showClass ? [r.entry.class] : []),
    makeModel(r.entry),
    timeText(r.totalMs, dec),
    penaltyText(r.penaltyMs),
    gapText(r.gapToLeaderMs, dec),
    gapText(r.gapToPrevMs, dec),
    positionChangeText(r.positionChange),
  ]);
  // NOTE: initials and family names read best; when they do not fit, family names only.
  const initialled = rowsWith(crewShort);
  const rows = fitsUncut(columns, initialled, 2, width) ? initialled : rowsWith(crewSurnames);
  const parts = [heading(c, ctx, width)];
  parts.push(rows.length ? renderTable(columns, rows, width) : '(no classified crews yet)\n');

  if (c.stageWinners.length) {
    parts.push('\nStage winners\n');
    const winnerRows = c.stageWinners.map((w) => {
      const stage = ctx.definition.stages.find((s) => s.code === w.stage);
      const crews = w.cars.map((car) => `${car} ${crewShort(entries.get(car) ?? unknownEntry(car))}`).join('; ');
      return [w.stage, stage?.name ?? '', stage ? distanceText(stage.distanceM, ctx.definition.distanceUnit) : '',
        timeText(w.timeMs, stageDecimals(stage?.precisionMs, ctx.rules.stagePrecisionMs.value)), crews];
    });
    parts.push(renderTable([
      { header: 'Stage' }, { header: 'Name', flex: true, minWidth: 10 }, { header: 'Length', align: 'right' },
      { header: 'Time', align: 'right' }, { header: 'Winner', flex: true, minWidth: 14 },
    ], winnerRows, width));
  }
  const { retired, restarted, excluded } = outLists(c, entries);
  // Reasons are what a reader wants here, so these lists wrap rather than cut.
  const listLine = (car: number, text: string): string => wrap(`${String(car).padStart(4)}  ${text}`, width, 6) + '\n';
  const crewOf = (car: number): string => crewShort(entries.get(car) ?? unknownEntry(car));
  if (restarted.length) {
    parts.push('\nRestarted under Super Rally\n');
    for (const r of restarted) parts.push(listLine(r.car, `${crewOf(r.car)}, retired at ${r.where}: ${r.reason}; restarted at ${sectionText(ctx.definition, r.restartedAt!)}`));
  }
  if (retired.length) {
    parts.push('\nRetired\n');
    for (const r of retired) parts.push(listLine(r.car, `${crewOf(r.car)}, at ${r.where}: ${r.reason}${r.permanent ? ' (permanent)' : ''}`));
  }
  if (excluded.length) {
    parts.push('\nExcluded\n');
    for (const x of excluded) parts.push(listLine(x.car, `${crewOf(x.car)}: ${x.reason}${x.rule ? ` (${x.rule})` : ''}`));
  }
  const notClassified = c.rows.filter((r) => r.position === null && r.status !== 'retired' && r.status !== 'excluded');
  if (notClassified.length) parts.push(`\nNot classified (${notClassified[0]!.status === 'notStarted' ? 'not started' : 'not yet classified'}): cars ${notClassified.map((r) => r.car).join(', ')}\n`);
  return parts.join('');
}

function personJson(p: { name: string; nationality?: string } | undefined): { name: string; nationality: string | null } {
  return { name: p?.name ?? '', nationality: p?.nationality ?? null };
}

/** Machine-readable: every time as integer ms beside the text people read. */
export function classificationJson(c: Classification, ctx: RenderContext): unknown {
  const def = ctx.definition;
  const entries = entriesByCar(def);
  const dec = totalDecimals(ctx.rules);
  const lists = outLists(c, entries);
  const { retired, restarted, excluded } = lists;
  return {
    rally: { id: def.id, name: def.name, distanceUnit: def.distanceUnit, rules: { preset: ctx.rules.id, version: ctx.rules.version } },
    after: c.after,
    leg: c.leg ?? null,
    class: c.class ?? null,
    stagesCounted: stagesUpTo(def, c.after, c.leg),
    rows: c.rows.map((r) => ({
      position: r.position,
      classPosition: r.classPosition,
      car: r.car,
      driver: personJson(r.entry.driver),
      codriver: personJson(r.entry.codriver),
      class: r.entry.class,
      make: r.entry.make,
      model: r.entry.model,
      status: r.status,
      statusLabel: carStatusLabel(r.status),
      statusReason: statusReason(r, lists),
      stagesMs: r.stagesMs,
      stages: formatDuration(r.stagesMs, dec),
      stagesCounted: r.stagesCounted,
      roadPenaltyMs: r.roadPenaltyMs,
      otherPenaltyMs: r.otherPenaltyMs,
      penaltyMs: r.penaltyMs,
      penalty: penaltyText(r.penaltyMs) || '0:00',
      totalMs: totalOf(r),
      total: totalOf(r) === null ? null : formatDuration(r.totalMs, dec),
      gapToLeaderMs: r.gapToLeaderMs,
      gapToLeader: r.gapToLeaderMs === null ? null : formatGap(r.gapToLeaderMs, dec),
      gapToPrevMs: r.gapToPrevMs,
      gapToPrev: r.gapToPrevMs === null ? null : formatGap(r.gapToPrevMs, dec),
      positionChange: r.positionChange,
    })),
    stageWinners: c.stageWinners.map((w) => {
      const stage = def.stages.find((s) => s.code === w.stage);
      return {
        stage: w.stage,
        name: stage?.name ?? null,
        distance: stage ? Math.round(distanceIn(def.distanceUnit, stage.distanceM) * 100) / 100 : null,
        distanceUnit: def.distanceUnit,
        cars: w.cars,
        timeMs: w.timeMs,
        time: formatDuration(w.timeMs, stageDecimals(stage?.precisionMs, ctx.rules.stagePrecisionMs.value)),
      };
    }),
    retired: retired.map((r) => ({ car: r.car, where: r.where, reason: r.reason, permanent: r.permanent, fact: r.factId })),
    restarted: restarted.map((r) => ({ car: r.car, retiredAt: r.where, reason: r.reason, restartedAt: r.restartedAt!, fact: r.factId })),
    excluded: excluded.map((x) => ({ car: x.car, reason: x.reason, rule: x.rule ?? null, fact: x.factId })),
  };
}

export const CLASSIFICATION_CSV_HEADER = [
  'position', 'class_position', 'car', 'driver', 'driver_nationality', 'codriver', 'codriver_nationality', 'class', 'make', 'model',
  'status', 'stages_counted', 'stages_ms', 'road_penalty_ms', 'other_penalty_ms', 'penalty_ms', 'penalty', 'total_ms', 'total',
  'gap_to_leader_ms', 'gap_to_leader', 'gap_to_prev_ms', 'gap_to_prev', 'position_change', 'status_reason',
] as const;

/** One row per crew (classified or not), with a header row. */
export function classificationCsv(c: Classification, ctx: RenderContext): string {
  const dec = totalDecimals(ctx.rules);
  const lists = outLists(c, entriesByCar(ctx.definition));
  const rows: CsvValue[][] = c.rows.map((r) => [
    r.position, r.classPosition, r.car, r.entry.driver.name, r.entry.driver.nationality ?? null, r.entry.codriver?.name ?? null,
    r.entry.codriver?.nationality ?? null, r.entry.class, r.entry.make, r.entry.model, r.status, r.stagesCounted, r.stagesMs,
    r.roadPenaltyMs, r.otherPenaltyMs, r.penaltyMs, penaltyText(r.penaltyMs) || '0:00', totalOf(r), totalOf(r) === null ? null : formatDuration(r.totalMs, dec),
    r.gapToLeaderMs, r.gapToLeaderMs === null ? null : formatGap(r.gapToLeaderMs, dec),
    r.gapToPrevMs, r.gapToPrevMs === null ? null : formatGap(r.gapToPrevMs, dec), r.positionChange, statusReason(r, lists),
  ]);
  return toCsv(CLASSIFICATION_CSV_HEADER, rows);
}
