// Who may do what. Four roles (docs/operations.md):
//   admin       everything, on every rally
//   officer     results officer of one rally: writes facts and decisions, publishes, issues timekeeper tokens
//   timekeeper  one rally, named controls: submits times (controlTime, stageTime, jumpStart) there only
//   public      no token: reads
// Tokens are `rhq_` + 32 random bytes (base64url), shown once, stored as SHA-256 hex.
// Enrollment codes are 11 random characters and a check character from an
// alphabet without look-alikes (about 51 bits), typed as ABCD-EFGH-JKLM or read
// from a QR code, usable once, stored as a slow hash (scrypt).
import { createHash, randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Fact } from '../core/facts.ts';
import type { RallyDefinition } from '../core/model.ts';
import type { Role, Store, TokenRecord } from '../store/contract.ts';
import { apiError } from './problem.ts';
import type { Throttle } from './throttle.ts';

export interface Principal {
  tokenId: string;
  role: Exclude<Role, 'public'>;
  rallyId?: string;
  controls?: string[];
  /** Who, as recorded beside every write. */
  label: string;
  device?: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A new bearer token: `rhq_` and 32 random bytes as base64url (47 characters).
 * The prefix makes a leaked token recognisable, and a token never starts with
 * `-`, which a command line would read as a flag (`rallyhq demo --token …`).
 */
export function newTokenSecret(): string {
  return `rhq_${randomBytes(32).toString('base64url')}`;
}

export function newTokenId(): string {
  return `tok_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

// NOTE: no 0/O, 1/I/L, 2/Z, 5/S, 8/B: a marshal reads it off a screen in the cold.
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

const RANDOM_CHARS = 11;

/**
 * Weights of the 11 random characters in the check sum (the check character
 * weighs 1). Each is coprime with 25, the size of the alphabet, and so is the
 * difference of each two neighbours (the check character's too), so the check
 * catches every single mistyped character and every swap of two neighbours:
 * a typo is answered at once and never spends an attempt against the database.
 */
const CHECK_WEIGHTS = [1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13];

function checkCharacter(chars: string): string {
  const n = CODE_ALPHABET.length;
  const sum = [...chars].reduce((acc, c, i) => acc + (CHECK_WEIGHTS[i] as number) * CODE_ALPHABET.indexOf(c), 0);
  return CODE_ALPHABET[(n - (sum % n)) % n] as string;
}

/** 11 random characters and a check character, grouped `ABCD-EFGH-JKLM`; rejection sampling keeps every character equally likely. */
export function newEnrollmentCode(): string {
  const out: string[] = [];
  const limit = 256 - (256 % CODE_ALPHABET.length);
  while (out.length < RANDOM_CHARS) {
    for (const b of randomBytes(24)) {
      if (b < limit && out.length < RANDOM_CHARS) out.push(CODE_ALPHABET[b % CODE_ALPHABET.length] as string);
    }
  }
  const code = out.join('') + checkCharacter(out.join(''));
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Why a normalised code cannot be one (wrong length, a character not in the alphabet, a failed check), or null. */
export function codeProblem(code: string): string | null {
  if (code.length !== RANDOM_CHARS + 1) return `a code has ${RANDOM_CHARS + 1} characters (ABCD-EFGH-JKLM); this one has ${code.length}`;
  const stray = [...code].find((c) => !CODE_ALPHABET.includes(c));
  if (stray !== undefined) return `"${stray}" is not used in codes (they have no 0, O, 1, I, L, 2, Z, 5, S, 8 or B); check what you typed`;
  if (checkCharacter(code.slice(0, RANDOM_CHARS)) !== code.slice(RANDOM_CHARS)) return 'the code does not pass its check character: a character is mistyped; check what you typed';
  return null;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: string, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/**
 * How a code is stored and looked up. scrypt (N = 2^14, ~16 MiB and some
 * 50 ms per code) makes testing guesses against a leaked database as slow as
 * memory allows; the salt is fixed because the code is looked up by its hash.
 */
export async function enrollmentCodeHash(code: string): Promise<string> {
  return (await scryptAsync(code, 'rallyhq enrollment code', 32, { N: 2 ** 14, r: 8, p: 1 })).toString('hex');
}

/** What a person typed (`abcd efgh`, `ABCD-EFGH`) in the form it is hashed in. */
export function normalizeCode(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export interface Auth {
  /** The caller, or null for a request without a token. Throws 401 for an unknown or revoked token. */
  authenticate(request: FastifyRequest): Promise<Principal | null>;
  /** The caller if it has one of `roles` (admin always does) for `rallyId`; else throws 401/403. */
  requireRole(request: FastifyRequest, roles: readonly Principal['role'][], rallyId?: string): Promise<Principal>;
  /** Forget cached tokens (after a revocation). */
  forget(): void;
}

const TOKEN_CACHE_MS = 5_000;

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (h === undefined || h === '') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) throw apiError('token-missing', 'The Authorization header must read "Bearer <token>".', 'authorization');
  return m[1] as string;
}

function toPrincipal(t: TokenRecord): Principal {
  if (t.role === 'public') throw apiError('token-wrong-role', 'A public token cannot be used to sign requests.', 'authorization');
  return { tokenId: t.id, role: t.role, rallyId: t.rallyId, controls: t.controls, label: t.label, device: t.device };
}

const ROLE_NAMES: Record<Principal['role'], string> = { admin: 'administrator', officer: 'results officer', timekeeper: 'timekeeper' };

export function createAuth(store: Store, now: () => Date, throttle?: Throttle): Auth {
  // WARNING: cached for a few seconds so a busy control does not cost a query per time; a
  // revocation in this process clears the cache at once, in another process within TOKEN_CACHE_MS.
  const cache = new Map<string, { token: TokenRecord | null; until: number }>();
  const seen = new WeakMap<FastifyRequest, Principal | null>();

  async function lookup(hash: string): Promise<TokenRecord | null> {
    const t = now().getTime();
    const hit = cache.get(hash);
    if (hit && hit.until > t) return hit.token;
    const token = await store.findTokenByHash(hash);
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { token, until: t + TOKEN_CACHE_MS });
    return token;
  }

  const auth: Auth = {
    async authenticate(request) {
      if (seen.has(request)) return seen.get(request) ?? null;
      const secret = bearer(request);
      if (secret === null) {
        seen.set(request, null);
        return null;
      }
      const token = await lookup(sha256Hex(secret));
      if (!token || token.revokedAt) {
        // A failure counts against the address; over the limit it is a 429 whatever the token (a good one still passes above).
        await throttle?.checkAuth(request);
        await throttle?.authFailed(request);
      }
      if (!token) throw apiError('token-unknown', 'No token with this value is known to this server.', 'authorization');
      if (token.revokedAt) throw apiError('token-revoked', `Token "${token.label}" was revoked at ${token.revokedAt}.`, 'authorization');
      const p = toPrincipal(token);
      seen.set(request, p);
      return p;
    },
    async requireRole(request, roles, rallyId) {
      const p = await auth.authenticate(request);
      const wanted = roles.map((r) => ROLE_NAMES[r]).join(' or ');
      if (!p) throw apiError('token-missing', `This needs a token of a ${wanted}${rallyId ? ` of rally "${rallyId}"` : ''}.`, 'authorization');
      if (p.role === 'admin') return p;
      if (!roles.includes(p.role)) {
        throw apiError('token-wrong-role', `A ${ROLE_NAMES[p.role]} token cannot do this; it needs a ${wanted}.${p.role === 'timekeeper' ? ` A timekeeper may only submit times (controlTime, stageTime, jumpStart) at ${describeControls(p)}.` : ''}`, 'authorization');
      }
      if (rallyId !== undefined && p.rallyId !== rallyId) {
        throw apiError('token-wrong-rally', `This token is for rally "${p.rallyId ?? '(none)'}", not "${rallyId}".`, 'authorization');
      }
      return p;
    },
    forget() {
      cache.clear();
    },
  };
  return auth;
}

function describeControls(p: Principal): string {
  return p.controls && p.controls.length > 0 ? p.controls.join(', ') : '(no controls)';
}

const TIMEKEEPER_TYPES: ReadonlySet<Fact['type']> = new Set(['controlTime', 'stageTime', 'jumpStart']);

/**
 * May this principal write this fact? Officers and admins may write any fact of
 * their rally; a timekeeper only evidence at its own controls (a stage counts
 * as its own when one of its controls — start, split, finish — is).
 * Returns null when allowed, else the error to answer with.
 */
export function factPermission(p: Principal, def: RallyDefinition, fact: Fact, path: string) {
  if (p.role === 'admin') return null;
  if (p.rallyId !== def.id) return apiError('token-wrong-rally', `This token is for rally "${p.rallyId ?? '(none)'}", not "${def.id}".`, 'authorization');
  if (p.role === 'officer') return null;
  const may = `it may submit controlTime, stageTime and jumpStart at ${describeControls(p)} only`;
  if (!TIMEKEEPER_TYPES.has(fact.type) || fact.supersedes !== undefined) {
    const what = fact.supersedes !== undefined ? 'a correction' : `a ${fact.type}`;
    return apiError('token-wrong-role', `A timekeeper token cannot submit ${what}: ${may}. Corrections and decisions are for the results officer.`, `${path}.type`);
  }
  const mine = new Set(p.controls ?? []);
  if (fact.type === 'controlTime') {
    if (!mine.has(fact.control)) return apiError('token-wrong-control', `Control ${fact.control} is not one of this token's controls: ${may}.`, `${path}.control`);
    return null;
  }
  const stage = (fact as { stage: string }).stage;
  const stageControls = def.legs.flatMap((l) => l.sections.flatMap((s) => s.controls)).filter((c) => c.stage === stage).map((c) => c.id);
  if (mine.has(stage) || stageControls.some((c) => mine.has(c))) return null;
  return apiError('token-wrong-control', `Stage ${stage} has none of this token's controls: ${may}.`, `${path}.stage`);
}

/**
 * What the OpenAPI document says is what happens: a route whose schema
 * declares `security` needs a valid token before anything else is looked at
 * (its body, its rally), so a request without one is always a 401. Routes
 * still check the role and rally they need. A route whose querystring
 * documents `token` (EventSource cannot send headers) may carry it there.
 */
export function installSecurityHook(app: FastifyInstance, auth: Auth): void {
  app.addHook('onRequest', async (request) => {
    const schema = request.routeOptions.schema as { security?: unknown[]; querystring?: { properties?: Record<string, unknown> } } | undefined;
    if (!schema?.security || schema.security.length === 0) return;
    const query = request.query as Record<string, unknown> | undefined;
    if (!request.headers.authorization && schema.querystring?.properties?.token && typeof query?.token === 'string' && query.token !== '') {
      request.headers.authorization = `Bearer ${query.token}`;
    }
    if (!(await auth.authenticate(request))) {
      throw apiError('token-missing', 'This needs a token: send Authorization: Bearer <token>.', 'authorization');
    }
  });
}
