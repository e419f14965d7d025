// What every route module receives: the store, the scored-state cache, auth,
// the clock, and small helpers every route needs (find the rally or 404,
// record an audit line).
import type { KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/contract.ts';
import type { Auth, Principal } from './auth.ts';
import { DeskRecords } from './desk-records.ts';
import { apiError } from './problem.ts';
import type { RallyEntry, RallyStates } from './rally-states.ts';

export interface ServerContext {
  store: Store;
  states: RallyStates;
  auth: Auth;
  now: () => Date;
  /** Protests, notices, acknowledgments and crew codes (SEE: desk-records.ts). */
  desk: DeskRecords;
  /** The rally's in-memory entry; 404 when there is none. */
  rally(id: string): Promise<RallyEntry>;
  /** Records who did what (every write). */
  audit(p: Principal, action: string, rallyId: string | undefined, detail: unknown): Promise<void>;
  /** The organiser's Ed25519 private key (`--signing-key`): publications are signed with it; absent = sealed only. */
  signingKey?: KeyObject;
}

export function createContext(store: Store, states: RallyStates, auth: Auth, now: () => Date, signingKey?: KeyObject): ServerContext {
  return {
    ...(signingKey ? { signingKey } : {}),
    store,
    states,
    auth,
    now,
    desk: new DeskRecords(store),
    async rally(id) {
      // NOTE: `entry`, not `get`: a request need not wait for the live change of earlier facts to go out.
      const entry = await states.entry(id);
      if (!entry) throw apiError('rally-not-found', `No rally with id "${id}".`, 'id');
      return entry;
    },
    async audit(p, action, rallyId, detail) {
      await store.audit({ at: now().toISOString(), principal: p.label, action, ...(rallyId ? { rallyId } : {}), detail: { tokenId: p.tokenId, device: p.device, ...(detail as object) } });
    },
  };
}

/** The rally id of a route `/api/rallies/:id/…`. */
export function rallyIdOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}
