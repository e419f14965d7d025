// The history store on SQLite (better-sqlite3). Imports go through the bulk
// writer in sqlite-backend.ts; statistics read the pre-aggregated tallies, so
// they stay fast under millions of stage results.
import Database from 'better-sqlite3';
import { migrateSqlite } from '../migrations/runner.ts';
import { HISTORY_MIGRATIONS } from './migrations.ts';
import type { RoundResult, Season } from '../../core/championship/season.ts';
import { winStreaks, titleRuns, type Streak, type TitleRun } from '../../core/championship/streaks.ts';
import type { HeadToHead, HistoryBackend, HistoryResultRow, HistoryStore, ResultsQuery, StatsAnswer, StatsQuery, StreakQuery } from './types.ts';
import { SqliteBackend } from './sqlite-backend.ts';
import { buildHeadToHead, metricColumn, statRowFrom, type H2HRow, type WinnerRow, type TallyRow } from './queries.ts';

export function openSqliteHistory(path: string): HistoryStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NOTE: FULL makes each commit durable (NORMAL in WAL mode may lose the last commits on power loss);
  // imports commit every few hundred thousand rows, so the extra sync costs nothing measurable.
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  migrateSqlite(db, 'history', HISTORY_MIGRATIONS);
  return new SqliteHistory(db);
}

class SqliteHistory implements HistoryStore {
  readonly kind = 'sqlite' as const;
  constructor(private readonly db: Database.Database) {}

  backend(): HistoryBackend {
    return new SqliteBackend(this.db);
  }

  async addClasses(classes: { code: string; name: string }[]): Promise<void> {
    const st = this.db.prepare('INSERT INTO history_class (code, name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING');
    this.db.transaction(() => { for (const c of classes) st.run(c.code, c.name); })();
  }

  async classes(): Promise<{ code: string; name: string }[]> {
    return this.db.prepare('SELECT code, name FROM history_class ORDER BY code').all() as { code: string; name: string }[];
  }

  private matchEvents(part: string | undefined): string[] {
    if (!part) return ['*'];
    const rows = this.db.prepare('SELECT DISTINCT name FROM history_event WHERE kind = \'event\' AND lower(name) LIKE ? ORDER BY name').all(`%${part.toLowerCase()}%`) as { name: string }[];
    return rows.map((r) => r.name);
  }

  async stats(q: StatsQuery): Promise<StatsAnswer> {
    const metric = q.metric ?? 'wins';
    const events = this.matchEvents(q.event);
    const cls = q.class ?? '*';
    const limit = q.limit ?? 20;
    if (events.length === 0) return { by: q.by, metric, events, class: q.class ?? null, rows: [] };
    const col = metricColumn(metric);
    const marks = events.map(() => '?').join(',');
    const rows = this.db.prepare(`SELECT key, SUM(starts) AS starts, SUM(wins) AS wins, SUM(podiums) AS podiums, SUM(titles) AS titles, SUM(stage_wins) AS stage_wins
      FROM history_tally WHERE dimension = ? AND class = ? AND event IN (${marks})
      GROUP BY key HAVING SUM(${col}) > 0 ORDER BY SUM(${col}) DESC, key LIMIT ?`).all(q.by, cls, ...events, limit) as TallyRow[];
    return { by: q.by, metric, events, class: q.class ?? null, rows: rows.map(statRowFrom) };
  }

  private winners(kind: 'event' | 'championship', by: string, event: string | undefined, cls: string | undefined): WinnerRow[] {
    const who = by === 'make' ? 'm.name' : by === 'codriver' ? 'c.name' : 'p.name';
    // NOTE: `position <= 3` repeats the partial index's condition so SQLite can use it (it does not infer it from `= 1`).
    const where: string[] = ['e.kind = ?', 'r.position = 1', 'r.position <= 3'];
    const args: unknown[] = [kind];
    if (event) { where.push('lower(e.name) LIKE ?'); args.push(`%${event.toLowerCase()}%`); }
    if (cls) { where.push('r.class = ?'); args.push(cls); }
    return this.db.prepare(`SELECT e.name AS event, e.year AS year, r.class AS class, ${who} AS winner
      FROM history_result r CROSS JOIN history_event e ON e.id = r.event_id
      JOIN history_person p ON p.id = r.driver_id LEFT JOIN history_person c ON c.id = r.codriver_id JOIN history_make m ON m.id = r.make_id
      WHERE ${where.join(' AND ')}`).all(...args) as WinnerRow[];
    // NOTE: CROSS JOIN keeps the winners (partial index on positions 1–3) as the outer loop; left to
    // itself SQLite walks every event and all of its results (200 ms at 10 million stage results).
  }

