// The history store on PostgreSQL. Imports send rows as arrays (one
// INSERT … SELECT FROM unnest(…) per few thousand rows) inside one
// transaction per chunk; statistics read the pre-aggregated tallies.
import pg from 'pg';
import { migratePostgres } from '../migrations/runner.ts';
import { HISTORY_MIGRATIONS } from './migrations.ts';
import { fingerprint, groupKey, resultKey, type HistoryRecord, type StoredResult } from '../../core/championship/history-records.ts';
import type { RoundResult, Season } from '../../core/championship/season.ts';
import { winStreaks, titleRuns, type Streak, type TitleRun } from '../../core/championship/streaks.ts';
import type { HeadToHead, HistoryBackend, HistoryStore, StatsAnswer, StatsQuery, StreakQuery, TallyCounts, TallyMap } from './types.ts';
import { storedRecord, buildHeadToHead, metricColumn, statRowFrom, type H2HRow, type WinnerRow, type TallyRow } from './queries.ts';

export async function openPostgresHistory(url: string): Promise<HistoryStore> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // WARNING: without a handler an idle client's error (a PostgreSQL restart) would crash the server;
  // the pool drops that client and the next query reconnects.
  pool.on('error', () => {});
  await migratePostgres(pool, 'history', HISTORY_MIGRATIONS);
  return new PostgresHistory(pool);
}

class PostgresHistory implements HistoryStore {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  backend(): HistoryBackend {
    return new PostgresBackend(this.pool);
  }

  async addClasses(classes: { code: string; name: string }[]): Promise<void> {
    await this.pool.query('INSERT INTO history_class (code, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (code) DO NOTHING', [classes.map((c) => c.code), classes.map((c) => c.name)]);
  }

  async classes(): Promise<{ code: string; name: string }[]> {
    return (await this.pool.query<{ code: string; name: string }>('SELECT code, name FROM history_class ORDER BY code')).rows;
  }

  private async matchEvents(part: string | undefined): Promise<string[]> {
    if (!part) return ['*'];
    const { rows } = await this.pool.query<{ name: string }>('SELECT DISTINCT name FROM history_event WHERE kind = \'event\' AND name ILIKE $1 ORDER BY name', [`%${part}%`]);
    return rows.map((r) => r.name);
  }

  async stats(q: StatsQuery): Promise<StatsAnswer> {
    const metric = q.metric ?? 'wins';
    const events = await this.matchEvents(q.event);
    if (events.length === 0) return { by: q.by, metric, events, class: q.class ?? null, rows: [] };
    const col = metricColumn(metric);
    const { rows } = await this.pool.query<TallyRow>(`SELECT key, SUM(starts) AS starts, SUM(wins) AS wins, SUM(podiums) AS podiums, SUM(titles) AS titles, SUM(stage_wins) AS stage_wins
      FROM history_tally WHERE dimension = $1 AND class = $2 AND event = ANY($3::text[])
      GROUP BY key HAVING SUM(${col}) > 0 ORDER BY SUM(${col}) DESC, key LIMIT $4`, [q.by, q.class ?? '*', events, q.limit ?? 20]);
    return { by: q.by, metric, events, class: q.class ?? null, rows: rows.map(statRowFrom) };
  }

  private async winners(kind: 'event' | 'championship', by: string, event: string | undefined, cls: string | undefined): Promise<WinnerRow[]> {
    const who = by === 'make' ? 'm.name' : by === 'codriver' ? 'c.name' : 'p.name';
    const where: string[] = ['e.kind = $1', 'r.position = 1'];
    const args: unknown[] = [kind];
    if (event) { args.push(`%${event}%`); where.push(`e.name ILIKE $${args.length}`); }
    if (cls) { args.push(cls); where.push(`r.class = $${args.length}`); }
    const { rows } = await this.pool.query<WinnerRow>(`SELECT e.name AS event, e.year AS year, r.class AS class, ${who} AS winner
      FROM history_result r JOIN history_event e ON e.id = r.event_id
      JOIN history_person p ON p.id = r.driver_id LEFT JOIN history_person c ON c.id = r.codriver_id JOIN history_make m ON m.id = r.make_id
      WHERE ${where.join(' AND ')}`, args);
    return rows;
  }

  async streaks(q: StreakQuery): Promise<Streak[]> {
    const wins = (await this.winners('event', q.by, q.event, q.class)).filter((w) => w.winner !== null) as { event: string; year: number; class: string; winner: string }[];
    return winStreaks(wins, q.min ?? 2).slice(0, q.limit ?? 20);
  }

