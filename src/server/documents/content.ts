// What each official document says, as tables of text: built from the same
// scored state the pages and the API read (classify, stageResults, explain),
// so a printed result cannot differ from the one on screen. The PDF renderer
// (pdf.ts) only lays these out. Times read as rally people write them.
import type { Fact } from '../../core/facts.ts';
import type { Entry, RallyDefinition } from '../../core/model.ts';
import type { Classification, ClassificationRow } from '../../core/results.ts';
import type { RuleSet } from '../../core/rules/types.ts';
import { classify, classifyEveryCategory, explain, stageResults, type ScoringState } from '../../core/scoring/index.ts';
import { carStatusLabel, stageCellLabel, stageStatusLabel } from '../../core/status-labels.ts';
import { formatLocalDateTime } from '../../core/time/index.ts';
import { crewFull, distanceText, gapText, makeModel, penaltyText, personWithNationality, stageDecimals, timeText } from '../../cli/format/cells.ts';
import { entriesInStartOrder, legStartOrder } from '../../core/start-order.ts';
import { totalDecimals } from '../../cli/format/context.ts';

export const DOCUMENT_KINDS = [
  'entry-list', 'start-list', 'stage-results', 'classification', 'final-classification', 'penalties', 'retirements', 'decision',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_TITLES: Record<DocumentKind, string> = {
  'entry-list': 'Entry list',
  'start-list': 'Start list',
  'stage-results': 'Stage results',
  classification: 'Classification',
  'final-classification': 'Final classification',
  penalties: 'Penalties',
  retirements: 'Retirements and exclusions',
  decision: 'Decision',
};

export interface DocColumn {
  header: string;
  /** Share of the table's width. */
  width: number;
  align?: 'left' | 'right';
}
export interface DocTable {
  heading?: string;
  columns: DocColumn[];
  rows: string[][];
  /** Said instead of an empty table. */
  empty: string;
}
export interface OfficialDocument {
  kind: DocumentKind;
  title: string;
  subtitle: string;
  /** Lines of text before the tables (a decision's particulars). */
  particulars: [string, string][];
  tables: DocTable[];
  notes: string[];
  /** Who signs it (default: the Clerk of the Course). */
  signatory?: string;
}

export interface DocumentInput {
  definition: RallyDefinition;
  rules: RuleSet;
  state: ScoringState;
  /** The log the state was scored from (facts 1..uptoSeq). */
  facts: readonly Fact[];
}

export interface DocumentQuery {
  leg?: string;
  stage?: string;
  after?: string;
  class?: string;
  /** A rally with categories (ARA National and Regional): the one printed (classification, stage results: default the first; final classification: default every one). */
  category?: string;
  fact?: string;
}

/** A problem with the query: which parameter, and what it should be. */
export class DocumentQueryError extends Error {
  constructor(readonly field: string, message: string) { super(message); }
}

const col = (header: string, width: number, align: 'left' | 'right' = 'left'): DocColumn => ({ header, width, align });

function classificationTable(rows: readonly ClassificationRow[], dec: number, opts: { classPositions: boolean; heading?: string }): DocTable {
  const classified = rows.filter((r) => r.position !== null);
  return {
    ...(opts.heading ? { heading: opts.heading } : {}),
    columns: [col('Pos', 4, 'right'), col('Car', 4, 'right'), col('Driver / co-driver', 31), col('Class', 7), col('Car', 17), col('Stages', 10, 'right'), col('Pen', 6, 'right'), col('Total', 10, 'right'), col('Gap', 9, 'right'), col('Diff', 8, 'right')],
    rows: classified.map((r) => [
      String(opts.classPositions ? r.classPosition ?? r.position : r.position), String(r.car), crewFull(r.entry), r.entry.class, makeModel(r.entry),
      timeText(r.stagesMs, dec), penaltyText(r.penaltyMs), timeText(r.totalMs, dec), gapText(r.gapToLeaderMs, dec), gapText(r.gapToPrevMs, dec),
    ]),
    empty: 'No crew is classified yet.',
  };
}

function notClassifiedTable(rows: readonly ClassificationRow[], reasons: Map<number, string>): DocTable {
  const out = rows.filter((r) => r.position === null);
  return {
    heading: 'Not classified',
    columns: [col('Car', 5, 'right'), col('Driver / co-driver', 32), col('Class', 8), col('Status', 12), col('Reason', 43)],
    rows: out.map((r) => [String(r.car), crewFull(r.entry), r.entry.class, carStatusLabel(r.status), reasons.get(r.car) ?? '']),
    empty: 'Every crew is classified.',
  };
}

/** Retirements and exclusions of every category (a rally with categories classifies each apart). */
function outOfRally(input: DocumentInput, after?: string): Pick<Classification, 'retired' | 'excluded'> {
  const all = classifyEveryCategory(input.state, after ? { after } : {});
  return { retired: all.flatMap((c) => c.retired), excluded: all.flatMap((c) => c.excluded) };
}

function outReasons(input: DocumentInput, after?: string): Map<number, string> {
  const c = outOfRally(input, after);
  const m = new Map<number, string>();
  for (const r of c.retired) m.set(r.car, `retired at ${r.where}: ${r.reason}${r.restartedAt ? ` (restarted at ${r.restartedAt})` : ''}`);
  for (const x of c.excluded) m.set(x.car, `excluded: ${x.reason}${x.rule ? ` (${x.rule})` : ''}`);
  return m;
}

function checkCategory(def: RallyDefinition, category: string | undefined): string | undefined {
  if (category === undefined) return undefined;
  const cats = def.categories ?? [];
  if (cats.length === 0) throw new DocumentQueryError('category', `category: this rally has one classification, no categories; leave category out`);
  const c = cats.find((x) => x.code.toLowerCase() === category.toLowerCase());
  if (!c) throw new DocumentQueryError('category', `category: no category "${category}"; categories are ${cats.map((x) => x.code).join(', ')}`);
  return c.code;
}

/** "National: " before a heading when the rally runs several categories; nothing otherwise. */
function categoryPrefix(def: RallyDefinition, category: string | null | undefined): string {
  if (!category || (def.categories ?? []).length === 0) return '';
  return `${def.categories!.find((c) => c.code === category)?.name ?? category}: `;
}

function findStage(def: RallyDefinition, code: string | undefined, field: string) {
  if (!code) throw new DocumentQueryError(field, `${field} is required: give a stage code (${def.stages.map((s) => s.code).join(', ')})`);
  const s = def.stages.find((x) => x.code.toLowerCase() === code.toLowerCase());
  if (!s) throw new DocumentQueryError(field, `${field}: no stage "${code}"; stages are ${def.stages.map((x) => x.code).join(', ')}`);
  return s;
}

function checkClass(def: RallyDefinition, cls: string | undefined): string | undefined {
  if (cls === undefined) return undefined;
  const c = def.classes.find((x) => x.code.toLowerCase() === cls.toLowerCase());
  if (!c) throw new DocumentQueryError('class', `class: no class "${cls}"; classes are ${def.classes.map((x) => x.code).join(', ')}`);
  return c.code;
}

function entryList(input: DocumentInput, cls?: string): OfficialDocument {
  const def = input.definition;
  const entries = entriesInStartOrder(def, cls);
  return {
    kind: 'entry-list', title: 'Entry list', subtitle: `${cls ? `Class ${cls}, ` : ''}${entries.length} crews, in start order`, particulars: [],
    tables: [{
      columns: [col('Car', 5, 'right'), col('Driver', 22), col('Co-driver', 22), col('Class', 8), col('Car', 18), col('Entrant', 25)],
      rows: entries.map((e) => [String(e.car), personWithNationality(e.driver), personWithNationality(e.codriver), e.class, makeModel(e), e.entrant ?? '']),
      empty: 'No entries.',
    }],
    notes: def.entries.some((e) => e.fictional) ? ['Some entries are fictional (invented for a fixture).'] : [],
  };
}

function startList(input: DocumentInput, legId: string | undefined): OfficialDocument {
  const def = input.definition;
  const leg = legId ? def.legs.find((l) => l.id.toLowerCase() === legId.toLowerCase() || l.name.toLowerCase() === legId.toLowerCase()) : def.legs[0];
  if (!leg) throw new DocumentQueryError('leg', `leg: no leg "${legId}"; legs are ${def.legs.map((l) => l.id).join(', ')}`);
  // The same start order and due times the scoring judges leg-start lateness by (core/start-order.ts).
  const order = legStartOrder(def, leg.id);
  const byCar = new Map(def.entries.map((e) => [e.car, e]));
  const control = order.control ? def.legs.flatMap((l) => l.sections.flatMap((s) => s.controls)).find((c) => c.id === order.control) : undefined;
  const where = control ? `${control.id}${control.name ? ` ${control.name}` : ''}` : '';
  const columns = [col('Order', 6, 'right'), col('Car', 5, 'right'), col('Driver / co-driver', 38), col('Class', 9), col('Car', 26), col('Due', 16, 'right')];
  const due = (ms: number | null): string => (ms === null ? '' : formatLocalDateTime(ms).slice(11, 19));
  if (order.list) {
    const list = order.list;
    return {
      kind: 'start-list', title: 'Start list', subtitle: `${leg.name} (${leg.id}), ${leg.date}${list.version ? `, version ${list.version}` : ''}`,
      particulars: [['Start', `${where}, due times as stored`], ['Seeding', list.method], ['Stored', `${list.at.slice(0, 16).replace('T', ' ')} UTC by ${list.by}: ${list.reason}`]],
      tables: [{
        columns,
        rows: order.positions.map((p) => { const e = byCar.get(p.car); return [String(p.order), String(p.car), e ? crewFull(e) : '', e?.class ?? '', e ? makeModel(e) : '', due(p.dueMs)]; }),
        empty: 'No crew starts this leg.',
      }],
      notes: order.notStarting.length ? [`Not starting this leg: ${order.notStarting.map((n) => `car ${n.car} (${n.why})`).join('; ')}.`] : [],
    };
  }
  const legIndex = def.legs.indexOf(leg);
  // Crews out of the rally before this leg (excluded, or retired without a restart) do not start it.
  const previous = def.stages.filter((s) => def.legs.findIndex((l) => l.id === s.leg) < legIndex).at(-1);
  const out = new Set<number>();
  if (previous) {
    const c = classify(input.state, { after: previous.code });
    for (const x of c.excluded) out.add(x.car);
    for (const r of c.retired) if (r.restartedAt === undefined) out.add(r.car);
    for (const r of c.retired) if (r.permanent) out.add(r.car);
  }
  const starters = order.positions.filter((p) => !out.has(p.car));
  const particulars: [string, string][] = [];
  if (where && order.firstDueMs !== null) {
    particulars.push(['Start', `${where}, first car due ${formatLocalDateTime(order.firstDueMs).slice(11, 16)}${order.intervalMs ? `, one place every ${order.intervalMs / 1000} s` : ''}`]);
  }
  const notes = ['No start list is stored for this leg: crews start in car-number order, each keeping its place.'];
  if (order.dueUnknown) notes.push(`Due times not known: ${order.dueUnknown}.`);
  if (out.size) notes.push(`Not starting this leg (out of the rally): cars ${[...out].sort((a, b) => a - b).join(', ')}.`);
  return {
    kind: 'start-list', title: 'Start list', subtitle: `${leg.name} (${leg.id}), ${leg.date}`, particulars,
    tables: [{
      columns,
      rows: starters.map((p) => { const e = byCar.get(p.car)!; return [String(p.order), String(p.car), crewFull(e), e.class, makeModel(e), due(p.dueMs)]; }),
      empty: 'No crew starts this leg.',
    }],
    notes,
  };
}

function stageResultsDoc(input: DocumentInput, stageCode: string | undefined, cls?: string, cat?: string): OfficialDocument {
  const def = input.definition;
  const stage = findStage(def, stageCode, 'stage');
  // As the API's stage listing: a rally with categories ranks one category's crews (the first unless asked).
  const category = cat ?? def.categories?.[0]?.code;
  const sr = stageResults(input.state, stage.code, { ...(cls ? { class: cls } : {}), ...(category ? { category } : {}) });
  const dec = stageDecimals(stage.precisionMs, input.rules.stagePrecisionMs.value);
  const timed = sr.rows.filter((r) => r.timeMs !== null);
  const other = sr.rows.filter((r) => r.timeMs === null && r.status !== 'notRun');
  const retiredHere = new Set(outOfRally(input).retired.filter((r) => r.where === stage.code).map((r) => r.car));
  return {
    kind: 'stage-results', title: 'Stage results',
    subtitle: `${categoryPrefix(def, category)}${stage.code} ${stage.name}, ${distanceText(stage.distanceM, def.distanceUnit)}${cls ? `, class ${cls}` : ''}${sr.cancelled ? ' - CANCELLED' : sr.interrupted ? ' - interrupted (notional times)' : ''}`,
    particulars: [],
    tables: [{
      columns: [col('Pos', 5, 'right'), col('Car', 5, 'right'), col('Driver / co-driver', 34), col('Class', 8), col('Time', 11, 'right'), col('Gap', 10, 'right'), col('Diff', 10, 'right'), col('Pen', 7, 'right'), col('Note', 10)],
      rows: timed.map((r) => [String((cls ? r.classPosition : r.position) ?? ''), String(r.car), crewFull(r.entry), r.entry.class, timeText(r.timeMs, dec), gapText(r.gapToWinnerMs, dec), gapText(r.gapToPrevMs, dec), penaltyText(r.penaltyMs), r.status === 'ok' ? '' : stageStatusLabel(r.status)]),
      empty: sr.cancelled ? 'The stage was cancelled.' : 'No times yet.',
    }, ...(other.length ? [{
      heading: 'Without a time',
      columns: [col('Car', 6, 'right'), col('Driver / co-driver', 44), col('Class', 10), col('Status', 40)],
      rows: other.map((r) => [String(r.car), crewFull(r.entry), r.entry.class, stageCellLabel(r.status, retiredHere.has(r.car))]),
      empty: '',
    }] : [])],
    notes: [],
  };
}

function classificationDoc(input: DocumentInput, afterCode: string | undefined, cls?: string, cat?: string): OfficialDocument {
  const def = input.definition;
  const stage = afterCode ? findStage(def, afterCode, 'after') : undefined;
  const c = classify(input.state, { ...(stage ? { after: stage.code } : {}), ...(cls ? { class: cls } : {}), ...(cat ? { category: cat } : {}) });
  const dec = totalDecimals(input.rules);
  const counted = c.after ? def.stages.findIndex((s) => s.code === c.after) + 1 : 0;
  return {
    kind: 'classification', title: 'Classification',
    subtitle: `${categoryPrefix(def, c.category)}${cls ? `Class ${cls}` : 'Overall'}, after ${c.after ?? 'no stage'} (${counted} of ${def.stages.length} stages)`,
    particulars: [],
    tables: [classificationTable(c.rows, dec, { classPositions: !!cls }), notClassifiedTable(c.rows.filter((r) => r.status === 'retired' || r.status === 'excluded'), outReasons(input, c.after ?? undefined))],
    notes: [],
  };
}

function finalClassification(input: DocumentInput, cat?: string): OfficialDocument {
  const def = input.definition;
  const dec = totalDecimals(input.rules);
  const reasons = outReasons(input);
  // Every category, each classified apart over its own stages (ARA National and Regional), unless one is asked for.
  const categories: (string | undefined)[] = cat ? [cat] : (def.categories ?? []).length ? def.categories!.map((c) => c.code) : [undefined];
  const tables: DocTable[] = [];
  let after: string | null = null;
  for (const category of categories) {
    const only = category ? { category } : {};
    const overall = classify(input.state, only);
    after ??= overall.after;
    const prefix = categoryPrefix(def, category);
    tables.push(classificationTable(overall.rows, dec, { classPositions: false, heading: `${prefix}Overall` }));
    for (const k of def.classes) {
      const c = classify(input.state, { ...only, class: k.code });
      // A category prints the classes its crews run in.
      if (category && c.rows.length === 0) continue;
      tables.push(classificationTable(c.rows, dec, { classPositions: true, heading: `${prefix}Class ${k.code} - ${k.name}` }));
    }
    tables.push({ ...notClassifiedTable(overall.rows.filter((r) => r.status === 'retired' || r.status === 'excluded' || r.position === null), reasons), heading: `${prefix}Not classified` });
  }
  const which = cat ? `${categoryPrefix(def, cat)}` : categories.length > 1 ? `${categories.map((c) => def.categories!.find((x) => x.code === c)!.name).join(' and ')}, each: ` : '';
  return { kind: 'final-classification', title: 'Final classification', subtitle: `${which}Overall and by class, after ${after ?? 'no stage'}`, particulars: [], tables, notes: [] };
}

function penaltiesDoc(input: DocumentInput): OfficialDocument {
  const rows: string[][] = [];
  const unconfirmed = new Set<string>();
  for (const e of entriesInStartOrder(input.definition)) {
    for (const step of explain(input.state, e.car).steps) {
      if (step.kind !== 'penalty' || !step.ms) continue;
      if (step.confirmed === false && step.rule) unconfirmed.add(step.rule);
      rows.push([String(e.car), crewFull(e), step.label.replace(/^(road )?penalty: /, ''), penaltyText(step.ms), `${step.rule ?? ''}${step.confirmed === false ? ' *' : ''}`]);
    }
  }
  return {
    kind: 'penalties', title: 'Penalties', subtitle: `${rows.length} time penalties charged`, particulars: [],
    tables: [{ columns: [col('Car', 5, 'right'), col('Driver / co-driver', 26), col('What', 40), col('Penalty', 8, 'right'), col('Rule', 21)], rows, empty: 'No penalties.' }],
    notes: unconfirmed.size ? ['* The value of this rule is a preset value not confirmed by the rulebook; the rally\'s supplementary regulations may set it.'] : [],
  };
}

function retirementsDoc(input: DocumentInput): OfficialDocument {
  const c = outOfRally(input);
  const byCar = new Map(input.definition.entries.map((e) => [e.car, e]));
  const crew = (car: number) => { const e = byCar.get(car); return e ? crewFull(e) : `car ${car}`; };
  return {
    kind: 'retirements', title: 'Retirements and exclusions', subtitle: `${c.retired.length} retirements, ${c.excluded.length} exclusions`, particulars: [],
    tables: [
      { heading: 'Retirements', columns: [col('Car', 5, 'right'), col('Driver / co-driver', 30), col('Where', 8), col('Reason', 40), col('Restarted', 17)],
        rows: c.retired.map((r) => [String(r.car), crew(r.car), r.where, `${r.reason}${r.permanent ? ' (permanent)' : ''}`, r.restartedAt ? `at ${r.restartedAt}` : '']), empty: 'No retirements.' },
      { heading: 'Exclusions', columns: [col('Car', 5, 'right'), col('Driver / co-driver', 30), col('Reason', 45), col('Rule', 20)],
        rows: c.excluded.map((x) => [String(x.car), crew(x.car), x.reason, x.rule ?? '']), empty: 'No exclusions.' },
    ],
    notes: [],
  };
}

const DECISION_TYPES = new Set(['penalty', 'exclusion', 'retirement', 'restart', 'stageCancelled', 'stageInterrupted', 'stageMaximumCharged', 'delayedStart', 'retraction', 'jumpStart', 'stageTime', 'controlTime']);

function decisionDoc(input: DocumentInput, factId: string | undefined): OfficialDocument {
  if (!factId) throw new DocumentQueryError('fact', 'fact is required: give the id of the decision fact (a penalty, exclusion, retirement, restart, cancellation, notional times or a correction)');
  const f = input.facts.find((x) => x.id === factId);
  if (!f) throw new DocumentQueryError('fact', `fact: no fact "${factId}" in this rally's log`);
  if (!DECISION_TYPES.has(f.type) || (!f.reason && !f.supersedes)) throw new DocumentQueryError('fact', `fact: "${factId}" is a ${f.type} without a reason, not a decision; choose a penalty, exclusion, retirement, restart, cancellation, notional times or a correction`);
  const entry: Entry | undefined = 'car' in f ? input.definition.entries.find((e) => e.car === f.car) : undefined;
  const p: [string, string][] = [];
  if (entry) {
    p.push(['To', `Car ${entry.car}: ${personWithNationality(entry.driver)}${entry.codriver?.name ? ` / ${personWithNationality(entry.codriver)}` : ''}`]);
    if (entry.entrant) p.push(['Entrant', entry.entrant]);
    p.push(['Class, car', `${entry.class}, ${makeModel(entry)}`]);
  }
  const what = ((): string => {
    switch (f.type) {
      case 'penalty': return `Time penalty of ${penaltyText(Math.round(f.seconds * 1000)) || '0:00'}${f.control ? ` at ${f.control}` : f.stage ? ` at ${f.stage}` : ''}`;
      case 'exclusion': return 'Exclusion from the rally';
      case 'retirement': return `Retirement at ${f.where}${f.permanent ? ' (permanent)' : ''}`;
      case 'restart': return `Restart under Super Rally at ${f.section}`;
      case 'stageCancelled': return `Stage ${f.stage} cancelled`;
      case 'stageMaximumCharged': return `Stage maximum charged on ${f.stage}: stage not performed correctly`;
      case 'delayedStart': return `Delayed start at ${f.stage} caused by the crew`;
      case 'stageInterrupted': return `Stage ${f.stage} interrupted; notional times: ${f.notionalTimes.map((n) => `car ${n.car} ${n.time}`).join(', ')}`;
      case 'retraction': return `Withdrawal of fact ${f.supersedes}`;
      case 'jumpStart': return `Jump start at ${f.stage}`;
      case 'stageTime': return `Stage time at ${f.stage}: ${f.time}${f.supersedes ? ` (replaces fact ${f.supersedes})` : ''}`;
      case 'controlTime': return `Time at ${f.control}: ${f.at.replace('T', ' ')}${f.supersedes ? ` (replaces fact ${f.supersedes})` : ''}`;
    }
  })();
  p.push(['Decision', what]);
  if ('rule' in f && f.rule) p.push(['Rule', f.rule]);
  if (f.reason) p.push(['Reason', f.reason]);
  if (f.by) p.push(['Decided by', f.by]);
  if (f.recordedAt) p.push(['Recorded', f.recordedAt]);
  p.push(['Log', `fact ${f.id}${f.seq ? `, seq ${f.seq}` : ''}`]);
  const stewards = /steward/i.test(f.by ?? '') || /steward/i.test(('rule' in f && f.rule) || '');
  return {
    kind: 'decision', title: stewards ? 'Stewards\' decision' : 'Decision', subtitle: entry ? `Car ${entry.car}` : ('stage' in f && f.stage ? `Stage ${f.stage}` : ''),
    particulars: p, tables: [], notes: [], signatory: stewards ? 'The Stewards' : (f.by ?? 'Clerk of the Course'),
  };
}

export function buildDocument(kind: DocumentKind, input: DocumentInput, q: DocumentQuery): OfficialDocument {
  const cls = checkClass(input.definition, q.class);
  const cat = checkCategory(input.definition, q.category);
  switch (kind) {
    case 'entry-list': return entryList(input, cls);
    case 'start-list': return startList(input, q.leg);
    case 'stage-results': return stageResultsDoc(input, q.stage, cls, cat);
    case 'classification': return classificationDoc(input, q.after, cls, cat);
    case 'final-classification': return finalClassification(input, cat);
    case 'penalties': return penaltiesDoc(input);
    case 'retirements': return retirementsDoc(input);
    case 'decision': return decisionDoc(input, q.fact);
  }
}