  async streaks(q: StreakQuery): Promise<Streak[]> {
    const wins = this.winners('event', q.by, q.event, q.class).filter((w) => w.winner !== null) as { event: string; year: number; class: string; winner: string }[];
    return winStreaks(wins, q.min ?? 2).slice(0, q.limit ?? 20);
  }

  async titleRuns(q: { by: 'driver' | 'codriver' | 'make'; championship?: string; min: number; window: number }): Promise<TitleRun[]> {
    const wins = this.winners('championship', q.by, q.championship, undefined).filter((w) => w.winner !== null);
    return titleRuns(wins.map((w) => ({ championship: `${w.event} ${w.class}`, year: w.year, winner: w.winner! })), q.min, q.window);
  }

  async headToHead(a: string, b: string): Promise<HeadToHead> {
    const id = (name: string): number | undefined => (this.db.prepare('SELECT id FROM history_person WHERE name = ?').get(name) as { id: number } | undefined)?.id;
    const ia = id(a);
    const ib = id(b);
    if (ia === undefined || ib === undefined) return buildHeadToHead(a, b, []);
    const rows = this.db.prepare(`SELECT e.name AS event, e.year AS year, ra.class AS class, ra.position AS ap, ra.status AS ast, rb.position AS bp, rb.status AS bst
      FROM history_result ra JOIN history_result rb ON rb.event_id = ra.event_id AND rb.class = ra.class AND rb.driver_id = ?
      JOIN history_event e ON e.id = ra.event_id
      WHERE ra.driver_id = ? AND e.kind = 'event' ORDER BY e.year, e.name`).all(ib, ia) as H2HRow[];
    return buildHeadToHead(a, b, rows);
  }

  async results(q: ResultsQuery): Promise<HistoryResultRow[]> {
    const where: string[] = ["e.kind = 'event'"];
    const args: unknown[] = [];
    if (q.event) { where.push('lower(e.name) LIKE ?'); args.push(`%${q.event.toLowerCase()}%`); }
    if (q.person) { where.push('(lower(p.name) = ? OR lower(c.name) = ?)'); args.push(q.person.toLowerCase(), q.person.toLowerCase()); }
    if (q.winners) where.push("(r.position = 1 OR r.status = 'excluded')");
    return this.db.prepare(`SELECT e.name AS event, e.year AS year, e.date AS date, r.class AS class, r.position AS position, r.status AS status, r.reason AS reason,
        p.name AS driver, c.name AS codriver, m.name AS make, r.model AS model
      FROM history_result r JOIN history_event e ON e.id = r.event_id
      JOIN history_person p ON p.id = r.driver_id LEFT JOIN history_person c ON c.id = r.codriver_id JOIN history_make m ON m.id = r.make_id
      WHERE ${where.join(' AND ')} ORDER BY e.year, e.name, r.class, r.position IS NULL, r.position, p.name LIMIT ?`).all(...args, q.limit ?? 500) as HistoryResultRow[];
  }

  async eventNames(): Promise<string[]> {
    return (this.db.prepare("SELECT DISTINCT name FROM history_event WHERE kind = 'event' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  }

  async counts(): Promise<{ events: number; results: number; stageResults: number }> {
    const one = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    return { events: one('SELECT count(*) AS n FROM history_event'), results: one('SELECT count(*) AS n FROM history_result'), stageResults: one('SELECT count(*) AS n FROM history_stage_result') };
  }

  async putSeason(season: Season, now: string): Promise<void> {
    this.db.prepare('INSERT INTO championship_season (id, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at').run(season.id, JSON.stringify(season), now);
  }

  async getSeason(id: string): Promise<Season | null> {
    const row = this.db.prepare('SELECT doc FROM championship_season WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Season) : null;
  }

  async listSeasons(): Promise<Season[]> {
    return (this.db.prepare('SELECT doc FROM championship_season ORDER BY id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as Season);
  }

  async putRoundResult(season: string, result: RoundResult, now: string): Promise<void> {
    this.db.prepare(`INSERT INTO championship_round_result (season_id, round_id, doc, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (season_id, round_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`).run(season, result.round, JSON.stringify(result), now);
  }

  async roundResults(season: string): Promise<RoundResult[]> {
    return (this.db.prepare('SELECT doc FROM championship_round_result WHERE season_id = ?').all(season) as { doc: string }[]).map((r) => JSON.parse(r.doc) as RoundResult);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
