// Web Push state: the server's VAPID key pair (made once, at first start),
// the fans' subscriptions per rally and crew, and which committed changes
// have been notified (so several server processes on one PostgreSQL database
// send each notification once). Its own migrations component (`push`) in the
// same database as the log; `:memory:` keeps it in the process.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import type Database from 'better-sqlite3';
import { openSqlite } from '../sqlite/fact-writer.ts';
import { migratePostgres, migrateSqlite, type Migration } from '../migrations/runner.ts';
import { parseStoreUrl } from '../open.ts';

export interface VapidKeys { publicKey: string; privateKey: string }

/** A browser's push subscription (PushSubscription.toJSON()) for one crew of one rally. */
export interface PushSubscriptionRecord {
  rallyId: string;
  car: number;
  endpoint: string;
  /** The browser's P-256 public key and auth secret, base64url. */
  p256dh: string;
  auth: string;
  createdAt: string;
}

export interface PushStore {
  /** The server's key pair: the stored one, else `make()`'s, stored first by whichever process gets there (every process answers the same pair). */
  vapidKeys(make: () => VapidKeys, at: string): Promise<VapidKeys>;
  /** Adds or refreshes (new keys for the same endpoint) a subscription; true when it was new. */
  subscribe(s: PushSubscriptionRecord): Promise<boolean>;
  /** False when there was none. */
  unsubscribe(rallyId: string, car: number, endpoint: string): Promise<boolean>;
  /** Every subscription of an endpoint the push service says is gone (404/410). */
  forgetEndpoint(endpoint: string): Promise<number>;
  subscriptionsFor(rallyId: string, cars: readonly number[]): Promise<PushSubscriptionRecord[]>;
  /** True for the one caller (of any process) that claims the change ending at `seq`: it sends that change's notifications. */
  claim(rallyId: string, seq: number, at: string): Promise<boolean>;
  close(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE push_vapid (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  public_key TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE push_subscriptions (
  rally_id TEXT NOT NULL,
  car INTEGER NOT NULL,
  endpoint TEXT NOT NULL,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (rally_id, car, endpoint)
);
CREATE INDEX push_subscriptions_by_endpoint ON push_subscriptions (endpoint);
CREATE TABLE push_sent (
  rally_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (rally_id, seq)
);
`;

export const PUSH_COMPONENT = 'push';
export const pushMigrations: readonly Migration[] = [
  { version: 1, name: 'Web Push: VAPID key pair, subscriptions per rally and crew, changes notified', sqlite: SCHEMA, postgres: SCHEMA },
];

interface Row { rally_id: string; car: number; endpoint: string; p256dh: string; auth: string; created_at: string }
const fromRow = (r: Row): PushSubscriptionRecord => ({ rallyId: r.rally_id, car: Number(r.car), endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth, createdAt: r.created_at });

/** The SQL both databases share, with `?` placeholders (numbered for PostgreSQL). */
const SQL = {
  keys: 'SELECT public_key, private_key FROM push_vapid WHERE id = 1',
  addKeys: 'INSERT INTO push_vapid (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  existing: 'SELECT 1 AS one FROM push_subscriptions WHERE rally_id = ? AND car = ? AND endpoint = ?',
  subscribe: `INSERT INTO push_subscriptions (rally_id, car, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (rally_id, car, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth`,
  unsubscribe: 'DELETE FROM push_subscriptions WHERE rally_id = ? AND car = ? AND endpoint = ?',
  forget: 'DELETE FROM push_subscriptions WHERE endpoint = ?',
  claim: 'INSERT INTO push_sent (rally_id, seq, at) VALUES (?, ?, ?) ON CONFLICT (rally_id, seq) DO NOTHING',
};
const forCars = (n: number) => `SELECT * FROM push_subscriptions WHERE rally_id = ? AND car IN (${Array.from({ length: n }, () => '?').join(', ')}) ORDER BY car, created_at, endpoint`;

class SqlitePushStore implements PushStore {
  constructor(private readonly db: Database.Database) {}

  async vapidKeys(make: () => VapidKeys, at: string): Promise<VapidKeys> {
    const read = () => this.db.prepare<[], { public_key: string; private_key: string }>(SQL.keys).get();
    let row = read();
    if (!row) {
      const k = make();
      this.db.prepare(SQL.addKeys).run(k.publicKey, k.privateKey, at);
      row = read()!;
    }
    return { publicKey: row.public_key, privateKey: row.private_key };
  }

  async subscribe(s: PushSubscriptionRecord): Promise<boolean> {
    return this.db.transaction(() => {
      const had = this.db.prepare(SQL.existing).get(s.rallyId, s.car, s.endpoint) !== undefined;
      this.db.prepare(SQL.subscribe).run(s.rallyId, s.car, s.endpoint, s.p256dh, s.auth, s.createdAt);
      return !had;
    }).immediate();
  }

  async unsubscribe(rallyId: string, car: number, endpoint: string): Promise<boolean> {
    return this.db.prepare(SQL.unsubscribe).run(rallyId, car, endpoint).changes > 0;
  }

  async forgetEndpoint(endpoint: string): Promise<number> {
    return this.db.prepare(SQL.forget).run(endpoint).changes;
  }

  async subscriptionsFor(rallyId: string, cars: readonly number[]): Promise<PushSubscriptionRecord[]> {
    if (cars.length === 0) return [];
    return this.db.prepare<unknown[], Row>(forCars(cars.length)).all(rallyId, ...cars).map(fromRow);
  }

  async claim(rallyId: string, seq: number, at: string): Promise<boolean> {
    return this.db.prepare(SQL.claim).run(rallyId, seq, at).changes === 1;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

const numbered = (sql: string) => { let i = 0; return sql.replace(/\?/g, () => `$${++i}`); };

class PostgresPushStore implements PushStore {
  constructor(private readonly pool: pg.Pool) {}

  async vapidKeys(make: () => VapidKeys, at: string): Promise<VapidKeys> {
    const read = async () => (await this.pool.query<{ public_key: string; private_key: string }>(SQL.keys)).rows[0];
    let row = await read();
    if (!row) {
      const k = make();
      await this.pool.query(numbered(SQL.addKeys), [k.publicKey, k.privateKey, at]);
      row = (await read())!;
    }
    return { publicKey: row.public_key, privateKey: row.private_key };
  }

  async subscribe(s: PushSubscriptionRecord): Promise<boolean> {
    // xmax = 0: the row was inserted by this statement, not updated (one statement, atomic against a concurrent subscribe).
    const { rows } = await this.pool.query<{ added: boolean }>(`${numbered(SQL.subscribe)} RETURNING (xmax = 0) AS added`, [s.rallyId, s.car, s.endpoint, s.p256dh, s.auth, s.createdAt]);
    return rows[0]!.added;
  }

  async unsubscribe(rallyId: string, car: number, endpoint: string): Promise<boolean> {
    return ((await this.pool.query(numbered(SQL.unsubscribe), [rallyId, car, endpoint])).rowCount ?? 0) > 0;
  }

  async forgetEndpoint(endpoint: string): Promise<number> {
    return (await this.pool.query(numbered(SQL.forget), [endpoint])).rowCount ?? 0;
  }

  async subscriptionsFor(rallyId: string, cars: readonly number[]): Promise<PushSubscriptionRecord[]> {
    if (cars.length === 0) return [];
    return (await this.pool.query<Row>(numbered(forCars(cars.length)), [rallyId, ...cars])).rows.map(fromRow);
  }

  async claim(rallyId: string, seq: number, at: string): Promise<boolean> {
    return (await this.pool.query(numbered(SQL.claim), [rallyId, seq, at])).rowCount === 1;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** For the in-memory store: nothing survives the process, as with the log. */
export class MemoryPushStore implements PushStore {
  private keys: VapidKeys | null = null;
  private readonly subs = new Map<string, PushSubscriptionRecord>();
  private readonly sent = new Set<string>();
  private readonly key = (rallyId: string, car: number, endpoint: string) => JSON.stringify([rallyId, car, endpoint]);

  async vapidKeys(make: () => VapidKeys): Promise<VapidKeys> {
    this.keys ??= make();
    return this.keys;
  }

  async subscribe(s: PushSubscriptionRecord): Promise<boolean> {
    const k = this.key(s.rallyId, s.car, s.endpoint);
    const had = this.subs.get(k);
    this.subs.set(k, had ? { ...had, p256dh: s.p256dh, auth: s.auth } : { ...s });
    return !had;
  }

  async unsubscribe(rallyId: string, car: number, endpoint: string): Promise<boolean> {
    return this.subs.delete(this.key(rallyId, car, endpoint));
  }

  async forgetEndpoint(endpoint: string): Promise<number> {
    let n = 0;
    for (const [k, s] of this.subs) if (s.endpoint === endpoint) { this.subs.delete(k); n++; }
    return n;
  }

  async subscriptionsFor(rallyId: string, cars: readonly number[]): Promise<PushSubscriptionRecord[]> {
    const want = new Set(cars);
    return [...this.subs.values()].filter((s) => s.rallyId === rallyId && want.has(s.car))
      .sort((a, b) => a.car - b.car || a.createdAt.localeCompare(b.createdAt) || a.endpoint.localeCompare(b.endpoint));
  }

  async claim(rallyId: string, seq: number): Promise<boolean> {
    const k = `${rallyId}\u0000${seq}`;
    if (this.sent.has(k)) return false;
    this.sent.add(k);
    return true;
  }

  async close(): Promise<void> {}
}

/** Opens the push state in the database a store URL names (SEE: src/store/open.ts), migrating it. */
export async function openPushStore(url: string): Promise<PushStore> {
  const target = parseStoreUrl(url);
  if (target.kind === 'memory') return new MemoryPushStore();
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 4, connectionTimeoutMillis: 5_000, application_name: 'rallyhq-push' });
    pool.on('error', () => { /* an idle connection lost: the pool replaces it */ });
    try {
      await migratePostgres(pool, PUSH_COMPONENT, pushMigrations);
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
    return new PostgresPushStore(pool);
  }
  const path = target.path === ':memory:' ? ':memory:' : resolve(target.path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openSqlite(path);
  migrateSqlite(db, PUSH_COMPONENT, pushMigrations);
  return new SqlitePushStore(db);
}
