// Schema of the `log` component after each migration version, checked against
// what the store needs (tables, columns, keys) rather than against a dump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrateSqlite } from './runner.ts';
import { LOG_COMPONENT, logMigrations } from './log.ts';

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

test('log v1 on SQLite: six tables; facts keyed (rally_id, seq) and unique on (rally_id, fact_id)', () => {
  const db = new Database(':memory:');
  assert.deepEqual(migrateSqlite(db, LOG_COMPONENT, logMigrations.slice(0, 1)), [1]);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  assert.deepEqual(tables, ['audit', 'enrollments', 'facts', 'publications', 'rallies', 'rallyhq_migrations', 'tokens']);
  assert.deepEqual(columns(db, 'facts'), ['rally_id', 'seq', 'fact_id', 'type', 'car', 'body', 'principal', 'device', 'received_at']);
  assert.deepEqual(columns(db, 'rallies'), ['id', 'definition', 'version', 'created_at', 'updated_at', 'last_seq']);
  db.prepare("INSERT INTO rallies (id, definition, version, created_at, updated_at) VALUES ('r', '{}', 1, 't', 't')").run();
  const insert = db.prepare("INSERT INTO facts (rally_id, seq, fact_id, type, body, principal, received_at) VALUES ('r', ?, ?, 'controlTime', '{}', 'p', 't')");
  insert.run(1, 'a');
  assert.throws(() => insert.run(1, 'b'), /UNIQUE|PRIMARY/);
  assert.throws(() => insert.run(2, 'a'), /UNIQUE/);
  assert.throws(() => insert.run(2, ''), /CHECK/);
  db.close();
});

test('log v2 on SQLite adds nothing (PostgreSQL-only function); v1..v4 applied once, a second run applies none', () => {
  const db = new Database(':memory:');
  assert.deepEqual(migrateSqlite(db, LOG_COMPONENT, logMigrations), [1, 2, 3, 4]);
  assert.deepEqual(migrateSqlite(db, LOG_COMPONENT, logMigrations), []);
  db.close();
});

test('log v3: desk records keep one record per key, one notice per number, a number on notices only, and refuse changes', () => {
  const db = new Database(':memory:');
  migrateSqlite(db, LOG_COMPONENT, logMigrations);
  db.prepare("INSERT INTO rallies (id, definition, version, created_at, updated_at) VALUES ('r', '{}', 1, 't', 't')").run();
  const insert = db.prepare("INSERT INTO desk_records (rally_id, seq, kind, key, number, at, principal, detail) VALUES ('r', ?, ?, ?, ?, 't', 'p', '{}')");
  insert.run(1, 'notice', 'notice:a', 1);
  assert.throws(() => insert.run(2, 'notice', 'notice:b', 1), /UNIQUE/, 'two notices numbered 1');
  assert.throws(() => insert.run(2, 'protest', 'notice:a', null), /UNIQUE/, 'a key used twice');
  assert.throws(() => insert.run(1, 'protest', 'protest:a', null), /UNIQUE|PRIMARY/, 'a position used twice');
  assert.throws(() => insert.run(2, 'notice', 'notice:c', null), /CHECK/, 'a notice without a number');
  assert.throws(() => insert.run(2, 'protest', 'protest:a', 2), /CHECK/, 'a protest with a number');
  assert.throws(() => db.prepare("UPDATE desk_records SET number = 2").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM desk_records').run(), /append-only/);
  db.close();
});

test('log v4 on SQLite: tokens and codes get person and post; a code issued before v3 gets an id of its own and keeps working', () => {
  const db = new Database(':memory:');
  migrateSqlite(db, LOG_COMPONENT, logMigrations.slice(0, 3));
  const old = db.prepare("INSERT INTO enrollments (code_hash, rally_id, role, label, expires_at, created_by) VALUES (?, 'r', 'timekeeper', 'SS1 finish', '2026-02-06T12:00:00.000Z', 'officer')");
  old.run('h1');
  old.run('h2');
  assert.deepEqual(migrateSqlite(db, LOG_COMPONENT, logMigrations), [4]);
  assert.deepEqual(columns(db, 'tokens').slice(-2), ['person', 'post']);
  assert.deepEqual(columns(db, 'enrollments').slice(-6), ['id', 'person', 'post', 'created_at', 'cancelled_at', 'token_id']);
  const ids = (db.prepare('SELECT id FROM enrollments ORDER BY code_hash').all() as { id: string }[]).map((r) => r.id);
  assert.equal(ids.length, 2);
  assert.ok(ids.every((id) => /^enr_[0-9a-f]{16}$/.test(id)), ids.join());
  assert.notEqual(ids[0], ids[1]);
  db.close();
});
