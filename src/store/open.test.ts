import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './contract.ts';
import { openStore, parseStoreUrl } from './open.ts';
import { maskUrl, describeTarget } from './postgres/pg-errors.ts';
import { parseNotification } from './postgres/pg-append.ts';

test('store URLs: plain path and sqlite:<path> → SQLite, :memory: → memory, postgres:// and postgresql:// → PostgreSQL', () => {
  assert.deepEqual(parseStoreUrl('./data/rallyhq.db'), { kind: 'sqlite', path: './data/rallyhq.db' });
  assert.deepEqual(parseStoreUrl('sqlite:./data/x.db'), { kind: 'sqlite', path: './data/x.db' });
  assert.deepEqual(parseStoreUrl('sqlite:///var/lib/rallyhq.db'), { kind: 'sqlite', path: '/var/lib/rallyhq.db' });
  assert.deepEqual(parseStoreUrl(':memory:'), { kind: 'memory' });
  assert.deepEqual(parseStoreUrl('postgres://u@h:5432/db'), { kind: 'postgres', url: 'postgres://u@h:5432/db' });
  assert.deepEqual(parseStoreUrl('postgresql://h/db'), { kind: 'postgres', url: 'postgresql://h/db' });
});

test('store URLs: empty, sqlite: without a file, mysql://u:pw@… → unavailable with the fix, password masked', () => {
  for (const url of ['', 'sqlite:', 'mysql://u:pw@h/db']) {
    assert.throws(() => parseStoreUrl(url), (e: unknown) => e instanceof StoreError && e.code === 'unavailable' && !e.message.includes(':pw@'));
  }
});

test('maskUrl hides the password; describeTarget keeps only host, port and database', () => {
  assert.equal(maskUrl('postgres://rally:s3cret@db.example:6543/hq'), 'postgres://rally:***@db.example:6543/hq');
  assert.equal(describeTarget('postgres://rally:s3cret@db.example/hq'), 'postgres://db.example:5432/hq');
});

test('NOTIFY payload "snodrift:2026:42" → rally "snodrift:2026", seq 42; malformed → null', () => {
  assert.deepEqual(parseNotification('snodrift:2026:42'), ['snodrift:2026', 42]);
  assert.equal(parseNotification('no-seq'), null);
  assert.equal(parseNotification('r:x'), null);
});

test('openStore on a path whose folder is missing creates the folder; a file in the way → unavailable naming the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-open-'));
  try {
    const path = join(dir, 'nested', 'data', 'rallyhq.db');
    const store = await openStore(path);
    assert.equal(store.kind, 'sqlite');
    await store.close();
    assert.ok(existsSync(path));
    writeFileSync(join(dir, 'blocker'), 'not a folder');
    await assert.rejects(openStore(join(dir, 'blocker', 'x.db')), (e: unknown) => e instanceof StoreError && e.code === 'unavailable' && e.message.includes(join(dir, 'blocker', 'x.db')));
    const mem = await openStore(':memory:');
    assert.equal(mem.kind, 'memory');
    await mem.close();
    const sqlMem = await openStore('sqlite::memory:');
    assert.equal(sqlMem.kind, 'sqlite');
    await sqlMem.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
