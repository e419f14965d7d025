// The rallyhq HTTP application: built here, started elsewhere (serve.ts), so
// tests drive it with `app.inject` and no port.
import type { KeyObject } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Store } from '../store/contract.ts';
import { createAuth, installSecurityHook, type Auth } from './auth.ts';
import { createContext, type ServerContext } from './context.ts';
import { registerLive, type LiveHandle, type LiveOptions } from './live/index.ts';
import { installHttpPlugins } from './http-plugins.ts';
import { installIdempotency } from './idempotency.ts';
import { installInputGuard } from './input-guard.ts';
import { installThrottle, type Throttle } from './throttle.ts';
import { installProblemHandlers } from './problem.ts';
import { RallyStates } from './rally-states.ts';
import { registerChampionshipRoutes } from './routes/championships.ts';
import { registerEntryRoutes } from './routes/entries.ts';
import { registerStartListRoutes } from './routes/start-lists.ts';
import { registerDecisionRoutes } from './routes/decisions.ts';
import { registerDeskRoutes } from './routes/desk.ts';
import { registerDocumentRoutes } from './routes/documents.ts';
import { registerExportRoutes } from './routes/exports.ts';
import { registerImportRoutes } from './routes/imports.ts';
import { registerPublicApi } from './routes/public-api.ts';
import { registerFactRoutes } from './routes/facts.ts';
import { registerIssueRoutes } from './routes/issues.ts';
import { registerPreviewRoutes } from './routes/preview.ts';
import { registerPublicationRoutes } from './routes/publications.ts';
import { registerRallyRoutes } from './routes/rallies.ts';
import { gridAnswer, registerResultRoutes } from './routes/results.ts';
import { registerNotionalRoutes } from './routes/notional.ts';
import { registerTimetableRoutes } from './routes/timetable.ts';
import { registerTokenRoutes } from './routes/tokens.ts';
import { registerVerifyRoutes } from './routes/verify.ts';
import { registerWeb } from './web/index.ts';
import { registerPush, type PushHandle } from './push/index.ts';
import { MemoryPushStore, openPushStore, type PushStore } from '../store/push/push-store.ts';
import { inquiryClock } from './publication-check.ts';
import { MAX_ID_LENGTH } from '../core/rallyfile/schema.ts';

export interface AppDeps {
  store: Store;
  /** Server clock (tests pass a fixed one). */
  now?: () => Date;
  /** Fastify logger: false (default) for tests, true or options when serving. */
  log?: boolean | FastifyServerOptions['logger'];
  /** Largest request body, bytes (default 1 MiB). */
  bodyLimit?: number;
  /** The database URL, for plugins that open their own connections (championship history). */
  dbUrl?: string;
  live?: Partial<LiveOptions>;
  /** Log every request (noisy; default off). */
  logRequests?: boolean;
  /** At most one live change per rally in this many ms; facts arriving in between join it (default 100; 0 = one per commit). */
  changeIntervalMs?: number;
  /** The organiser's Ed25519 private key: every publication is signed with it (default: sealed, not signed). */
  signingKey?: KeyObject;
  /**
   * Web Push for followed crews: `subject` (--push-subject) turns sending on; `store` defaults to the
   * database of `dbUrl` (in memory without one). SEE: src/server/push/index.ts.
   */
  push?: { subject?: string; store?: PushStore; allowLoopbackHttp?: boolean };
}

/** A route as registered: what the generic tests walk (every write route gets generated bad input; every route's security is checked). */
export interface RouteEntry { method: string; url: string; schema?: Record<string, unknown> }

export interface RallyhqHandles {
  /** Every route of the app, in registration order. */
  routes: RouteEntry[];
  throttle: Throttle;
  states: RallyStates;
  auth: Auth;
  ctx: ServerContext;
  live: LiveHandle;
  push: PushHandle;
}

declare module 'fastify' {
  interface FastifyInstance {
    rallyhq: RallyhqHandles;
  }
}

