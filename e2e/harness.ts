// What every browser test needs: the pages built, a real rallyhq server on a
// temporary SQLite file with the Sno*Drift 2026 fixture imported through the
// API, and Debian's Chromium driven by playwright-core (no browser download).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp, type AppDeps } from '../src/server/app.ts';
import { sha256Hex } from '../src/server/auth.ts';
import type { Fact } from '../src/core/facts.ts';
import type { Store } from '../src/store/contract.ts';
import type { LiveOptions } from '../src/server/live/index.ts';
import { isCi } from '../src/testing/pg.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'src', 'web');
const DIST = join(WEB, 'dist');
export const CHROMIUM = process.env.RALLYHQ_CHROMIUM ?? '/usr/bin/chromium';

interface RallyFile { format: string; version: number; rally: { id: string; name: string } & Record<string, unknown>; facts: Fact[] }

/** The Sno*Drift fixture: `snodrift` (60 crews, one classification) or `ara` (ARA's own, National and Regional categories). */
export function loadFixture(which: 'snodrift' | 'ara' = 'snodrift'): RallyFile {
  const name = which === 'ara' ? 'ara-2026-sno-drift.rally.json' : 'snodrift-2026.rally.json';
  return JSON.parse(readFileSync(join(ROOT, 'fixtures', name), 'utf8')) as RallyFile;
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist') continue;
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

let built: Promise<void> | null = null;
/** Builds src/web into src/web/dist when it is missing or older than its sources (once per process). */
export function ensureWebBuilt(): Promise<void> {
  built ??= (async () => {
    const index = join(DIST, 'index.html');
    if (existsSync(index) && statSync(index).mtimeMs >= newest(WEB)) return;
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  })();
  return built;
}

/** Chromium, or null (with a loud warning) when it is not installed; under CI a missing browser fails. */
export async function launchBrowser(): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    const msg = `!!! ${CHROMIUM} not found — browser tests SKIPPED (apt-get install chromium, or set RALLYHQ_CHROMIUM)`;
    if (isCi()) throw new Error(msg);
    console.warn(msg);
    return null;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  rallyId: string;
  adminToken: string;
  officerToken: string;
  /** What the page would send: JSON with a bearer token. */
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

async function openSqlite(file: string): Promise<Store> {
  // NOTE: openStore is the one entry point the CLI uses; the adapter class is the fallback while it lands.
  const open = join(ROOT, 'src', 'store', 'open.ts');
  if (existsSync(open)) {
    const mod = (await import(open)) as { openStore(url: string): Promise<Store> };
    return mod.openStore(`sqlite:${file}`);
  }
  const { SqliteStore } = await import('../src/store/sqlite/sqlite-store.ts');
  return new SqliteStore(file);
}

/**
 * A real server on 127.0.0.1 and a fresh SQLite file, with the Sno*Drift
 * fixture imported through POST /api/rallies/import. `keep` drops facts
 * before the import, so a test can add them itself later; `now` is the
 * server's clock (inquiry windows, overdue crews, publication times).
 */
export async function startServer(options: { keep?: (f: Fact) => boolean; rally?: (r: RallyFile['rally']) => RallyFile['rally']; now?: () => Date; live?: Partial<LiveOptions>; fixture?: 'snodrift' | 'ara'; empty?: boolean; push?: AppDeps['push'] } = {}): Promise<TestServer> {
  await ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-e2e-'));
  const store = await openSqlite(join(dir, 'rally.db'));
  // The first administrator token is written straight to the store, as `rallyhq serve` does on first start.
  const adminToken = randomBytes(24).toString('base64url');
  await store.createToken({ id: `tok_e2e_${randomBytes(4).toString('hex')}`, hash: sha256Hex(adminToken), role: 'admin', label: 'e2e administrator', createdAt: new Date().toISOString(), createdBy: 'e2e' });
  // RALLYHQ_E2E_LOG=warn shows the server's own log beside the test output.
  const app = await buildApp({ store, live: { hqIntervalMs: 500, ...options.live }, ...(options.push ? { push: options.push } : {}), ...(options.now ? { now: options.now } : {}), log: process.env.RALLYHQ_E2E_LOG ? { level: process.env.RALLYHQ_E2E_LOG } : false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not listen on a TCP port');
  const url = `http://127.0.0.1:${address.port}`;

  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    // A careful client: every write carries a key of its own (a publication needs one).
    if (method !== 'GET') headers['idempotency-key'] = randomUUID();
    const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  const close = async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  // `empty`: a database with only the administrator token, as on the first start of `rallyhq serve --no-seed-demo`.
  if (options.empty) return { url, app, store, rallyId: '', adminToken, officerToken: '', api, close };

  const fixture = loadFixture(options.fixture);
  const file = { ...fixture, rally: options.rally ? options.rally(fixture.rally) : fixture.rally, facts: options.keep ? fixture.facts.filter(options.keep) : fixture.facts };
  const imported = await api('POST', '/api/rallies/import', file, adminToken);
  if (imported.status !== 201) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body).slice(0, 500)}`);
  // The rally as imported: a test may give the fixture another id.
  const rallyId = file.rally.id;
  const officer = await api<{ token: string }>('POST', '/api/tokens', { role: 'officer', rallyId, label: 'Results officer' }, adminToken);
  if (officer.status !== 201) throw new Error(`officer token: ${officer.status} ${JSON.stringify(officer.body)}`);

  return {
    url, app, store, rallyId, adminToken, officerToken: officer.body.token, api, close,
  };
}

/** A laptop-sized page (1280 × 900) in the rally's time zone, with the page's uncaught errors collected. */
export async function laptopPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Detroit', locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** A phone-sized page (375 × 740, touch) in the rally's time zone, with console errors collected. */
export async function phonePage(browser: Browser, options: { timezoneId?: string } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: options.timezoneId ?? 'America/Detroit', locale: 'en-US' });
  const page = await context.newPage();
  // NOTE: a journey that stalls fails in seconds, with the page's own errors in the message.
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(m.text())) errors.push(m.text()); });
  return { context, page, errors };
}
