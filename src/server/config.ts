// Server settings in one place: defaults, then RALLYHQ_* environment
// variables, then command-line flags. Validated at startup; every problem is
// reported at once, and the settings are logged with secrets masked.
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
// SEE: docs/operations.md and README.md for the table of settings (kept in step
// with SETTINGS and DEFAULTS by src/server/settings-docs.test.ts).

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface ServerConfig {
  /** `sqlite:<path>`, a plain path, `:memory:`, or `postgres://…`. */
  db: string;
  port: number;
  host: string;
  /** Seed the demo Sno*Drift rally when the database has no rallies. */
  seedDemo: boolean;
  /** Administrator token to accept (stored hashed); when absent one is generated on first start. */
  adminToken?: string;
  logLevel: LogLevel;
  /** Largest request body, bytes. */
  bodyLimit: number;
  /** Live streams: comment line interval, ms. */
  liveHeartbeatMs: number;
  /** Live streams: reconnect delay suggested to `EventSource`, ms. */
  liveRetryMs: number;
  /** Live streams: deltas kept per rally for resuming with Last-Event-ID. */
  liveRingSize: number;
  /** Live streams: a subscriber with more bytes waiting than this is dropped. */
  liveMaxBufferedBytes: number;
  /** Live streams: how often the overdue list is recomputed while HQ watches, ms. */
  liveHqIntervalMs: number;
  /** PEM file of the organiser's Ed25519 private key: publications are signed with it; absent = unsigned. */
  signingKey?: string;
  /** VAPID subject of Web Push notifications (`mailto:` or `https:`); absent = the server sends none. */
  pushSubject?: string;
}

export const DEFAULTS: ServerConfig = {
  db: 'sqlite:./data/rallyhq.db',
  port: 3000,
  host: '127.0.0.1',
  seedDemo: true,
  logLevel: 'info',
  bodyLimit: 1_048_576,
  // NOTE: the same values as DEFAULT_LIVE_OPTIONS (checked by config.test.ts); kept here so --help loads no server code.
  liveHeartbeatMs: 15_000,
  liveRetryMs: 2_000,
  liveRingSize: 1_000,
  liveMaxBufferedBytes: 1_048_576,
  liveHqIntervalMs: 5_000,
};

/** Each setting: its flag, its environment variable, and what it means (for --help and the docs). */
export const SETTINGS = [
  { key: 'db', flag: '--db <url>', env: 'RALLYHQ_DB', help: 'database: sqlite:<path> (default sqlite:./data/rallyhq.db), :memory:, or postgres://user@host:5432/db' },
  { key: 'port', flag: '--port <n>', env: 'RALLYHQ_PORT', help: 'TCP port (default 3000; 0 = any free port)' },
  { key: 'host', flag: '--host <addr>', env: 'RALLYHQ_HOST', help: 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)' },
  { key: 'seedDemo', flag: '--seed-demo / --no-seed-demo', env: 'RALLYHQ_SEED_DEMO', help: 'seed the demo Sno*Drift rally into an empty database (default on)' },
  { key: 'adminToken', flag: '--admin-token <token>', env: 'RALLYHQ_ADMIN_TOKEN', help: 'administrator token to accept (default: generated at first start and printed once)' },
  { key: 'logLevel', flag: '--log-level <level>', env: 'RALLYHQ_LOG_LEVEL', help: `log level: ${LOG_LEVELS.join(', ')} (default info)` },
  { key: 'bodyLimit', flag: '--body-limit <bytes>', env: 'RALLYHQ_BODY_LIMIT', help: 'largest request body in bytes (default 1048576 = 1 MiB)' },
  { key: 'liveHeartbeatMs', flag: '--live-heartbeat-ms <ms>', env: 'RALLYHQ_LIVE_HEARTBEAT_MS', help: 'live streams: heartbeat comment interval (default 15000)', least: 100 },
  { key: 'liveRetryMs', flag: '--live-retry-ms <ms>', env: 'RALLYHQ_LIVE_RETRY_MS', help: 'live streams: reconnect delay suggested to browsers (default 2000)', least: 100 },
  { key: 'liveRingSize', flag: '--live-ring-size <n>', env: 'RALLYHQ_LIVE_RING_SIZE', help: 'live streams: deltas kept per rally for resuming (default 1000)', least: 1 },
  { key: 'liveMaxBufferedBytes', flag: '--live-max-buffered-bytes <bytes>', env: 'RALLYHQ_LIVE_MAX_BUFFERED_BYTES', help: 'live streams: a slower subscriber is dropped (default 1048576)', least: 65_536 },
  { key: 'liveHqIntervalMs', flag: '--live-hq-interval-ms <ms>', env: 'RALLYHQ_LIVE_HQ_INTERVAL_MS', help: 'live streams: overdue list refresh while HQ watches (default 5000)', least: 100 },
  { key: 'signingKey', flag: '--signing-key <file>', env: 'RALLYHQ_SIGNING_KEY', help: 'PEM file of the organiser\'s Ed25519 private key: publications are signed with it (default none: sealed, not signed)' },
  { key: 'pushSubject', flag: '--push-subject <contact>', env: 'RALLYHQ_PUSH_SUBJECT', help: 'contact push services see on notifications to followed crews (default none: no push notifications)' },
] as const;

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; errors: string[] };

