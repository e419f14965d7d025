// `rallyhq serve` (and `npm start`): opens the database, makes sure an
// administrator token exists, seeds the demo rally into an empty database, and
// serves the API, the live streams and the browser pages.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CliCommand, CliIO } from '../command.ts';
import { EXIT, parseFlags, usageError } from '../args.ts';
import { describeConfig, describeDb, liveOptionsOf, loadConfig, SETTINGS, type FlagValues, type ServerConfig } from '../../server/config.ts';

const USAGE = `usage: rallyhq serve [--db <url>] [--port 3000] [--host 127.0.0.1] [--no-seed-demo]
                     [--admin-token <token>] [--log-level info] [--body-limit <bytes>]
                     [--live-heartbeat-ms 15000] [--live-retry-ms 2000] [--live-ring-size 1000]
                     [--live-max-buffered-bytes <bytes>] [--live-hq-interval-ms 5000]
                     [--signing-key organiser-key.pem] [--push-subject mailto:results@example.org]

Serves rallyhq: the HTTP API (/api, reference at /docs), live results
(Server-Sent Events) and the browser pages.

reads   the database (default sqlite:./data/rallyhq.db, created on first run)
writes  the database; on first start an administrator token (printed once)
        and, into an empty database, the demo Sno*Drift rally (leg 1 facts;
        \`rallyhq demo\` plays the rest)

settings (flag, or environment variable; flags win):
${SETTINGS.map((s) => `  ${s.flag.padEnd(34)} ${s.env.padEnd(32)} ${s.help}`).join('\n')}

Stop with Ctrl-C. SEE: docs/operations.md.
`;

/** Relative SQLite paths are taken from the working directory; their folder is created. */
export function resolveDbUrl(db: string, cwd: string): string {
  if (/^postgres(ql)?:\/\//.test(db) || db === ':memory:' || db === 'sqlite::memory:') return db;
  const path = db.replace(/^sqlite:/, '');
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  mkdirSync(dirname(abs), { recursive: true });
  return `sqlite:${abs}`;
}

/** Waits for Ctrl-C or a termination signal. */
function untilSignal(): Promise<string> {
  return new Promise((res) => {
    const done = (sig: string) => res(sig);
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
}

export async function startServer(config: ServerConfig, io: CliIO, signal: () => Promise<string> = untilSignal): Promise<number> {
  // Loaded here so `rallyhq --help` does not load the server.
  const [{ openStore }, { StoreError }, { buildApp }, { ensureAdminToken, seedDemo }] = await Promise.all([
    import('../../store/open.ts'),
    import('../../store/contract.ts'),
    import('../../server/app.ts'),
    import('../../server/bootstrap.ts'),
  ]);
  let store;
  try {
    store = await openStore(resolveDbUrl(config.db, io.cwd), { log: (msg) => io.err(`rallyhq serve: ${msg}\n`) });
  } catch (e) {
    // WARNING: an unreachable database is an operator's problem, not a bug: one line, no stack trace.
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`rallyhq serve: cannot open the database ${describeDb(config.db)}: ${e instanceof StoreError ? msg : msg.split('\n')[0]}\n`);
    return EXIT.dataError;
  }
  try {
    const now = new Date();
    const adminSecret = await ensureAdminToken(store, config.adminToken, now);
    const seeded = config.seedDemo ? await seedDemo(store, now) : null;
    // Checked by loadConfig; read again here, where the server starts.
    const signingKey = config.signingKey ? createPrivateKey(readFileSync(resolve(io.cwd, config.signingKey), 'utf8')) : undefined;
    const app = await buildApp({
      ...(signingKey ? { signingKey } : {}),
      store,
      dbUrl: config.db,
      bodyLimit: config.bodyLimit,
      live: liveOptionsOf(config),
      ...(config.pushSubject ? { push: { subject: config.pushSubject } } : {}),
      log: { level: config.logLevel },
      logRequests: config.logLevel === 'debug' || config.logLevel === 'trace',
    });
    app.log.info({ settings: describeConfig(config) }, 'settings');
    // Score every rally now, so the first visitor does not wait for its log to be read.
    for (const r of await store.listRallies()) await app.rallyhq.states.get(r.id);
    await app.listen({ port: config.port, host: config.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    io.out(`rallyhq listening on http://${host}:${port} (${describeDb(config.db)})\n`);
    if (signingKey) {
      const pub = createPublicKey(signingKey).export({ type: 'spki', format: 'pem' }).toString().trim();
      io.out(`publications are signed with the organiser's Ed25519 key (${config.signingKey}); publish its public key for \`rallyhq verify --public-key\`:\n${pub}\n`);
    }
    io.out(config.pushSubject
      ? `push notifications for followed crews: on (VAPID subject ${config.pushSubject})\n`
      : 'push notifications for followed crews: off (set --push-subject mailto:… to turn them on; SEE docs/live.md)\n');
    if (seeded) io.out(`seeded the demo rally ${seeded.rallyId} (${seeded.facts} facts of leg 1); play the rest with: npx rallyhq demo --speed 30\n`);
    if (adminSecret) {
      io.out(`administrator token (shown this once; keep it safe): ${adminSecret}\n`);
      // Everything an organiser and the officials do is in the browser: these two pages are where to start.
      io.out(`  in the browser: paste it into the officials' desk http://${host}:${port}/hq.html, or the organiser's page http://${host}:${port}/organise.html (Tokens and people: give each official a token of their own)\n`);
      io.out('  from a script: Authorization: Bearer <token>   (rallyhq demo --token <token>)\n');
    }
    const sig = await signal();
    io.err(`rallyhq serve: ${sig}, closing\n`);
    await app.close();
    return EXIT.ok;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      io.err(`rallyhq serve: port ${config.port} on ${config.host} is in use; stop the other server or pass --port\n`);
      return EXIT.dataError;
    }
    throw e;
  } finally {
    await store.close();
  }
}

export const command: CliCommand = {
  name: 'serve',
  summary: 'serve the API, live results and pages (SQLite by default, or PostgreSQL)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseFlags(args, {
      db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' },
      'seed-demo': { type: 'boolean' }, 'no-seed-demo': { type: 'boolean' },
      'admin-token': { type: 'string' }, 'log-level': { type: 'string' }, 'body-limit': { type: 'string' },
      'live-heartbeat-ms': { type: 'string' }, 'live-retry-ms': { type: 'string' }, 'live-ring-size': { type: 'string' },
      'live-max-buffered-bytes': { type: 'string' }, 'live-hq-interval-ms': { type: 'string' },
      'signing-key': { type: 'string' }, 'push-subject': { type: 'string' },
    });
    if (!parsed.ok) return usageError(io, command, parsed.message);
    if (parsed.positionals.length > 0) return usageError(io, command, `unexpected argument '${parsed.positionals[0]}'`);
    const loaded = loadConfig(parsed.values as FlagValues, process.env);
    if (!loaded.ok) return usageError(io, command, loaded.errors.join('\n'));
    return startServer(loaded.config, io);
  },
};
