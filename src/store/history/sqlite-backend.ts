// Bulk writes of the history importer on SQLite: big transactions, prepared
// multi-row INSERTs fed from flat buffers, tallies upserted once per key per
// transaction.
import type Database from 'better-sqlite3';
import { fingerprint, groupKey, resultKey, type HistoryRecord, type StoredResult } from '../../core/championship/history-records.ts';
import type { HistoryBackend, TallyMap } from './types.ts';
import { storedRecord } from './queries.ts';

/** Rows per multi-row INSERT: one statement call binds this many rows (SQLite allows 32,766 parameters). */
const STAGE_ROWS = 200;
const RESULT_ROWS = 100;
const TALLY_ROWS = 100;

const STAGE_COLUMNS = 'history_stage_result (event_id, class, stage, driver_id, position, time_ms)';
const RESULT_COLUMNS = 'history_result (event_id, class, driver_id, codriver_id, make_id, model, position, status, reason, source)';
const TALLY_UPSERT = `INSERT INTO history_tally (dimension, event, class, key, starts, wins, podiums, titles, stage_wins) VALUES %
  ON CONFLICT (dimension, event, class, key) DO UPDATE SET starts = starts + excluded.starts, wins = wins + excluded.wins,
  podiums = podiums + excluded.podiums, titles = titles + excluded.titles, stage_wins = stage_wins + excluded.stage_wins`;

const values = (rows: number, columns: number): string => Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');

/** A prepared INSERT of `rows` rows at once and of one row, fed from a flat buffer of values. */
class RowBuffer {
  private buf: unknown[] = [];
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private readonly width: number;
  constructor(db: Database.Database, sql: string, private readonly columns: number, rows: number) {
    this.many = db.prepare(sql.replace('%', values(rows, columns)));
    this.one = db.prepare(sql.replace('%', values(1, columns)));
    this.width = rows * columns;
  }

  push(...row: unknown[]): void {
    for (const v of row) this.buf.push(v);
    if (this.buf.length >= this.width) {
      this.many.run(this.buf);
      this.buf = [];
    }
  }

  /** Forgets what is buffered (the transaction is being rolled back). */
  clear(): void {
    this.buf = [];
  }

  /** Writes what is buffered (before a read of the same rows, and at commit). */
  drain(): void {
    for (let i = 0; i < this.buf.length; i += this.columns) this.one.run(this.buf.slice(i, i + this.columns));
    this.buf = [];
  }
}

