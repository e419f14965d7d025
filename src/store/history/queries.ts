// Pieces shared by the SQLite and PostgreSQL history stores.
import type { HeadToHead, StatMetric, StatRow } from './types.ts';
import type { HistoryRecord } from '../../core/championship/history-records.ts';

export interface TallyRow { key: string; starts: number | string; wins: number | string; podiums: number | string; titles: number | string; stage_wins: number | string }
export interface WinnerRow { event: string; year: number; class: string; winner: string | null }
export interface H2HRow { event: string; year: number; class: string; ap: number | null; ast: string; bp: number | null; bst: string }

const COLUMNS: Record<StatMetric, string> = { wins: 'wins', podiums: 'podiums', starts: 'starts', titles: 'titles', stageWins: 'stage_wins' };

/** The tally column of a metric (from a fixed list: safe to put in SQL). */
export function metricColumn(metric: StatMetric): string {
  return COLUMNS[metric];
}

export function statRowFrom(r: TallyRow): StatRow {
  return { key: r.key, starts: Number(r.starts), wins: Number(r.wins), podiums: Number(r.podiums), titles: Number(r.titles), stageWins: Number(r.stage_wins) };
}

function resultText(position: number | null, status: string): string {
  return position !== null ? String(position) : status;
}

/** Who finished ahead in each shared classification: the better position; a classified crew beats one that is not. */
export function buildHeadToHead(a: string, b: string, rows: readonly H2HRow[]): HeadToHead {
  let aAhead = 0;
  let bAhead = 0;
  let undecided = 0;
  const events = rows.map((r) => {
    let ahead: 'a' | 'b' | null = null;
    if (r.ap !== null && (r.bp === null || r.ap < r.bp)) ahead = 'a';
    else if (r.bp !== null && (r.ap === null || r.bp < r.ap)) ahead = 'b';
    if (ahead === 'a') aAhead++;
    else if (ahead === 'b') bAhead++;
    else undecided++;
    return { event: r.event, year: Number(r.year), class: r.class, a: resultText(r.ap, r.ast), b: resultText(r.bp, r.bst), ahead };
  });
  return { a, b, meetings: rows.length, aAhead, bAhead, undecided, events };
}

/** A stored row as a record, for the re-import check. NOTE: a plain literal; object spread was many times slower here. */
export function storedRecord(kind: HistoryRecord['kind'], event: string, year: number, cls: string, driver: string, codriver: string | null, make: string,
  position: number | null, status: HistoryRecord['status'], stage: number | null, timeMs: number | null): HistoryRecord {
  return { line: 0, kind, event, year, date: '', class: cls, position, driver, codriver, make, model: null, status, reason: null, source: null, stage, timeMs };
}
