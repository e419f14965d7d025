// The history store on PostgreSQL. Imports go through the bulk writer in
// postgres-backend.ts; statistics read the pre-aggregated tallies.
import pg from 'pg';
import { migratePostgres } from '../migrations/runner.ts';
import { HISTORY_MIGRATIONS } from './migrations.ts';
import type { RoundResult, Season } from '../../core/championship/season.ts';
import { winStreaks, titleRuns, type Streak, type TitleRun } from '../../core/championship/streaks.ts';
import type { HeadToHead, HistoryBackend, HistoryResultRow, HistoryStore, ResultsQuery, StatsAnswer, StatsQuery, StreakQuery } from './types.ts';
import { PostgresBackend } from './postgres-backend.ts';
import { buildHeadToHead, metricColumn, statRowFrom, type H2HRow, type WinnerRow, type TallyRow } from './queries.ts';

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

  async results(q: ResultsQuery): Promise<HistoryResultRow[]> {
    const where: string[] = ["e.kind = 'event'"];
    const args: unknown[] = [];
    if (q.event) { args.push(`%${q.event.toLowerCase()}%`); where.push(`lower(e.name) LIKE $${args.length}`); }
    if (q.person) { args.push(q.person.toLowerCase()); where.push(`(lower(p.name) = $${args.length} OR lower(c.name) = $${args.length})`); }
    if (q.winners) where.push("(r.position = 1 OR r.status = 'excluded')");
    args.push(q.limit ?? 500);
    const { rows } = await this.pool.query<HistoryResultRow>(`SELECT e.name AS event, e.year AS year, e.date AS date, r.class AS class, r.position AS position, r.status AS status, r.reason AS reason,
        p.name AS driver, c.name AS codriver, m.name AS make, r.model AS model
      FROM history_result r JOIN history_event e ON e.id = r.event_id
      JOIN history_person p ON p.id = r.driver_id LEFT JOIN history_person c ON c.id = r.codriver_id JOIN history_make m ON m.id = r.make_id
      WHERE ${where.join(' AND ')} ORDER BY e.year, e.name, r.class, r.position IS NULL, r.position, p.name LIMIT $${args.length}`, args);
    return rows;
  }

  async eventNames(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>("SELECT DISTINCT name FROM history_event WHERE kind = 'event' ORDER BY name");
    return rows.map((r) => r.name);
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
