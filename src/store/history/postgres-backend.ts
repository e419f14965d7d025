// Bulk writes of the history importer on PostgreSQL. Accepted rows are sent
// with COPY FROM STDIN (text format), one COPY per table per 50,000 rows; the
// sends are queued on the import's connection without waiting for them, so
// the importer checks the next rows while the database stores the last ones.
// Ids of new people, makes and editions come from another connection, so no
// send waits for the one before it.
import type pg from 'pg';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { fingerprint, groupKey, resultKey, type HistoryRecord, type StoredResult } from '../../core/championship/history-records.ts';
import type { HistoryBackend, TallyMap } from './types.ts';
import { storedRecord } from './queries.ts';

/** Rows per send. */
const SEND_EVERY = 50_000;
/** Ids taken from a sequence at a time. */
const ID_BLOCK = 1000;

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One text field of a COPY line: `\N` for null; backslash, tab and line ends escaped. */
function field(v: string | null): string {
  if (v === null) return '\\N';
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]!) : v;
}

/** One number field of a COPY line. */
function num(v: number | null): string {
  return v === null ? '\\N' : String(v);
}

// NOTE: plain COPY, no ON CONFLICT: the importer has already checked every row against the stored
// edition (natural keys), so a conflict can only mean a second import of the same edition running at the
// same time; failing then keeps the tallies from being counted twice.
const COPY_STAGES = 'COPY history_stage_result (event_id, class, stage, driver_id, position, time_ms) FROM STDIN';
const COPY_RESULTS = 'COPY history_result (event_id, class, driver_id, codriver_id, make_id, model, position, status, reason, source) FROM STDIN';
const COPY_EVENTS = 'COPY history_event (id, kind, name, year, date) FROM STDIN';
const COPY_TALLIES = 'COPY history_tally_delta (dimension, event, class, key, starts, wins, podiums, titles, stage_wins) FROM STDIN';
// NOTE: the delta goes to a temporary table (no WAL), then into the tallies set-based: an UPDATE of the
// keys already stored, then a plain INSERT of the rest. Like the COPYs above this fails, rather than
// counting twice, if another import adds the same key meanwhile.
const TALLY_DELTA = `CREATE TEMP TABLE IF NOT EXISTS history_tally_delta (dimension TEXT, event TEXT, class TEXT, key TEXT,
  starts INTEGER, wins INTEGER, podiums INTEGER, titles INTEGER, stage_wins INTEGER) ON COMMIT DELETE ROWS`;
const MERGE_TALLIES = [
  'ANALYZE history_tally_delta',
  `UPDATE history_tally t SET starts = t.starts + d.starts, wins = t.wins + d.wins, podiums = t.podiums + d.podiums,
    titles = t.titles + d.titles, stage_wins = t.stage_wins + d.stage_wins
    FROM history_tally_delta d WHERE t.dimension = d.dimension AND t.event = d.event AND t.class = d.class AND t.key = d.key`,
  `INSERT INTO history_tally (dimension, event, class, key, starts, wins, podiums, titles, stage_wins)
    SELECT d.* FROM history_tally_delta d WHERE NOT EXISTS (
    SELECT 1 FROM history_tally t WHERE t.dimension = d.dimension AND t.event = d.event AND t.class = d.class AND t.key = d.key)`,
  'TRUNCATE history_tally_delta',
];

/** A person or make: its id when known, else its name (resolved when the rows are sent). */
type Ref = number | string;
interface StageColumns { ev: number[]; cls: string[]; stage: (number | null)[]; driver: Ref[]; pos: (number | null)[]; ms: (number | null)[] }
interface ResultColumns { ev: number[]; cls: string[]; driver: Ref[]; codriver: (Ref | null)[]; make: Ref[]; model: (string | null)[]; pos: (number | null)[]; status: string[]; reason: (string | null)[]; source: (string | null)[] }

const stageColumns = (): StageColumns => ({ ev: [], cls: [], stage: [], driver: [], pos: [], ms: [] });
const resultColumns = (): ResultColumns => ({ ev: [], cls: [], driver: [], codriver: [], make: [], model: [], pos: [], status: [], reason: [], source: [] });

/** Lines built and handed to a COPY this many at a time (each piece becomes a buffer early, instead of one huge string). */
const PIECE = 2000;