export const DEFAULT_BODY_LIMIT = 1_048_576;
/** SEE: docs/live.md "Performance" — a burst of single facts costs one classification and one delta per rally per interval. */
export const DEFAULT_CHANGE_INTERVAL_MS = 100;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: deps.log ?? false,
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // NOTE: room for an id of MAX_ID_LENGTH characters percent-encoded (up to 12 bytes each); the schemas then hold ids to MAX_ID_LENGTH.
    routerOptions: { maxParamLength: MAX_ID_LENGTH * 12 },
    logController: new LogController({ disableRequestLogging: !deps.logRequests }),
    // NOTE: unknown fields are errors, not silently dropped; all problems are listed at once.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
  });
  installProblemHandlers(app);
  // NOTE: before any route: compression attaches itself to each route as it is added.
  await installHttpPlugins(app);
  installInputGuard(app);
  installIdempotency(app);
  const routes: RouteEntry[] = [];
  // NOTE: added before any route, so routes registered by plugins (and by route modules added later) are seen too.
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, ...(r.schema ? { schema: r.schema as Record<string, unknown> } : {}) });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'rallyhq API',
        version: '0.1.0',
        description: 'Stage-rally timing, results and publication. Reads are public; writes need `Authorization: Bearer <token>`. Errors are RFC 7807 problem details naming the field and the fix. SEE: docs/api.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Token issued by an administrator or results officer, or by enrollment' } } },
      tags: [
        { name: 'rallies', description: 'Rallies, itinerary, entries, rally files' },
        { name: 'entries', description: 'The entry list one change at a time: add, edit, withdraw, substitute, CSV import, and the history of changes' },
        { name: 'facts', description: 'The log: times and everything officials record' },
        { name: 'decisions', description: 'Corrections, penalties, retirements, restarts, exclusions, notional times, cancellations' },
        { name: 'results', description: 'Classifications, stage results, crews, workings' },
        { name: 'publications', description: 'Provisional and official results, and what changed between them' },
        { name: 'public', description: 'Public read API v1 for media and other sites: stable shapes, CORS, rate limit, calendars' },
        { name: 'imports', description: 'Timing files in: preview, confirm, quarantine' },
        { name: 'documents', description: 'Official documents as PDF: entry and start lists, stage results, classifications, penalties, retirements, decisions' },
        { name: 'attention', description: 'Conflicts, anomalies, overdue crews, audit' },
        { name: 'auth', description: 'Tokens and enrollment' },
        { name: 'live', description: 'Server-Sent Events' },
      ],
    },
    // Bodies checked with the rally file's zod schemas are documented from `x-body`.
    transform: ({ schema, url }) => {
      if (!schema || !('x-body' in schema)) return { schema, url };
      const { 'x-body': body, ...rest } = schema as Record<string, unknown>;
      return { schema: { ...rest, body } as typeof schema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const states = new RallyStates(deps.store, { changeIntervalMs: deps.changeIntervalMs ?? DEFAULT_CHANGE_INTERVAL_MS });
  states.on('error', (err) => app.log.error({ err }, 'cannot catch up with the log'));
  const throttle = await installThrottle(app);
  const auth = createAuth(deps.store, now, throttle);
  const ctx = createContext(deps.store, states, auth, now, deps.signingKey);
  installSecurityHook(app, auth);

  await registerRallyRoutes(app, ctx);
  await registerEntryRoutes(app, ctx);
  await registerStartListRoutes(app, ctx);
  await registerTimetableRoutes(app, ctx);
  await registerFactRoutes(app, ctx);
  await registerDecisionRoutes(app, ctx);
  await registerPreviewRoutes(app, ctx);
  await registerDeskRoutes(app, ctx);
  await registerResultRoutes(app, ctx);
  await registerNotionalRoutes(app, ctx);
  await registerPublicationRoutes(app, ctx);
  await registerIssueRoutes(app, ctx);
  await registerTokenRoutes(app, ctx);
  await registerVerifyRoutes(app, ctx);
  await registerDocumentRoutes(app, ctx);
  await registerExportRoutes(app, ctx);
  await registerImportRoutes(app, ctx);
  await registerPublicApi(app, ctx);

  const ownPushStore = deps.push?.store ? null : deps.dbUrl ? await openPushStore(deps.dbUrl) : new MemoryPushStore();
  const push = await registerPush(app, ctx, deps.store, {
    store: deps.push?.store ?? ownPushStore!,
    ...(deps.push?.subject ? { subject: deps.push.subject } : {}),
    ...(deps.push?.allowLoopbackHttp ? { allowLoopbackHttp: true } : {}),
  });
  const live = await registerLive(app, {
    afterChange: (change, snapshot) => push.afterChange(change, snapshot),
    store: deps.store,
    states,
    auth,
    authorizeHq: async (request, rallyId) => {
      try {
        const p = await auth.requireRole(request, ['officer'], rallyId);
        return { ok: true, tokenId: p.tokenId };
      } catch (e) {
        const status = (e as { status?: number }).status === 401 ? 401 : 403;
        return { ok: false, status, message: e instanceof Error ? e.message : String(e) };
      }
    },
    ...(deps.live ? { options: deps.live } : {}),
    now: () => now().getTime(),
  });
  await registerChampionshipRoutes(app, { store: deps.store, dbUrl: deps.dbUrl, auth, now });
  await registerWeb(app, {
    picture: (rallyId, category) => live.picture(rallyId, category),
    store: deps.store,
    // The inquiry clock from the latest publication alone (the page already read it): no other read per page view.
    status: async (rallyId, latest) => {
      const e = await ctx.rally(rallyId);
      const nowMs = now().getTime();
      return { now: new Date(nowMs).toISOString(), inquiry: inquiryClock(e, latest ? [latest] : [], nowMs) };
    },
    grid: async (rallyId, category) => {
      const e = await ctx.rally(rallyId);
      return gridAnswer(e, category !== undefined && (e.definition.categories ?? []).some((c) => c.code === category) ? category : undefined);
    },
  });

  // A token revoked by another process (PostgreSQL): refused here at once, its open streams ended.
  const offRevoked = deps.store.onTokenRevoked?.((tokenId) => {
    auth.forget();
    live.closeToken(tokenId);
  });
  app.decorate('rallyhq', { routes, throttle, states, auth, ctx, live, push });
  app.addHook('onClose', async () => { offRevoked?.(); states.close(); await push.idle(); await ownPushStore?.close(); });
  return app;
}
