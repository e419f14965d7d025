// One entry point for every adapter: the database URL decides which.
//   sqlite:<path> or a plain path   SQLite file (its folder is created if missing)
//   :memory:                        the in-memory store (nothing survives the process)
//   sqlite::memory:                 SQLite in memory (the SQL adapter, nothing on disk)
//   postgres://… / postgresql://…   PostgreSQL
// Migrations run on open. A database that cannot be opened or reached is a
// StoreError('unavailable') whose message says where and what to do.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError, type OpenStoreOptions, type Store } from './contract.ts';
import { MemoryStore } from './memory/memory-store.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export type StoreTarget =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string };

/** Which adapter a URL names, without opening anything. */
export function parseStoreUrl(url: string): StoreTarget {
  const u = url.trim();
  if (u === '') throw new StoreError('unavailable', 'no database given: set --db or RALLYHQ_DB (e.g. ./data/rallyhq.db or postgres://host:5432/rallyhq)');
  if (u === ':memory:' || u === 'memory:') return { kind: 'memory' };
  if (/^postgres(ql)?:\/\//i.test(u)) return { kind: 'postgres', url: u };
  if (/^sqlite:/i.test(u)) {
    const path = u.slice('sqlite:'.length).replace(/^\/\/(?=[./~]|[A-Za-z]:)/, '');
    if (path === '') throw new StoreError('unavailable', `"${url}" names no file: write sqlite:./data/rallyhq.db`);
    return { kind: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    throw new StoreError('unavailable', `unsupported database URL "${u.replace(/:[^:@/]*@/, ':***@')}": use a file path, sqlite:<path>, :memory: or postgres://…`);
  }
  return { kind: 'sqlite', path: u };
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  switch (target.kind) {
    case 'memory':
      return new MemoryStore(options);
    case 'postgres':
      return PostgresStore.open(target.url, options);
    case 'sqlite': {
      // NOTE: `sqlite::memory:` is a private in-memory SQLite database (the SQL adapter without a file).
      if (target.path === ':memory:') return new SqliteStore(':memory:', options);
      const path = resolve(target.path);
      try {
        mkdirSync(dirname(path), { recursive: true });
        return new SqliteStore(path, options);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new StoreError('unavailable', `cannot open the SQLite database at ${path}: ${reason} — check the path and its permissions, or set --db or RALLYHQ_DB`);
      }
    }
  }
}
