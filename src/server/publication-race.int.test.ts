// A publication retried with one Idempotency-Key, sent to two server
// processes at the same instant (a client that timed out on one instance and
// tried the other behind the load balancer), is published once: the store
// looks the key up under the lock that numbers publications. Two `rallyhq
// serve` processes on one PostgreSQL database, and two on one SQLite file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../testing/pg.ts';
import { smallRallyFile } from './testing/harness.ts';
import { call, importRally, startServer, type RallyFileJson, type ServerProcess } from './live/test-process.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;
const pgSkip = await pgSkipReason();

function race(kind: 'postgres' | 'sqlite', skip: string | false) {
  describe(`one publication retried on two server processes at once (${kind})`, { skip }, () => {
    let db: TestDatabase | undefined;
    let dir = '';
    const servers: ServerProcess[] = [];
    before(async () => {
      let url: string;
      if (kind === 'postgres') { db = await createTestDatabase('rallyhq_pubrace'); url = db.url; } else { dir = mkdtempSync(join(tmpdir(), 'rallyhq-pubrace-')); url = `sqlite:${join(dir, 'rally.db')}`; }
      const first = await startServer(url);
      servers.push(first);
      servers.push(await startServer(url, { token: first.token }));
      const file = smallRallyFile() as unknown as RallyFileJson;
      await importRally(first, file);
      // The facts too (importRally sends the definition alone), so each publication seals real results.
      const withFacts = await call(first, 'POST', `${R}/facts`, { facts: file.facts });
      assert.ok(withFacts.ok, await withFacts.text());
    });
    after(async () => {
      for (const s of servers) await s.stop();
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('five rounds: the same key to both processes in the same instant → one publication per key, both answers name it', async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      for (let round = 1; round <= 5; round++) {
        const body = { kind: 'provisional', reason: `after SS${round}` };
        const headers = { 'idempotency-key': `publish-round-${round}` };
        const answers = await Promise.all([call(a, 'POST', `${R}/publications`, body, headers), call(b, 'POST', `${R}/publications`, body, headers)]);
        const json = await Promise.all(answers.map(async (r) => ({ status: r.status, body: await r.json() as { number: number } })));
        assert.deepEqual(json.map((r) => r.status), [201, 201], JSON.stringify(json));
        assert.deepEqual(json.map((r) => r.body.number), [round, round], `round ${round}: both answer one publication`);
      }
      const list = await (await call(b, 'GET', `${R}/publications`)).json() as { publications: { number: number; reason: string }[] };
      assert.deepEqual(list.publications.map((p) => [p.number, p.reason]), [1, 2, 3, 4, 5].map((n) => [n, `after SS${n}`]));
      const audit = await (await call(a, 'GET', `${R}/audit`)).json() as { audit: { action: string }[] };
      assert.equal(audit.audit.filter((x) => x.action === 'publish').length, 5, 'one audit line per publication');
    });
  });
}

race('postgres', pgSkip ?? false);
race('sqlite', false);
