// Bulk writes of the history importer on PostgreSQL. Accepted rows are kept
// as columns and sent as a few large arrays (one INSERT … SELECT FROM
// unnest(…) per table per 50,000 rows); the sends are pipelined, so the
// importer checks the next rows while the database stores the last ones.
import type pg from 'pg';
import { fingerprint, groupKey, resultKey, type HistoryRecord, type StoredResult } from '../../core/championship/history-records.ts';
import type { HistoryBackend, TallyMap } from './types.ts';
import { storedRecord } from './queries.ts';

/** Rows per send. */
const SEND_EVERY = 50_000;
/** Tally rows per upsert. */
const TALLY_EVERY = 100_000;

/** A PostgreSQL array literal of whole numbers (faster than letting the driver quote each element). */
function intArray(values: readonly (number | null)[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : v)).join(',')}}`;
}

const NEEDS_ESCAPE = /["\\]/;

/** One text element of an array literal: quoted, `"` and `\` escaped; NULL for null. */
function quoted(v: string | null): string {
  if (v === null || v === undefined) return 'NULL';
  return NEEDS_ESCAPE.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
}

/** A PostgreSQL array literal of texts. */
function textArray(values: readonly (string | null)[]): string {
  return `{${values.map(quoted).join(',')}}`;
}

interface StageColumns { ev: number[]; cls: string[]; stage: (number | null)[]; driver: string[]; pos: (number | null)[]; ms: (number | null)[] }
interface ResultColumns { ev: number[]; cls: string[]; driver: string[]; codriver: (string | null)[]; make: string[]; model: (string | null)[]; pos: (number | null)[]; status: string[]; reason: (string | null)[]; source: (string | null)[] }

const stageColumns = (): StageColumns => ({ ev: [], cls: [], stage: [], driver: [], pos: [], ms: [] });
const resultColumns = (): ResultColumns => ({ ev: [], cls: [], driver: [], codriver: [], make: [], model: [], pos: [], status: [], reason: [], source: [] });

// NOTE: plain INSERTs, no ON CONFLICT: the importer has already checked every row against the stored
// edition (natural keys), so a conflict can only mean a second import of the same edition running at the
// same time; failing then keeps the tallies from being counted twice.
const INSERT_STAGES = `INSERT INTO history_stage_result (event_id, class, stage, driver_id, position, time_ms)
  SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[])`;
const INSERT_RESULTS = `INSERT INTO history_result (event_id, class, driver_id, codriver_id, make_id, model, position, status, reason, source)
  SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[])`;
// NOTE: an UPDATE of the keys already stored, then a plain INSERT of the rest, in one statement: about a
// third faster than INSERT … ON CONFLICT DO UPDATE, which pays a speculative insertion for every new key.
// Like the inserts above it fails, rather than counting twice, if another import adds the same key meanwhile.
const UPSERT_TALLIES = `WITH d (dimension, event, class, key, starts, wins, podiums, titles, stage_wins) AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[])),
  updated AS (
    UPDATE history_tally t SET starts = t.starts + d.starts, wins = t.wins + d.wins, podiums = t.podiums + d.podiums,
      titles = t.titles + d.titles, stage_wins = t.stage_wins + d.stage_wins
    FROM d WHERE t.dimension = d.dimension AND t.event = d.event AND t.class = d.class AND t.key = d.key
    RETURNING t.dimension, t.event, t.class, t.key)
  INSERT INTO history_tally (dimension, event, class, key, starts, wins, podiums, titles, stage_wins)
  SELECT d.* FROM d WHERE NOT EXISTS (
    SELECT 1 FROM updated u WHERE u.dimension = d.dimension AND u.event = d.event AND u.class = d.class AND u.key = d.key)`;

export class PostgresBackend implements HistoryBackend {
  private readonly persons = new Map<string, number>();
  private readonly makes = new Map<string, number>();
  private readonly newPersons = new Set<string>();
  private readonly newMakes = new Set<string>();
  private editions: Map<string, number> | null = null;
  private client: pg.PoolClient | null = null;
  private stages = stageColumns();
  private results = resultColumns();
  private events: { id: number; kind: string; name: string; year: number; date: string }[] = [];
  private idPool: number[] = [];
  /** Sends the database has not answered yet, oldest first. */
  private inFlight: Promise<void>[] = [];
  private failure: unknown = null;

  constructor(private readonly pool: pg.Pool) {}

  private async tx(): Promise<pg.PoolClient> {
    if (!this.client) {
      this.client = await this.pool.connect();
      await this.client.query('BEGIN');
    }
    return this.client;
  }

  /** The last statement queued; the next one starts when it ends (one statement at a time on a client). */
  private chain: Promise<void> = Promise.resolve();