export interface FlagValues {
  db?: string;
  port?: string;
  host?: string;
  'seed-demo'?: boolean;
  'no-seed-demo'?: boolean;
  'admin-token'?: string;
  'log-level'?: string;
  'body-limit'?: string;
  'live-heartbeat-ms'?: string;
  'live-retry-ms'?: string;
  'live-ring-size'?: string;
  'live-max-buffered-bytes'?: string;
  'live-hq-interval-ms'?: string;
  'signing-key'?: string;
  'push-subject'?: string;
}

/**
 * The live-stream settings: whole numbers with a floor (`least`). A heartbeat or retry below 100 ms floods
 * phones on one bar of signal; a buffer below 64 KiB drops every subscriber at its first snapshot.
 */
const LIVE_SETTINGS = SETTINGS.flatMap((s) => ('least' in s ? [{ ...s, name: s.flag.split(' ')[0]!.slice(2) as keyof FlagValues }] : []));

/** The live-stream options of a configuration, as `buildApp({ live })` takes them. */
export function liveOptionsOf(c: ServerConfig): { heartbeatMs: number; retryMs: number; ringSize: number; maxBufferedBytes: number; hqIntervalMs: number } {
  return { heartbeatMs: c.liveHeartbeatMs, retryMs: c.liveRetryMs, ringSize: c.liveRingSize, maxBufferedBytes: c.liveMaxBufferedBytes, hqIntervalMs: c.liveHqIntervalMs };
}

function parseBool(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off'].includes(t)) return false;
  return null;
}

function parseInteger(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}

