// Opens the history store named by a database URL: `sqlite:<path>` (relative
// paths resolve against the working directory), `postgres://…`, `:memory:`, or
// a plain path (as the server's --db accepts).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openSqliteHistory } from './sqlite-history.ts';
import { openPostgresHistory } from './postgres-history.ts';
import type { HistoryStore } from './types.ts';

/** The database rallyhq uses when none is given. */
export const DEFAULT_DB_URL = 'sqlite:./data/rallyhq.db';

export async function openHistoryStore(url: string, cwd = process.cwd()): Promise<HistoryStore> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgresHistory(url);
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path === ':memory:') return openSqliteHistory(':memory:');
  const full = resolve(cwd, path);
  mkdirSync(dirname(full), { recursive: true });
  return openSqliteHistory(full);
}
