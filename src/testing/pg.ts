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

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
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

/** A reason to skip PostgreSQL tests, or null when PostgreSQL is there. Throws under CI. */
export async function pgSkipReason(): Promise<string | null> {
  if (await reachable(TEST_PG_URL)) return null;
  const msg = `PostgreSQL not reachable at ${TEST_PG_URL.replace(/:[^:@/]*@/, ':***@')} — PostgreSQL tests SKIPPED (set RALLYHQ_TEST_PG)`;
  if (process.env.CI) throw new Error(`${msg}; CI requires PostgreSQL`);
  console.warn(`\n!!! ${msg}\n`);
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
