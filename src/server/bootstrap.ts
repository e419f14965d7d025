// What `rallyhq serve` does to a database before it listens: make sure an
// administrator can sign in, and seed the demo rally into an empty database.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Fact } from '../core/facts.ts';
import type { RallyDefinition } from '../core/model.ts';
import { parseRallyFile } from '../core/rallyfile/parse.ts';
import type { Store } from '../store/contract.ts';
import { newTokenSecret, sha256Hex } from './auth.ts';

export const DEMO_FIXTURE = fileURLToPath(new URL('../../fixtures/ara-2026-sno-drift.rally.json', import.meta.url));

/**
 * Accepts `given` as an administrator token (stored hashed), or — when none is
 * given and no administrator token exists — generates one. Returns the
 * generated secret, to be printed once; null when nothing was generated.
 */
export async function ensureAdminToken(store: Store, given: string | undefined, now: Date): Promise<string | null> {
  const at = now.toISOString();
  if (given !== undefined) {
    const hash = sha256Hex(given);
    const existing = await store.findTokenByHash(hash);
    if (!existing) {
      await store.createToken({ id: `tok_admin_${hash.slice(0, 12)}`, hash, role: 'admin', label: 'administrator', createdAt: at, createdBy: 'rallyhq serve --admin-token' });
    }
    return null;
  }
  const admins = (await store.listTokens()).filter((t) => t.role === 'admin' && !t.revokedAt);
  if (admins.length > 0) return null;
  const secret = newTokenSecret();
  const hash = sha256Hex(secret);
  await store.createToken({ id: `tok_admin_${hash.slice(0, 12)}`, hash, role: 'admin', label: 'administrator', createdAt: at, createdBy: 'rallyhq serve (first start)' });
  return secret;
}

/** Leg of each control id and stage code, to tell which facts belong to which leg. */
function legIndex(def: RallyDefinition): Map<string, string> {
  const m = new Map<string, string>();
  for (const leg of def.legs) {
    m.set(leg.id, leg.id);
    for (const s of leg.sections) {
      m.set(s.id, leg.id);
      for (const c of s.controls) m.set(c.id, leg.id);
    }
  }
  for (const s of def.stages) m.set(s.code, s.leg);
  return m;
}

function placeOf(f: Fact): string | undefined {
  switch (f.type) {
    case 'controlTime': return f.control;
    case 'stageTime': case 'jumpStart': case 'stageInterrupted': case 'stageCancelled': case 'stageMaximumCharged': case 'delayedStart': return f.stage;
    case 'retirement': return f.where;
    case 'restart': return f.section;
    case 'penalty': return f.control ?? f.stage;
    default: return undefined;
  }
}

/**
 * The facts of the first leg: the file is in order, so everything before the
 * first fact placed in a later leg. `rallyhq demo` plays the rest live.
 */
export function firstLegFacts(def: RallyDefinition, facts: readonly Fact[]): Fact[] {
  const first = def.legs[0]?.id;
  const legs = legIndex(def);
  const cut = facts.findIndex((f) => {
    const place = placeOf(f);
    const leg = place === undefined ? undefined : legs.get(place);
    return leg !== undefined && leg !== first;
  });
  return cut < 0 ? [...facts] : facts.slice(0, cut);
}

/**
 * Seeds the demo rally (definition and leg 1's facts) when the database has no
 * rallies. Returns what was seeded, or null when nothing was.
 */
export async function seedDemo(store: Store, now: Date, file = DEMO_FIXTURE): Promise<{ rallyId: string; facts: number } | null> {
  if ((await store.listRallies()).length > 0) return null;
  const parsed = parseRallyFile(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.ok) throw new Error(`the demo rally file ${file} is invalid: ${parsed.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const { rally, facts } = parsed.file;
  const at = now.toISOString();
  await store.createRally(rally, at);
  const seeded = firstLegFacts(rally, facts);
  if (seeded.length > 0) {
    await store.appendFacts(rally.id, seeded.map((f) => {
      const { seq: _seq, ...fact } = f;
      return { fact: fact as Fact, principal: 'demo seed', receivedAt: at };
    }));
  }
  return { rallyId: rally.id, facts: seeded.length };
}
