// Versioned schema migrations, one list per component (`log`, `history`, …),
// applied in order inside a transaction and recorded in `rallyhq_migrations`.
// Each migration carries the SQL for both databases side by side so the two
// adapters cannot drift apart unnoticed.
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS rallyhq_migrations (
  component TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (component, version)
)`;

function checkOrder(component: string, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations of ${component} must be numbered 1..n in order; found ${m.version} at ${i + 1}`);
  });
}

/** Applies the pending migrations of one component to an SQLite database. Returns the versions applied. */
export function migrateSqlite(db: BetterSqlite3.Database, component: string, migrations: readonly Migration[], now: () => string = () => new Date().toISOString()): number[] {
  checkOrder(component, migrations);
  db.exec(LEDGER);
  const applied = new Set(
    (db.prepare('SELECT version FROM rallyhq_migrations WHERE component = ?').all(component) as { version: number }[]).map((r) => r.version),
  );
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sqlite);
      db.prepare('INSERT INTO rallyhq_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)').run(component, m.version, m.name, now());
    })();
    done.push(m.version);
  }
  return done;
}

/** Applies the pending migrations of one component to PostgreSQL, serialised across processes by an advisory lock. */
export async function migratePostgres(pool: pg.Pool, component: string, migrations: readonly Migration[], now: () => string = () => new Date().toISOString()): Promise<number[]> {
  checkOrder(component, migrations);
  const client = await pool.connect();
  const done: number[] = [];
  try {
    // NOTE: several server processes may start together on one database.
    await client.query('SELECT pg_advisory_lock(7263001)');
    await client.query(LEDGER);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM rallyhq_migrations WHERE component = $1', [component]);
    const applied = new Set(rows.map((r) => Number(r.version)));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.postgres);
        await client.query('INSERT INTO rallyhq_migrations (component, version, name, applied_at) VALUES ($1, $2, $3, $4)', [component, m.version, m.name, now()]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      done.push(m.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(7263001)').catch(() => {});
    client.release();
  }
  return done;
}
