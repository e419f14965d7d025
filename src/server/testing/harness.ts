// A rallyhq server for tests: a store (memory, an SQLite temp file, or a fresh
// PostgreSQL database), the app built around it (driven with app.inject), an
// administrator token, and helpers to issue the other tokens.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { KeyObject } from 'node:crypto';
import type { Store } from '../../store/contract.ts';
import { MemoryStore } from '../../store/memory/memory-store.ts';
import { createTestDatabase } from '../../testing/pg.ts';
import { buildApp, type AppDeps } from '../app.ts';
import { ensureAdminToken } from '../bootstrap.ts';

export type StoreKind = 'memory' | 'sqlite' | 'postgres';

export const SMALL_FIXTURE = fileURLToPath(new URL('../../../fixtures/example-small.rally.json', import.meta.url));
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** The small fixture (lakeshore-2026: 6 cars, 4 stages) as parsed JSON; a fresh copy each call. */
export function smallRallyFile(): { format: string; version: number; rally: Record<string, unknown> & { id: string }; facts: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(SMALL_FIXTURE, 'utf8'));
}

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  /** Sends a request; `token` adds the Authorization header. */
  call(method: InjectOptions['method'], url: string, body?: unknown, token?: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Issues a token through the API (as administrator) and returns its secret. */
  token(role: 'officer' | 'timekeeper' | 'admin', rallyId?: string, controls?: string[]): Promise<string>;
  close(): Promise<void>;
}

async function openFor(kind: StoreKind): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (kind === 'memory') return { store: new MemoryStore(), cleanup: async () => {} };
  const { openStore } = await import('../../store/open.ts');
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rallyhq-server-'));
    const store = await openStore(`sqlite:${join(dir, 'test.db')}`);
    return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await createTestDatabase('rallyhq_server');
  const store = await openStore(db.url);
  return { store, cleanup: () => db.drop() };
}

export async function startTestServer(kind: StoreKind, options: { now?: () => Date; bodyLimit?: number; signingKey?: KeyObject; push?: AppDeps['push'] } = {}): Promise<TestServer> {
  const { store, cleanup } = await openFor(kind);
  await ensureAdminToken(store, ADMIN_TOKEN, new Date());
  const app = await buildApp({ store, ...options });
  await app.ready();
  const call: TestServer['call'] = (method, url, body, token, headers = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : typeof body === 'string' || Buffer.isBuffer(body) ? { payload: body, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } } : { payload: body as object }),
    });
  return {
    app,
    store,
    call,
    async token(role, rallyId, controls) {
      const r = await call('POST', '/api/tokens', { role, label: `${role} ${rallyId ?? ''} ${controls?.join(',') ?? ''}`.trim(), ...(rallyId ? { rallyId } : {}), ...(controls ? { controls } : {}) }, ADMIN_TOKEN, { 'idempotency-key': randomUUID() });
      if (r.statusCode !== 201) throw new Error(`cannot issue a ${role} token: ${r.statusCode} ${r.body}`);
      return (r.json() as { token: string }).token;
    },
    async close() {
      await app.close();
      await store.close();
      await cleanup();
    },
  };
}
