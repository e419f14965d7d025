// Publications are immutable snapshots of the results; this module builds the
// snapshot and answers "what changed between two of them": which positions
// and times, because of which facts (the facts logged between the two), decided
// by whom and why.
import type { RallyDefinition } from '../core/model.ts';
import type { Classification, ClassificationRow, StageStatus } from '../core/results.ts';
import { classify, stageResults } from '../core/scoring/index.ts';
import type { PublicationRecord, StoredFact } from '../store/contract.ts';
import type { RallyEntry } from './rally-states.ts';

export interface StageRowSnapshot { car: number; status: StageStatus; timeMs: number | null; position: number | null; penaltyMs: number }

export interface PublicationSnapshot {
  rallyId: string;
  name: string;
  seq: number;
  version: number;
  /** The rally's definition as published, so what was declared can be scored again whatever changes later (absent in older publications). */
  definition?: RallyDefinition;
  classification: Classification;
  stages: Record<string, { cancelled: boolean; interrupted: boolean; rows: StageRowSnapshot[] }>;
}

export function snapshotOf(e: RallyEntry): PublicationSnapshot {
  const stages: PublicationSnapshot['stages'] = {};
  for (const s of e.definition.stages) {
    const r = stageResults(e.state, s.code);
    stages[s.code] = {
      cancelled: r.cancelled,
      interrupted: r.interrupted,
      rows: r.rows.map((row) => ({ car: row.car, status: row.status, timeMs: row.timeMs, position: row.position, penaltyMs: row.penaltyMs })),
    };
  }
  return { rallyId: e.rallyId, name: e.definition.name, seq: e.seq, version: e.version, definition: e.definition, classification: classify(e.state), stages };
}

type RowView = Pick<ClassificationRow, 'position' | 'classPosition' | 'status' | 'totalMs' | 'penaltyMs'>;

function rowView(r: ClassificationRow | undefined): RowView | null {
  return r ? { position: r.position, classPosition: r.classPosition, status: r.status, totalMs: r.totalMs, penaltyMs: r.penaltyMs } : null;
}

function sameRow(a: RowView | null, b: RowView | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface FactView {
  seq: number;
  id: string;
  type: string;
  car?: number;
  stage?: string;
  control?: string;
  supersedes?: string;
  reason?: string;
  /** Who entered it (token owner) and from which device, and when it became durable. */
  principal: string;
  device?: string;
  receivedAt: string;
}

export function factView(sf: StoredFact): FactView {
  const f = sf.fact as unknown as Record<string, unknown>;
  const pick = <T>(k: string, t: string) => (typeof f[k] === t ? { [k]: f[k] as T } : {});
  const stage = typeof f.stage === 'string' ? f.stage : typeof f.where === 'string' ? f.where : undefined;
  return {
    seq: sf.seq, id: sf.fact.id, type: sf.fact.type,
    ...pick<number>('car', 'number'), ...(stage ? { stage } : {}), ...pick<string>('control', 'string'),
    ...pick<string>('supersedes', 'string'), ...pick<string>('reason', 'string'),
    principal: sf.principal, ...(sf.device ? { device: sf.device } : {}), receivedAt: sf.receivedAt,
  };
}

/** The facts that can explain a change for `car` (and, for stage times, at `stage`). */
function causes(facts: FactView[], byId: Map<string, FactView>, car: number, stage?: string): number[] {
  return facts.filter((f) => {
    const target = f.supersedes ? byId.get(f.supersedes) : undefined;
    const aboutCar = f.car === car || target?.car === car;
    const stageWide = f.car === undefined && (f.type === 'stageCancelled' || f.type === 'stageInterrupted');
    if (stage === undefined) return aboutCar || stageWide;
    return (aboutCar && (f.stage === undefined || f.stage === stage || f.control !== undefined)) || (stageWide && f.stage === stage);
  }).map((f) => f.seq);
}

/**
 * What changed from publication `a` to `b`. `log` is the rally's whole log
 * (facts superseded by a later fact are resolved through it).
 */
export function diffPublications(a: PublicationRecord, b: PublicationRecord, log: readonly StoredFact[]) {
  const sa = a.snapshot as PublicationSnapshot;
  const sb = b.snapshot as PublicationSnapshot;
  const lo = Math.min(a.uptoSeq, b.uptoSeq);
  const hi = Math.max(a.uptoSeq, b.uptoSeq);
  const all = log.map(factView);
  const byId = new Map(all.map((f) => [f.id, f]));
  const between = all.filter((f) => f.seq > lo && f.seq <= hi);

  const before = new Map(sa.classification.rows.map((r) => [r.car, r]));
  const after = new Map(sb.classification.rows.map((r) => [r.car, r]));
  const cars = [...new Set([...before.keys(), ...after.keys()])].sort((x, y) => x - y);
  const positions = cars.flatMap((car) => {
    const x = rowView(before.get(car));
    const y = rowView(after.get(car));
    if (sameRow(x, y)) return [];
    return [{ car, before: x, after: y, because: causes(between, byId, car) }];
  });

  const stageTimes: { stage: string; car: number; before: StageRowSnapshot | null; after: StageRowSnapshot | null; because: number[] }[] = [];
  const codes = [...new Set([...Object.keys(sa.stages), ...Object.keys(sb.stages)])];
  for (const stage of codes) {
    const ra = new Map((sa.stages[stage]?.rows ?? []).map((r) => [r.car, r]));
    const rb = new Map((sb.stages[stage]?.rows ?? []).map((r) => [r.car, r]));
    for (const car of new Set([...ra.keys(), ...rb.keys()])) {
      const x = ra.get(car) ?? null;
      const y = rb.get(car) ?? null;
      const key = (r: StageRowSnapshot | null) => (r ? `${r.status}|${r.timeMs}|${r.penaltyMs}` : '');
      if (key(x) !== key(y)) stageTimes.push({ stage, car, before: x, after: y, because: causes(between, byId, car, stage) });
    }
  }
  stageTimes.sort((x, y) => x.stage.localeCompare(y.stage) || x.car - y.car);

  const head = (p: PublicationRecord) => ({ number: p.number, kind: p.kind, publishedAt: p.publishedAt, principal: p.principal, reason: p.reason, uptoSeq: p.uptoSeq });
  return {
    rallyId: a.rallyId,
    from: head(a),
    to: head(b),
    positions,
    stageTimes,
    facts: between,
    /** Corrections and decisions among those facts: who decided what, and why. */
    decisions: between.filter((f) => f.reason !== undefined || f.supersedes !== undefined),
  };
}