/** Ids from a table's sequence, a block at a time. */
class IdBlock {
  private ids: number[] = [];
  constructor(private readonly table: string) {}
  async take(pool: pg.Pool, n: number): Promise<number[]> {
    if (this.ids.length < n) {
      const { rows } = await pool.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('${this.table}', 'id'))::int AS id FROM generate_series(1, $1)`, [n - this.ids.length + ID_BLOCK]);
      for (const r of rows) this.ids.push(r.id);
    }
    return this.ids.splice(0, n);
  }
}

export class PostgresBackend implements HistoryBackend {
  /** Fewer, larger transactions: each commit merges its tallies into the table, which costs more than the rows. */
  readonly commitEvery = 5_000_000;
  private readonly persons = new Map<string, number>();
  private readonly makes = new Map<string, number>();
  private readonly newPersons = new Set<string>();
  private readonly newMakes = new Set<string>();
  private readonly eventIds = new IdBlock('history_event');
  private editions: Map<string, number> | null = null;
  private client: pg.PoolClient | null = null;
  private stages = stageColumns();
  private results = resultColumns();
  private events: { id: number; kind: string; name: string; year: number; date: string }[] = [];
  /** Sends the database has not answered yet, oldest first. */
  private inFlight: Promise<void>[] = [];
  private failure: unknown = null;

  constructor(private readonly pool: pg.Pool) {}

  private async tx(): Promise<pg.PoolClient> {
    if (!this.client) {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
      } catch (e) {
        c.release(true);
        throw e;
      }
      this.client = c;
    }
    return this.client;
  }

  /** Records a failure and settles: the transaction is rolled back, the connection released, the first error thrown. */
  private async fail(e: unknown): Promise<never> {
    this.failure ??= e;
    await this.settle();
    throw e;
  }

  /** The last statement queued; the next one starts when it ends (one statement at a time on a client). */
  private chain: Promise<void> = Promise.resolve();

  private queue(run: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.failure !== null) return;
      await run().catch((e: unknown) => { this.failure ??= e; });
    });
    return this.chain;
  }

  /** Queues a statement without waiting for it; its error surfaces at the next settle. */
  private fire(c: pg.PoolClient, sql: string, params: unknown[] = []): Promise<void> {
    return this.queue(async () => { await c.query(sql, params); });
  }

  /**
   * Queues a COPY of the lines `line(i)` for i in [0, n) without waiting for it. The lines are turned into
   * buffers `PIECE` at a time now (off the JavaScript heap, so they cost the collector nothing while they wait).
   */
  private copy(c: pg.PoolClient, sql: string, n: number, line: (i: number) => string): Promise<void> {
    const pieces: Buffer[] = [];
    for (let i = 0; i < n; i += PIECE) {
      const end = Math.min(n, i + PIECE);
      const piece: string[] = [];
      for (let j = i; j < end; j++) piece.push(line(j));
      pieces.push(Buffer.from(piece.join('')));
    }
    return this.queue(async () => {
      const stream = c.query(copyFrom(sql));
      for (const b of pieces) stream.write(b);
      stream.end();
      await finished(stream);
    });
  }

  /** Waits until at most `keep` sends are in flight; on a failed send rolls back and throws its error. */
  private async settle(keep = 0): Promise<void> {
    while (this.inFlight.length > keep) await this.inFlight.shift();
    if (this.failure !== null) {
      const e = this.failure;
      await this.rollback();
      throw e;
    }
  }

  /**
   * Ends the import's transaction without keeping anything: queued statements are skipped, the running
   * one is awaited, then ROLLBACK and the connection goes back to the pool (closed when ROLLBACK fails, so
   * it never returns in a transaction). Safe to call more than once.
   */
  private async rollback(): Promise<void> {
    this.failure ??= new Error('import aborted');
    await this.chain;
    await Promise.all(this.inFlight);
    this.inFlight = [];
    this.failure = null;
    this.stages = stageColumns();
    this.results = resultColumns();
    this.events = [];
    this.newPersons.clear();
    this.newMakes.clear();
    // Editions created in the rolled-back transaction are gone; read them again when needed.
    this.editions = null;
    const c = this.client;
    this.client = null;
    if (c) {
      try {
        await c.query('ROLLBACK');
        c.release();
      } catch (e) {
        c.release(e instanceof Error ? e : true);
      }
    }
  }

  /** Drops what was not committed (the importer calls it when an import fails). */
  async abort(): Promise<void> {
    await this.rollback();
  }

  private async loadEditions(): Promise<Map<string, number>> {
    if (!this.editions) {
      const { rows } = await this.pool.query<{ id: number; kind: string; name: string; year: number }>('SELECT id, kind, name, year FROM history_event');
      this.editions = new Map(rows.map((r) => [`${r.kind}\u0001${r.name}\u0001${r.year}`, r.id]));
    }
    return this.editions;
  }

  async knownClasses(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ code: string }>('SELECT code FROM history_class');
    return new Set(rows.map((r) => r.code));
  }

  async storedFor(kind: HistoryRecord['kind'], event: string, year: number): Promise<{ results: Map<string, StoredResult>; positions: Map<string, Set<number>> } | null> {
    const edKind = kind === 'championship' ? 'championship' : 'event';
    const id = (await this.loadEditions()).get(`${edKind}\u0001${event}\u0001${year}`);
    if (id === undefined) return null;
    await this.send();
    await this.settle();
    try {
      return await this.readStored(edKind, event, year, id);
    } catch (e) {
      return this.fail(e);
    }
  }

  private async readStored(edKind: 'event' | 'championship', event: string, year: number, id: number): Promise<{ results: Map<string, StoredResult>; positions: Map<string, Set<number>> }> {
    const c = await this.tx();
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
    const res = await c.query<{ class: string; driver: string; codriver: string | null; make: string; position: number | null; status: HistoryRecord['status'] }>(`SELECT r.class, p.name AS driver, c.name AS codriver, m.name AS make, r.position, r.status FROM history_result r
      JOIN history_person p ON p.id = r.driver_id LEFT JOIN history_person c ON c.id = r.codriver_id JOIN history_make m ON m.id = r.make_id WHERE r.event_id = $1`, [id]);
    for (const r of res.rows) add(storedRecord(edKind, event, year, r.class, r.driver, r.codriver, r.make, r.position, r.status, null, null));
    if (edKind === 'event') {
      const st = await c.query<{ class: string; stage: number; driver: string; position: number | null; time_ms: string | null }>(`SELECT s.class, s.stage, p.name AS driver, s.position, s.time_ms FROM history_stage_result s JOIN history_person p ON p.id = s.driver_id WHERE s.event_id = $1`, [id]);
      for (const r of st.rows) add(storedRecord('stage', event, year, r.class, r.driver, null, '', r.position, 'finished', r.stage, r.time_ms === null ? null : Number(r.time_ms)));
    }
    return { results, positions };
  }

  /**
   * Ids of names not seen before, created when new. NOTE: on the pool, committed at once and not in the
   * import's transaction: a name is only a dictionary entry, and another import adding the same name
   * meanwhile then finds it instead of failing.
   */
  private async ids(table: 'history_person' | 'history_make', cache: Map<string, number>, names: Set<string>): Promise<void> {
    const missing = [...names];
    names.clear();
    await this.pool.query(`INSERT INTO ${table} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`, [missing]);
    const { rows } = await this.pool.query<{ id: number; name: string }>(`SELECT id, name FROM ${table} WHERE name = ANY($1::text[])`, [missing]);
    for (const r of rows) cache.set(r.name, r.id);
  }

  private person(name: string): Ref {
    const id = this.persons.get(name);
    if (id !== undefined) return id;
    this.newPersons.add(name);
    return name;
  }

  private make(name: string): Ref {
    const id = this.makes.get(name);
    if (id !== undefined) return id;
    this.newMakes.add(name);
    return name;
  }

  async write(records: readonly HistoryRecord[]): Promise<void> {
    try {
      await this.collect(records);
    } catch (e) {
      return this.fail(e);
    }
    if (this.stages.ev.length + this.results.ev.length >= SEND_EVERY) await this.send();
    // NOTE: the checks run on promises alone; without a turn of the event loop the answers of the queued
    // statements wait unread and the database idles until the importer blocks on a full queue.
    if (this.inFlight.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Buffers the records' rows, taking ids for new editions. */
  private async collect(records: readonly HistoryRecord[]): Promise<void> {
    const editions = await this.loadEditions();
    let lastKey = '';
    let ev = 0;
    const s = this.stages;
    const r = this.results;
    for (const rec of records) {
      const kind = rec.kind === 'championship' ? 'championship' : 'event';
      const key = `${kind}\u0001${rec.event}\u0001${rec.year}`;
      if (key !== lastKey) {
        let id = editions.get(key);
        if (id === undefined) {
          id = (await this.eventIds.take(this.pool, 1))[0]!;
          editions.set(key, id);
          this.events.push({ id, kind, name: rec.event, year: rec.year, date: rec.date });
        }
        lastKey = key;
        ev = id;
      }
      if (rec.kind === 'stage') {
        s.ev.push(ev); s.cls.push(rec.class); s.stage.push(rec.stage); s.driver.push(this.person(rec.driver)); s.pos.push(rec.position); s.ms.push(rec.timeMs);
      } else {
        r.ev.push(ev); r.cls.push(rec.class); r.driver.push(this.person(rec.driver)); r.codriver.push(rec.codriver ? this.person(rec.codriver) : null); r.make.push(this.make(rec.make));
        r.model.push(rec.model); r.pos.push(rec.position); r.status.push(rec.status); r.reason.push(rec.reason); r.source.push(rec.source);
      }
    }
  }

  /** Sends the buffered rows as COPYs without waiting for them, keeping at most one earlier send in flight. */
  private async send(): Promise<void> {
    try {
      await this.queueSend();
    } catch (e) {
      // NOTE: a name the database refuses fails here, on the pool, while the import's transaction is open.
      return this.fail(e);
    }
    await this.settle(1);
  }

  private async queueSend(): Promise<void> {
    const s = this.stages;
    const r = this.results;
    if (s.ev.length === 0 && r.ev.length === 0 && this.events.length === 0) return;
    const events = this.events;
    this.stages = stageColumns();
    this.results = resultColumns();
    this.events = [];
    if (this.newPersons.size) await this.ids('history_person', this.persons, this.newPersons);
    if (this.newMakes.size) await this.ids('history_make', this.makes, this.newMakes);
    const c = await this.tx();
    const persons = this.persons;
    const makes = this.makes;
    const person = (v: Ref): number => (typeof v === 'number' ? v : persons.get(v)!);
    const sent: Promise<void>[] = [];
    if (events.length) {
      sent.push(this.copy(c, COPY_EVENTS, events.length, (i) => {
        const e = events[i]!;
        return `${e.id}\t${e.kind}\t${field(e.name)}\t${e.year}\t${field(e.date)}\n`;
      }));
    }
    if (r.ev.length) {
      sent.push(this.copy(c, COPY_RESULTS, r.ev.length, (i) => {
        const co = r.codriver[i]!;
        const mk = r.make[i]!;
        return `${r.ev[i]!}\t${field(r.cls[i]!)}\t${person(r.driver[i]!)}\t${co === null ? '\\N' : person(co)}\t${typeof mk === 'number' ? mk : makes.get(mk)!}\t${field(r.model[i]!)}\t${num(r.pos[i]!)}\t${r.status[i]!}\t${field(r.reason[i]!)}\t${field(r.source[i]!)}\n`;
      }));
    }
    if (s.ev.length) {
      sent.push(this.copy(c, COPY_STAGES, s.ev.length, (i) => `${s.ev[i]!}\t${field(s.cls[i]!)}\t${num(s.stage[i]!)}\t${person(s.driver[i]!)}\t${num(s.pos[i]!)}\t${num(s.ms[i]!)}\n`));
    }
    this.inFlight.push(Promise.all(sent).then(() => undefined));
  }

  async addTallies(tallies: TallyMap): Promise<void> {
    await this.send();
    const lines: string[] = [];
    for (const [prefix, inner] of tallies) {
      const [dim, ev, cls] = prefix.split('\u0001').map(field) as [string, string, string];
      const head = `${dim}\t${ev}\t${cls}\t`;
      for (const [key, t] of inner) lines.push(`${head}${field(key)}\t${t.starts}\t${t.wins}\t${t.podiums}\t${t.titles}\t${t.stageWins}\n`);
    }
    if (lines.length === 0) return;
    const c = await this.tx().catch((e: unknown) => this.fail(e));
    const sent = [this.fire(c, TALLY_DELTA), this.copy(c, COPY_TALLIES, lines.length, (i) => lines[i]!)];
    for (const sql of MERGE_TALLIES) sent.push(this.fire(c, sql));
    this.inFlight.push(Promise.all(sent).then(() => undefined));
    await this.settle(1);
  }

  async analyze(): Promise<void> {
    await this.pool.query('ANALYZE history_event, history_person, history_make, history_result, history_stage_result, history_tally');
  }

  async commit(): Promise<void> {
    await this.send();
    await this.settle();
    if (this.client) {
      const c = this.client;
      this.client = null;
      try {
        await c.query('COMMIT');
      } catch (e) {
        // A failed COMMIT ends the transaction; close the connection rather than trust its state.
        this.editions = null;
        c.release(e instanceof Error ? e : true);
        throw e;
      }
      c.release();
    }
  }
}