export class SqliteBackend implements HistoryBackend {
  private readonly persons = new Map<string, number>();
  private readonly makes = new Map<string, number>();
  private readonly editions = new Map<string, number>();
  private inTx = false;
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.loadEditions();
    this.st = {
      person: db.prepare('INSERT INTO history_person (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id'),
      make: db.prepare('INSERT INTO history_make (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id'),
      event: db.prepare('INSERT INTO history_event (kind, name, year, date) VALUES (?, ?, ?, ?) RETURNING id'),
      result: new RowBuffer(db, `INSERT INTO ${RESULT_COLUMNS} VALUES % ON CONFLICT DO NOTHING`, 10, RESULT_ROWS),
      stage: new RowBuffer(db, `INSERT INTO ${STAGE_COLUMNS} VALUES % ON CONFLICT DO NOTHING`, 6, STAGE_ROWS),
      tally: new RowBuffer(db, TALLY_UPSERT, 9, TALLY_ROWS),
    };
  }

  private loadEditions(): void {
    this.editions.clear();
    for (const r of this.db.prepare('SELECT id, kind, name, year FROM history_event').iterate() as Iterable<{ id: number; kind: string; name: string; year: number }>) {
      this.editions.set(`${r.kind}\u0001${r.name}\u0001${r.year}`, r.id);
    }
  }

  private begin(): void {
    if (!this.inTx) {
      this.db.exec('BEGIN');
      this.inTx = true;
    }
  }

  async knownClasses(): Promise<Set<string>> {
    return new Set((this.db.prepare('SELECT code FROM history_class').all() as { code: string }[]).map((r) => r.code));
  }

  async storedFor(kind: HistoryRecord['kind'], event: string, year: number): Promise<{ results: Map<string, StoredResult>; positions: Map<string, Set<number>> } | null> {
    const edKind = kind === 'championship' ? 'championship' : 'event';
    const id = this.editions.get(`${edKind}\u0001${event}\u0001${year}`);
    if (id === undefined) return null;
    this.drain();
    const results = new Map<string, StoredResult>();
    const positions = new Map<string, Set<number>>();
    const add = (r: HistoryRecord): void => {
      results.set(resultKey(r), { position: r.position, fingerprint: fingerprint(r) });
      if (r.position !== null) {
        const g = groupKey(r);
        let s = positions.get(g);
        if (!s) positions.set(g, (s = new Set()));
        s.add(r.position);
      }
    };
    for (const r of this.db.prepare(`SELECT r.class, p.name AS driver, c.name AS codriver, m.name AS make, r.position, r.status FROM history_result r
      JOIN history_person p ON p.id = r.driver_id LEFT JOIN history_person c ON c.id = r.codriver_id JOIN history_make m ON m.id = r.make_id WHERE r.event_id = ?`).iterate(id) as Iterable<{ class: string; driver: string; codriver: string | null; make: string; position: number | null; status: HistoryRecord['status'] }>) {
      add(storedRecord(edKind, event, year, r.class, r.driver, r.codriver, r.make, r.position, r.status, null, null));
    }
    if (edKind === 'event') {
      for (const r of this.db.prepare(`SELECT s.class, s.stage, p.name AS driver, s.position, s.time_ms FROM history_stage_result s JOIN history_person p ON p.id = s.driver_id WHERE s.event_id = ?`).iterate(id) as Iterable<{ class: string; stage: number; driver: string; position: number | null; time_ms: number | null }>) {
        add(storedRecord('stage', event, year, r.class, r.driver, null, '', r.position, 'finished', r.stage, r.time_ms));
      }
    }
    return { results, positions };
  }

  private personId(name: string): number {
    let id = this.persons.get(name);
    if (id === undefined) {
      id = (this.st.person.get(name) as { id: number }).id;
      this.persons.set(name, id);
    }
    return id;
  }

  private makeId(name: string): number {
    let id = this.makes.get(name);
    if (id === undefined) {
      id = (this.st.make.get(name) as { id: number }).id;
      this.makes.set(name, id);
    }
    return id;
  }

  private last: { kind: string; event: string; year: number; id: number } = { kind: '', event: '', year: 0, id: 0 };

  private eventId(r: HistoryRecord): number {
    const kind = r.kind === 'championship' ? 'championship' : 'event';
    const last = this.last;
    // NOTE: records come edition by edition; comparing fields is cheaper than building a key per row.
    if (last.kind === kind && last.year === r.year && last.event === r.event) return last.id;
    const key = `${kind}\u0001${r.event}\u0001${r.year}`;
    let id = this.editions.get(key);
    if (id === undefined) {
      id = (this.st.event.get(kind, r.event, r.year, r.date) as { id: number }).id;
      this.editions.set(key, id);
    }
    this.last = { kind, event: r.event, year: r.year, id };
    return id;
  }

  async write(records: readonly HistoryRecord[]): Promise<void> {
    this.begin();
    for (const r of records) {
      const ev = this.eventId(r);
      const driver = this.personId(r.driver);
      if (r.kind === 'stage') {
        this.st.stage.push(ev, r.class, r.stage, driver, r.position, r.timeMs);
      } else {
        this.st.result.push(ev, r.class, driver, r.codriver ? this.personId(r.codriver) : null, this.makeId(r.make), r.model, r.position, r.status, r.reason, r.source);
      }
    }
  }

  async addTallies(tallies: TallyMap): Promise<void> {
    this.begin();
    for (const [prefix, inner] of tallies) {
      const [dim, ev, cls] = prefix.split('\u0001');
      for (const [key, c] of inner) this.st.tally.push(dim, ev, cls, key, c.starts, c.wins, c.podiums, c.titles, c.stageWins);
    }
    this.st.tally.drain();
  }

  private drain(): void {
    this.st.stage.drain();
    this.st.result.drain();
  }

  /** Drops what was not committed (the importer calls it when an import fails). */
  async abort(): Promise<void> {
    this.st.stage.clear();
    this.st.result.clear();
    this.st.tally.clear();
    if (this.inTx && this.db.inTransaction) this.db.exec('ROLLBACK');
    this.inTx = false;
    // Ids handed out in the rolled-back transaction are gone.
    this.persons.clear();
    this.makes.clear();
    this.last = { kind: '', event: '', year: 0, id: 0 };
    this.loadEditions();
  }

  async commit(): Promise<void> {
    this.drain();
    if (this.inTx) {
      this.db.exec('COMMIT');
      this.inTx = false;
    }
  }
}
