// The history store suite on SQLite (a temp file) and on PostgreSQL (a fresh database).
import { describe, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyStoreSuite } from './history-store.suite.ts';
import { openSqliteHistory } from './sqlite-history.ts';
import { openPostgresHistory } from './postgres-history.ts';
import { pgSkipReason, createTestDatabase, type TestDatabase } from '../../testing/pg.ts';

describe('history store on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-history-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  historyStoreSuite(async () => openSqliteHistory(join(dir, 'history.db')));
});

const skip = await pgSkipReason();
describe('history store on PostgreSQL', { skip: skip ?? false }, () => {
  let db: TestDatabase | null = null;
  after(async () => { await db?.drop(); });
  historyStoreSuite(async () => {
    db = await createTestDatabase('rallyhq_history');
    return openPostgresHistory(db.url);
  });
});
