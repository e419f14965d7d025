// Hand-built classifications and a fake subscriber for the live module's unit tests.
import type { Entry, RallyDefinition } from '../../core/model.ts';
import type { Classification, ClassificationRow, OverdueCrew, StageClassification, StageRow } from '../../core/results.ts';
import type { Issue } from '../../core/issues.ts';
import type { SseSink } from './sse.ts';
import type { RallySnapshot } from './source.ts';

export function entry(car: number, cls = 'L4WD'): Entry {
  return { car, driver: { name: `Driver ${car}` }, codriver: { name: `Codriver ${car}` }, make: 'Subaru', model: 'WRX', class: cls };
}

/** A classified row; gaps are given explicitly so each test states its own arithmetic. */
export function row(car: number, position: number | null, totalMs: number, gapToLeaderMs: number | null, extra: Partial<ClassificationRow> = {}): ClassificationRow {
  return {
    position, classPosition: position, car, entry: entry(car), status: 'running', stagesMs: totalMs, roadPenaltyMs: 0, otherPenaltyMs: 0,
    penaltyMs: 0, totalMs, gapToLeaderMs, gapToPrevMs: gapToLeaderMs, positionChange: null, stagesCounted: 1, ...extra,
  };
}

export function classification(rows: ClassificationRow[], extra: Partial<Classification> = {}): Classification {
  return { after: 'SS1', rows, stageWinners: [], retired: [], excluded: [], ...extra };
}

export function stageRow(car: number, position: number | null, timeMs: number | null, gapToWinnerMs: number | null, status: StageRow['status'] = 'ok'): StageRow {
  return { position, classPosition: position, car, entry: entry(car), status, timeMs, gapToWinnerMs, gapToPrevMs: gapToWinnerMs, penaltyMs: 0 };
}

export const definition: RallyDefinition = {
  id: 'test-rally', name: 'Test Rally', timeZone: 'America/Detroit', distanceUnit: 'mi', startDate: '2026-02-06', endDate: '2026-02-07',
  rules: { preset: 'ara', version: '2025' },
  legs: [{ id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [{ id: 'S1', controls: [
    { id: 'TC1', kind: 'TC' }, { id: 'SS1S', kind: 'SS_START', stage: 'SS1' }, { id: 'SS1F', kind: 'SS_FINISH', stage: 'SS1' },
    { id: 'TC2', kind: 'TC' }, { id: 'SS2S', kind: 'SS_START', stage: 'SS2' }, { id: 'SS2F', kind: 'SS_FINISH', stage: 'SS2' },
  ] }] }],
  stages: [
    { code: 'SS1', name: 'Nine Mile', distanceM: 9000, type: 'special', leg: 'L1' },
    { code: 'SS2', name: 'Brown Bridge', distanceM: 12000, type: 'special', leg: 'L1' },
  ],
  classes: [{ code: 'L4WD', name: 'Limited 4WD' }],
  entries: [entry(3), entry(7), entry(9)],
};

export function stageClassification(code: string, rows: StageRow[]): StageClassification {
  const stage = definition.stages.find((s) => s.code === code);
  if (!stage) throw new Error(`no stage ${code}`);
  return { stage, cancelled: false, interrupted: false, rows, winners: [] };
}

export function snapshot(seq: number, c: Classification, stages: Record<string, StageClassification> = {}, more: { overdue?: (now: number) => OverdueCrew[]; issues?: Issue[] } = {}): RallySnapshot {
  return {
    rallyId: 'test-rally', seq, definition, classification: c,
    stageResults: (code) => stages[code] ?? null,
    overdue: more.overdue ?? (() => []),
    issues: () => more.issues ?? [],
  };
}

/** Records what was written; `backlog` simulates bytes the kernel has not taken yet. */
export class FakeSink implements SseSink {
  readonly chunks: Buffer[] = [];
  destroyed = false;
  backlog = 0;
  get writableLength(): number {
    return this.backlog;
  }
  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return this.backlog === 0;
  }
  destroy(): void {
    this.destroyed = true;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
  /** Parsed events, by the rules of the SSE spec (independent of the writer). */
  events(): { id?: string; event: string; data: unknown }[] {
    return parseSse(this.text()).filter((e) => e.data !== undefined) as { id?: string; event: string; data: unknown }[];
  }
}

/** A small SSE parser following WHATWG HTML §9.2.6: fields per line, blank line ends an event, `:` starts a comment. */
export function parseSse(text: string): { id?: string; event: string; data?: unknown; comments: string[] }[] {
  const out: { id?: string; event: string; data?: unknown; comments: string[] }[] = [];
  let cur: { id?: string; event: string; dataLines: string[]; comments: string[] } = { event: 'message', dataLines: [], comments: [] };
  for (const line of text.split('\n')) {
    if (line === '') {
      if (cur.dataLines.length || cur.comments.length || cur.id !== undefined) {
        const e: { id?: string; event: string; data?: unknown; comments: string[] } = { event: cur.event, comments: cur.comments };
        if (cur.id !== undefined) e.id = cur.id;
        if (cur.dataLines.length) e.data = JSON.parse(cur.dataLines.join('\n'));
        out.push(e);
      }
      cur = { event: 'message', dataLines: [], comments: [] };
      continue;
    }
    if (line.startsWith(':')) { cur.comments.push(line.slice(1).trim()); continue; }
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') cur.id = value;
    else if (field === 'event') cur.event = value;
    else if (field === 'data') cur.dataLines.push(value);
  }
  return out;
}