/** Builds the configuration: defaults < environment < flags. */
export function loadConfig(flags: FlagValues, env: Record<string, string | undefined>): ConfigResult {
  const errors: string[] = [];
  const pick = (flag: string | undefined, envName: string): { text: string; from: string } | null => {
    if (flag !== undefined) return { text: flag, from: `--${envName.replace(/^RALLYHQ_/, '').toLowerCase().replace(/_/g, '-')}` };
    const e = env[envName];
    return e !== undefined && e !== '' ? { text: e, from: envName } : null;
  };
  const config: ServerConfig = { ...DEFAULTS };

  const db = pick(flags.db, 'RALLYHQ_DB');
  if (db) {
    if (db.text.trim() === '') errors.push(`${db.from}: give a database, e.g. sqlite:./data/rallyhq.db or postgres://postgres@127.0.0.1:5432/rallyhq`);
    else config.db = db.text.trim();
  }
  const port = pick(flags.port, 'RALLYHQ_PORT');
  if (port) {
    const n = parseInteger(port.text, 0, 65535);
    if (n === null) errors.push(`${port.from}: expected a port number 0–65535, got ${JSON.stringify(port.text)}`);
    else config.port = n;
  }
  const host = pick(flags.host, 'RALLYHQ_HOST');
  if (host) {
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(host.text)) errors.push(`${host.from}: expected an address such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(host.text)}`);
    else config.host = host.text;
  }
  if (flags['seed-demo'] && flags['no-seed-demo']) errors.push('--seed-demo and --no-seed-demo: give only one');
  else if (flags['seed-demo']) config.seedDemo = true;
  else if (flags['no-seed-demo']) config.seedDemo = false;
  else if (env.RALLYHQ_SEED_DEMO !== undefined && env.RALLYHQ_SEED_DEMO !== '') {
    const b = parseBool(env.RALLYHQ_SEED_DEMO);
    if (b === null) errors.push(`RALLYHQ_SEED_DEMO: expected true or false, got ${JSON.stringify(env.RALLYHQ_SEED_DEMO)}`);
    else config.seedDemo = b;
  }
  const admin = pick(flags['admin-token'], 'RALLYHQ_ADMIN_TOKEN');
  if (admin) {
    // NOTE: a short admin token is guessable; generated ones are 47 characters.
    if (admin.text.length < 16) errors.push(`${admin.from}: an administrator token needs at least 16 characters (leave it out to have one generated)`);
    else config.adminToken = admin.text;
  }
  const level = pick(flags['log-level'], 'RALLYHQ_LOG_LEVEL');
  if (level) {
    const l = level.text.trim().toLowerCase() as LogLevel;
    if (!LOG_LEVELS.includes(l)) errors.push(`${level.from}: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level.text)}`);
    else config.logLevel = l;
  }
  const limit = pick(flags['body-limit'], 'RALLYHQ_BODY_LIMIT');
  if (limit) {
    const n = parseInteger(limit.text, 1024, 1024 * 1024 * 1024);
    if (n === null) errors.push(`${limit.from}: expected a number of bytes from 1024 up, got ${JSON.stringify(limit.text)}`);
    else config.bodyLimit = n;
  }
  for (const { name, env: envName, key, least } of LIVE_SETTINGS) {
    const v = pick(flags[name] as string | undefined, envName);
    if (!v) continue;
    const n = parseInteger(v.text, least, 2 ** 31 - 1);
    if (n === null) errors.push(`${v.from}: expected a whole number of at least ${least}, got ${JSON.stringify(v.text)}`);
    else config[key] = n;
  }
  const key = pick(flags['signing-key'], 'RALLYHQ_SIGNING_KEY');
  if (key) {
    const problem = signingKeyProblem(key.text);
    if (problem) errors.push(`${key.from}: ${problem}`);
    else config.signingKey = key.text;
  }
  const subject = pick(flags['push-subject'], 'RALLYHQ_PUSH_SUBJECT');
  if (subject) {
    const problem = pushSubjectProblem(subject.text.trim());
    if (problem) errors.push(`${subject.from}: ${problem}`);
    else config.pushSubject = subject.text.trim();
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/**
 * Why a VAPID subject will not do, or null. RFC 8292 §2.1: a `mailto:` or an
 * `https:` URL by which the push service can reach the sender; some push
 * services refuse others (and a localhost address).
 */
export function pushSubjectProblem(text: string): string | null {
  if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(text)) return null;
  try {
    const u = new URL(text);
    if (u.protocol === 'https:' && u.hostname !== 'localhost' && u.hostname !== '127.0.0.1') return null;
  } catch { /* not a URL */ }
  return `expected the organiser's contact as mailto:results@example.org or an https:// address of the rally's site, got ${JSON.stringify(text)}`;
}

/**
 * Why the file cannot sign publications, or null when it holds an Ed25519 private key in PEM.
 * NOTE: read at start so a wrong path stops the server before the first publication goes out unsigned.
 */
function signingKeyProblem(path: string): string | null {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    return `cannot read the key file ${JSON.stringify(path)} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give the PEM file of the organiser's Ed25519 private key, e.g. made with: openssl genpkey -algorithm ed25519 -out organiser-key.pem`;
  }
  try {
    const k = createPrivateKey(pem);
    if (k.asymmetricKeyType !== 'ed25519') return `${JSON.stringify(path)} holds a ${k.asymmetricKeyType ?? 'non-asymmetric'} key; publications are signed with Ed25519 (openssl genpkey -algorithm ed25519 -out organiser-key.pem)`;
  } catch {
    return `${JSON.stringify(path)} is not a PEM private key (a public key cannot sign); make one with: openssl genpkey -algorithm ed25519 -out organiser-key.pem`;
  }
  return null;
}

/** A database URL with its password hidden: `postgres://app:***@db/rallyhq`. */
export function maskDbUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** The settings as they may be logged: passwords and tokens masked. */
export function describeConfig(c: ServerConfig): Record<string, unknown> {
  return { ...c, db: maskDbUrl(c.db), adminToken: c.adminToken ? '***' : '(generated at first start)' };
}

/** `SQLite ./data/rallyhq.db` or `PostgreSQL db.example:5432/rallyhq`, for the start-up line. */
export function describeDb(url: string): string {
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      const u = new URL(url);
      return `PostgreSQL ${u.host}${u.pathname}`;
    } catch {
      return `PostgreSQL ${maskDbUrl(url)}`;
    }
  }
  if (url === ':memory:' || url === 'sqlite::memory:') return 'SQLite in memory';
  return `SQLite ${url.replace(/^sqlite:/, '')}`;
}