  async titleRuns(q: { by: 'driver' | 'codriver' | 'make'; championship?: string; min: number; window: number }): Promise<TitleRun[]> {
    const wins = (await this.winners('championship', q.by, q.championship, undefined)).filter((w) => w.winner !== null);
    return titleRuns(wins.map((w) => ({ championship: `${w.event} ${w.class}`, year: w.year, winner: w.winner! })), q.min, q.window);
  }

  async headToHead(a: string, b: string): Promise<HeadToHead> {
    const { rows } = await this.pool.query<H2HRow>(`SELECT e.name AS event, e.year AS year, ra.class AS class, ra.position AS ap, ra.status AS ast, rb.position AS bp, rb.status AS bst
      FROM history_person pa JOIN history_result ra ON ra.driver_id = pa.id
      JOIN history_person pb ON pb.name = $2 JOIN history_result rb ON rb.event_id = ra.event_id AND rb.class = ra.class AND rb.driver_id = pb.id
      JOIN history_event e ON e.id = ra.event_id
      WHERE pa.name = $1 AND e.kind = 'event' ORDER BY e.year, e.name`, [a, b]);
    return buildHeadToHead(a, b, rows);
  }

  async counts(): Promise<{ events: number; results: number; stageResults: number }> {
    const { rows } = await this.pool.query<{ e: string; r: string; s: string }>(`SELECT (SELECT count(*) FROM history_event) AS e, (SELECT count(*) FROM history_result) AS r, (SELECT count(*) FROM history_stage_result) AS s`);
    return { events: Number(rows[0]!.e), results: Number(rows[0]!.r), stageResults: Number(rows[0]!.s) };
  }

  async putSeason(season: Season, now: string): Promise<void> {
    await this.pool.query('INSERT INTO championship_season (id, doc, updated_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at', [season.id, JSON.stringify(season), now]);
  }

  async getSeason(id: string): Promise<Season | null> {
    const { rows } = await this.pool.query<{ doc: string }>('SELECT doc FROM championship_season WHERE id = $1', [id]);
    return rows[0] ? (JSON.parse(rows[0].doc) as Season) : null;
  }

  async listSeasons(): Promise<Season[]> {
    const { rows } = await this.pool.query<{ doc: string }>('SELECT doc FROM championship_season ORDER BY id');
    return rows.map((r) => JSON.parse(r.doc) as Season);
  }

  async putRoundResult(season: string, result: RoundResult, now: string): Promise<void> {
    await this.pool.query(`INSERT INTO championship_round_result (season_id, round_id, doc, updated_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (season_id, round_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`, [season, result.round, JSON.stringify(result), now]);
  }