  /** Queues a statement without waiting for it; its error surfaces at the next settle. */
  private fire(c: pg.PoolClient, sql: string, params: unknown[]): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.failure !== null) return;
      await c.query(sql, params).then(() => undefined, (e: unknown) => { this.failure ??= e; });
    });
    return this.chain;
  }

  /** Waits until at most `keep` sends are in flight; on a failed send rolls back and throws its error. */
  private async settle(keep = 0): Promise<void> {
    while (this.inFlight.length > keep) await this.inFlight.shift();
    if (this.failure !== null) {
      // The statements still queued see the failure and skip; wait for them before giving the client back.
      await Promise.all(this.inFlight);
      this.inFlight = [];
      const e = this.failure;
      this.failure = null;
      const c = this.client;
      this.client = null;
      if (c) {
        await c.query('ROLLBACK').catch(() => {});
        c.release();
      }
      throw e;
    }
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

  /** Ids of names not seen before (created when new); waits for the database, so called only when there are some. */
  private async ids(c: pg.PoolClient, table: 'history_person' | 'history_make', cache: Map<string, number>, names: Set<string>): Promise<void> {
    const missing = [...names];
    names.clear();
    await c.query(`INSERT INTO ${table} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`, [missing]);
    const { rows } = await c.query<{ id: number; name: string }>(`SELECT id, name FROM ${table} WHERE name = ANY($1::text[])`, [missing]);
    for (const r of rows) cache.set(r.name, r.id);
  }

  /** Event ids are taken from the sequence a thousand at a time, so a new edition costs no round trip of its own. */
  private async nextEventId(c: pg.PoolClient): Promise<number> {
    if (this.idPool.length === 0) {
      const { rows } = await c.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('history_event', 'id')) AS id FROM generate_series(1, 1000)`);
      this.idPool = rows.map((r) => Number(r.id)).reverse();
    }
    return this.idPool.pop()!;
  }

  private person(name: string): void {
    if (!this.persons.has(name)) this.newPersons.add(name);
  }

  async write(records: readonly HistoryRecord[]): Promise<void> {
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
          id = await this.nextEventId(await this.tx());
          editions.set(key, id);
          this.events.push({ id, kind, name: rec.event, year: rec.year, date: rec.date });
        }
        lastKey = key;
        ev = id;
      }
      this.person(rec.driver);
      if (rec.kind === 'stage') {
        s.ev.push(ev); s.cls.push(rec.class); s.stage.push(rec.stage); s.driver.push(rec.driver); s.pos.push(rec.position); s.ms.push(rec.timeMs);
      } else {
        if (rec.codriver) this.person(rec.codriver);
        if (!this.makes.has(rec.make)) this.newMakes.add(rec.make);
        r.ev.push(ev); r.cls.push(rec.class); r.driver.push(rec.driver); r.codriver.push(rec.codriver); r.make.push(rec.make); r.model.push(rec.model);
        r.pos.push(rec.position); r.status.push(rec.status); r.reason.push(rec.reason); r.source.push(rec.source);
      }
    }
    if (s.ev.length + r.ev.length >= SEND_EVERY) await this.send();
  }

  /** Sends the buffered rows as arrays without waiting for them, keeping at most one earlier send in flight. */
  private async send(): Promise<void> {
    const s = this.stages;
    const r = this.results;
    if (s.ev.length === 0 && r.ev.length === 0 && this.events.length === 0) return;
    const events = this.events;
    this.stages = stageColumns();
    this.results = resultColumns();
    this.events = [];
    const c = await this.tx();
    try {
      if (this.newPersons.size) await this.ids(c, 'history_person', this.persons, this.newPersons);
      if (this.newMakes.size) await this.ids(c, 'history_make', this.makes, this.newMakes);
    } catch (e) {
      // NOTE: an earlier send that failed aborts the transaction; report its error, not the abort.
      this.failure ??= e;
      await this.settle();
    }
    const person = (n: string | null): number | null => (n ? this.persons.get(n)! : null);
    const sent: Promise<void>[] = [];
    if (events.length) {
      sent.push(this.fire(c, 'INSERT INTO history_event (id, kind, name, year, date) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[])',
        [intArray(events.map((e) => e.id)), textArray(events.map((e) => e.kind)), textArray(events.map((e) => e.name)), intArray(events.map((e) => e.year)), textArray(events.map((e) => e.date))]));
    }
    if (r.ev.length) {
      sent.push(this.fire(c, INSERT_RESULTS, [intArray(r.ev), textArray(r.cls), intArray(r.driver.map(person)), intArray(r.codriver.map(person)),
        intArray(r.make.map((m) => this.makes.get(m)!)), textArray(r.model), intArray(r.pos), textArray(r.status), textArray(r.reason), textArray(r.source)]));
    }
    if (s.ev.length) {
      sent.push(this.fire(c, INSERT_STAGES, [intArray(s.ev), textArray(s.cls), intArray(s.stage), intArray(s.driver.map(person)), intArray(s.pos), intArray(s.ms)]));
    }
    this.inFlight.push(Promise.all(sent).then(() => undefined));
    await this.settle(1);
  }

  async addTallies(tallies: TallyMap): Promise<void> {
    await this.send();
    const c = await this.tx();
    // Text columns are kept as quoted array elements; the three of the prefix are quoted once per prefix.
    const text: string[][] = [[], [], [], []];
    const nums: number[][] = [[], [], [], [], []];
    const flush = (): void => {
      if (text[0]!.length === 0) return;
      this.inFlight.push(this.fire(c, UPSERT_TALLIES, [...text.map((a) => `{${a.join(',')}}`), ...nums.map(intArray)]));
      for (const a of [...text, ...nums]) a.length = 0;
    };
    for (const [prefix, inner] of tallies) {
      const [dim, ev, cls] = prefix.split('\u0001').map(quoted) as [string, string, string];
      for (const [key, t] of inner) {
        text[0]!.push(dim); text[1]!.push(ev); text[2]!.push(cls); text[3]!.push(quoted(key));
        nums[0]!.push(t.starts); nums[1]!.push(t.wins); nums[2]!.push(t.podiums); nums[3]!.push(t.titles); nums[4]!.push(t.stageWins);
        if (text[0]!.length >= TALLY_EVERY) flush();
      }
    }
    flush();
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
      } finally {
        c.release();
      }
    }
  }
}
