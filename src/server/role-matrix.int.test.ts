// Nothing is granted that should not be, on SQLite and PostgreSQL: every
// write route that needs a token (read from the route table, so a route added
// later is in the matrix too) is tried by every principal that has no right to
// it — no token, an unknown or a revoked token, a timekeeper of one control,
// an officer and a timekeeper of another rally — with the bodies that route
// takes. No cell may succeed (2xx) or fail inside rallyhq (5xx), and nothing
// may change; most are refused as 401/403/429, a few as 400 where the body's
// shape is checked before the role. The one cell that is a right (the
// timekeeper's own control time) must pass.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgSkipReason } from '../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';
const OTHER = 'other-2026';
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Bodies a write route might take: each route gets every one (the wrong ones are refused anyway). */
const BODIES: Record<string, unknown>[] = [
  { id: 'rm-1', type: 'controlTime', car: 2, control: 'SS1F', at: '2026-03-13T18:35:10.0', source: 'photocell' },
  { id: 'rm-2', type: 'penalty', car: 2, seconds: 10, reason: 'late' },
  { id: 'rm-3', car: 2, seconds: 10, reason: 'late', where: 'SS1', section: 'L1A', stage: 'SS1', notionalTimes: [] },
  { id: 'rm-4', supersedes: 'TC1-2', reason: 'typo' },
  { role: 'officer', rallyId: RALLY, label: 'grab' },
  { role: 'timekeeper', rallyId: RALLY, controls: ['SS1F'], label: 'grab' },
  { label: 'grab', controls: ['SS1F'] },
  { kind: 'official', reason: 'grab', override: { reason: 'grab' } },
  { version: 1, entries: [], legs: [], stages: [] },
];

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`role matrix over every write route (${kind})`, async () => {
    const skip = kind === 'postgres' ? await pgSkipReason() : null;
    let s: TestServer;
    let principals: [string, string | undefined][];
    let victimTokenId: string;
    before(async () => {
      if (skip) return;
      s = await startTestServer(kind);
      assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
      assert.equal((await s.call('POST', '/api/rallies', { ...smallRallyFile().rally, id: OTHER }, ADMIN_TOKEN)).statusCode, 201);
      const revoked = await s.call('POST', '/api/tokens', { role: 'officer', rallyId: RALLY, label: 'revoked desk' }, ADMIN_TOKEN, { 'idempotency-key': 'issue-revoked-desk' });
      assert.equal((await s.call('DELETE', `/api/tokens/${revoked.json().id}`, undefined, ADMIN_TOKEN)).statusCode, 200);
      const victim = await s.call('POST', '/api/tokens', { role: 'officer', rallyId: RALLY, label: 'desk' }, ADMIN_TOKEN, { 'idempotency-key': 'issue-desk' });
      victimTokenId = victim.json().id;
      principals = [
        ['no token', undefined],
        ['an unknown token', 'rhq_this-token-was-never-issued-by-anyone-000000'],
        ['a revoked officer token', revoked.json().token],
        ['a timekeeper of SS1F', await s.token('timekeeper', RALLY, ['SS1F'])],
        ['the officer of another rally', await s.token('officer', OTHER)],
        ['a timekeeper of another rally', await s.token('timekeeper', OTHER, ['SS1F'])],
      ];
    });
    after(async () => { if (!skip) await s.close(); });

    test('no cell succeeds or fails with a 5xx, nothing changes; the timekeeper\'s own control time passes', { skip: skip ?? false }, async () => {
      const routes = s.app.rallyhq.routes.filter((r) => WRITE.has(r.method) && Array.isArray(r.schema?.security) && (r.schema.security as unknown[]).length > 0);
      assert.ok(routes.length >= 15, `write routes needing a token: ${routes.length}`);
      const before = { seq: await s.store.latestSeq(RALLY), tokens: (await s.store.listTokens()).length, publications: (await s.store.listPublications(RALLY)).length, version: (await s.store.getRally(RALLY))?.version };
      const granted: string[] = [];
      let cells = 0;
      const statuses = new Map<number, number>();
      for (const route of routes) {
        const url = route.url.replace(':id', RALLY).replace(':tokenId', victimTokenId).replace(/:[A-Za-z]+/g, 'x');
        for (const [who, token] of principals) {
          for (const [i, body] of BODIES.entries()) {
            const mine = who === 'a timekeeper of SS1F' && route.method === 'POST' && route.url === '/api/rallies/:id/facts' && i === 0;
            if (mine) continue;
            const r = await s.call(route.method as 'POST', url, route.method === 'DELETE' ? undefined : body, token, { 'idempotency-key': `rm-${cells}` });
            cells += 1;
            statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
            if (r.statusCode < 400 || r.statusCode >= 500) granted.push(`${who}: ${route.method} ${url} body ${i} → ${r.statusCode} ${r.body.slice(0, 160)}`);
          }
        }
      }
      console.log(`# role matrix (${kind}): ${cells} cells over ${routes.length} write routes and ${principals.length} principals, ${granted.length} granted or 5xx; answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
      assert.deepEqual(granted, []);
      const now = { seq: await s.store.latestSeq(RALLY), tokens: (await s.store.listTokens()).length, publications: (await s.store.listPublications(RALLY)).length, version: (await s.store.getRally(RALLY))?.version };
      assert.deepEqual(now, before, 'nothing changed');
      const own = await s.call('POST', `/api/rallies/${RALLY}/facts`, BODIES[0], principals[3]![1]);
      assert.equal(own.statusCode, 201, own.body);
    });
  });
}