  async roundResults(season: string): Promise<RoundResult[]> {
    const { rows } = await this.pool.query<{ doc: string }>('SELECT doc FROM championship_round_result WHERE season_id = $1', [season]);
    return rows.map((r) => JSON.parse(r.doc) as RoundResult);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

const SEND_EVERY = 20_000;

class PostgresBackend implements HistoryBackend {
  private readonly persons = new Map<string, number>();
  private readonly makes = new Map<string, number>();
  private editions: Map<string, number> | null = null;
  private client: pg.PoolClient | null = null;
  private pendingResults: HistoryRecord[] = [];
  private pendingStages: HistoryRecord[] = [];
  private pendingResultEv: number[] = [];
  private pendingStageEv: number[] = [];
  private pendingEvents: { id: number; kind: string; name: string; year: number; date: string }[] = [];
  private idPool: number[] = [];

  constructor(private readonly pool: pg.Pool) {}

  private async tx(): Promise<pg.PoolClient> {
    if (!this.client) {
      this.client = await this.pool.connect();
      await this.client.query('BEGIN');
    }
    return this.client;
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

  private async ids(table: 'history_person' | 'history_make', cache: Map<string, number>, names: Iterable<string>): Promise<void> {
    const missing = [...new Set([...names].filter((n) => !cache.has(n)))];
    if (missing.length === 0) return;
    const c = await this.tx();
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

  async write(records: readonly HistoryRecord[]): Promise<void> {
    const editions = await this.loadEditions();
    const c = await this.tx();
    let lastKey = '';
    let lastId = 0;
    for (const r of records) {
      const kind = r.kind === 'championship' ? 'championship' : 'event';
      const key = `${kind}\u0001${r.event}\u0001${r.year}`;
      if (key !== lastKey) {
        let id = editions.get(key);
        if (id === undefined) {
          id = await this.nextEventId(c);
          editions.set(key, id);
          this.pendingEvents.push({ id, kind, name: r.event, year: r.year, date: r.date });
        }
        lastKey = key;
        lastId = id;
      }
      if (r.kind === 'stage') {
        this.pendingStages.push(r);
        this.pendingStageEv.push(lastId);
      } else {
        this.pendingResults.push(r);
        this.pendingResultEv.push(lastId);
      }
    }
    if (this.pendingStages.length + this.pendingResults.length >= SEND_EVERY) await this.send();
  }

  /** Sends the buffered rows as arrays. */
  private async send(): Promise<void> {
    if (this.pendingResults.length === 0 && this.pendingStages.length === 0 && this.pendingEvents.length === 0) return;
    const results = this.pendingResults;
    const stages = this.pendingStages;
    const resultEv = this.pendingResultEv;
    const stageEv = this.pendingStageEv;
    const events = this.pendingEvents;
    this.pendingResults = [];
    this.pendingStages = [];
    this.pendingResultEv = [];
    this.pendingStageEv = [];
    this.pendingEvents = [];
    await this.ids('history_person', this.persons, [...results.flatMap((r) => (r.codriver ? [r.driver, r.codriver] : [r.driver])), ...stages.map((r) => r.driver)]);
    await this.ids('history_make', this.makes, results.map((r) => r.make));
    const c = await this.tx();
    if (events.length) {
      await c.query('INSERT INTO history_event (id, kind, name, year, date) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[])',
        [events.map((e) => e.id), events.map((e) => e.kind), events.map((e) => e.name), events.map((e) => e.year), events.map((e) => e.date)]);
    }
    if (results.length) {
      await c.query(`INSERT INTO history_result (event_id, class, driver_id, codriver_id, make_id, model, position, status, reason, source)
        SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[]) ON CONFLICT DO NOTHING`, [
        resultEv, results.map((r) => r.class), results.map((r) => this.persons.get(r.driver)!),
        results.map((r) => (r.codriver ? this.persons.get(r.codriver)! : null)), results.map((r) => this.makes.get(r.make)!), results.map((r) => r.model),
        results.map((r) => r.position), results.map((r) => r.status), results.map((r) => r.reason), results.map((r) => r.source),
      ]);
    }
    if (stages.length) {
      await c.query(`INSERT INTO history_stage_result (event_id, class, stage, driver_id, position, time_ms)
        SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[]) ON CONFLICT DO NOTHING`, [
        stageEv, stages.map((r) => r.class), stages.map((r) => r.stage), stages.map((r) => this.persons.get(r.driver)!),
        stages.map((r) => r.position), stages.map((r) => r.timeMs),
      ]);
    }
  }

  async addTallies(tallies: TallyMap): Promise<void> {
    await this.send();
    const c = await this.tx();
    const entries: [string, TallyCounts][] = [];
    for (const [prefix, inner] of tallies) for (const [key, counts] of inner) entries.push([`${prefix}\u0001${key}`, counts]);
    for (let i = 0; i < entries.length; i += 50_000) {
      const part = entries.slice(i, i + 50_000);
      const cols: string[][] = [[], [], [], []];
      const nums: number[][] = [[], [], [], [], []];
      for (const [k, t] of part) {
        k.split('\u0001').forEach((v, j) => cols[j]!.push(v));
        nums[0]!.push(t.starts); nums[1]!.push(t.wins); nums[2]!.push(t.podiums); nums[3]!.push(t.titles); nums[4]!.push(t.stageWins);
      }
      await c.query(`INSERT INTO history_tally (dimension, event, class, key, starts, wins, podiums, titles, stage_wins)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[])
        ON CONFLICT (dimension, event, class, key) DO UPDATE SET starts = history_tally.starts + excluded.starts, wins = history_tally.wins + excluded.wins,
        podiums = history_tally.podiums + excluded.podiums, titles = history_tally.titles + excluded.titles, stage_wins = history_tally.stage_wins + excluded.stage_wins`,
      [...cols, ...nums]);
    }
  }

  async analyze(): Promise<void> {
    await this.pool.query('ANALYZE history_event, history_person, history_make, history_result, history_stage_result, history_tally');
  }

  async commit(): Promise<void> {
    await this.send();
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
