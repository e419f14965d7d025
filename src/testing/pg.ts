// PostgreSQL for tests: each suite gets a fresh database of its own, dropped
// afterwards. Where no server answers, the suite says so loudly and skips —
// except under CI (CI=true), where a missing PostgreSQL is a failure.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export const TEST_PG_URL = process.env.RALLYHQ_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** One connection attempt; a loaded machine can take seconds to accept one. */
async function connectsOnce(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** Reachable within a few tries: one slow connect is not "PostgreSQL is missing". */
async function reachable(url: string, tries = 4): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await connectsOnce(url)) return true;
    if (i < tries - 1) await new Promise((r) => setTimeout(r, 1000 * (i + 1)));
  }
  return false;
}

/** True when the environment says it is CI (`CI=true`, `CI=1`, …; not `CI=false` or `CI=0`). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/**
 * A reason to skip PostgreSQL tests, or null when PostgreSQL is there. Outside
 * CI the skip is announced loudly; under CI it rejects, so the suite fails.
 */
export async function pgSkipReason(options: { url?: string; env?: NodeJS.ProcessEnv; warn?: (text: string) => void } = {}): Promise<string | null> {
  const url = options.url ?? TEST_PG_URL;
  if (await reachable(url)) return null;
  const msg = `PostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')} — PostgreSQL tests SKIPPED (set RALLYHQ_TEST_PG)`;
  if (isCi(options.env)) throw new Error(`${msg}; CI requires PostgreSQL`);
  (options.warn ?? ((t: string) => console.warn(t)))(`\n!!! ${msg}\n`);
  return msg;
}

/** Creates an empty database for one suite. */
export async function createTestDatabase(prefix = 'rallyhq_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
