// The history store suite on SQLite (a temp file) and on PostgreSQL (a fresh database).
import { describe, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { historyStoreSuite } from './history-store.suite.ts';
import { openSqliteHistory } from './sqlite-history.ts';
import { openPostgresHistory } from './postgres-history.ts';
import { pgSkipReason, createTestDatabase, type TestDatabase } from '../../testing/pg.ts';

describe('history store on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-history-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'history.db');
  historyStoreSuite(async () => openSqliteHistory(file), {
    kind: 'sqlite',
    // A transaction left open holds the write lock: a second connection cannot take it.
    async openTransactions() {
      const other = new Database(file, { timeout: 0 });
      try {
        other.exec('BEGIN IMMEDIATE');
        other.exec('ROLLBACK');
        return 0;
      } catch {
        return 1;
      } finally {
        other.close();
      }
    },
  });
});

const skip = await pgSkipReason();
describe('history store on PostgreSQL', { skip: skip ?? false }, () => {
  let db: TestDatabase | null = null;
  after(async () => { await db?.drop(); });
  historyStoreSuite(async () => {
    db = await createTestDatabase('rallyhq_history');
    return openPostgresHistory(db.url);
  }, {
    kind: 'postgres',
    async openTransactions() {
      const c = new pg.Client({ connectionString: db!.url });
      await c.connect();
      try {
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`);
        return rows[0]!.n;
      } finally {
        await c.end();
      }
    },
  });
});
