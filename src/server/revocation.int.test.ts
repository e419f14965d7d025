// Revocation closes what is open: an HQ live stream opened with a token ends
// the moment that token is revoked, and reconnecting with it is refused.
// Other tokens' streams stay open. Over real HTTP on 127.0.0.1, SQLite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';

interface Open { status: number; received(): string; ended: Promise<void>; close(): void }

function openStream(url: string): Promise<Open> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { buf += d; });
      const ended = new Promise<void>((done) => { res.on('end', done); res.on('close', done); res.on('aborted', done); });
      resolve({ status: res.statusCode ?? 0, received: () => buf, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe('revoking a token closes its open live streams', () => {
  let s: TestServer;
  let base: string;
  before(async () => {
    s = await startTestServer('sqlite');
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = s.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => { await s.close(); });

  test('the revoked officer\'s HQ stream ends at once; another officer\'s stays; reconnecting with the revoked token → 401', async () => {
    const issue = async (label: string) => {
      const r = await s.call('POST', '/api/tokens', { role: 'officer', rallyId: RALLY, label }, ADMIN_TOKEN, { 'idempotency-key': `issue-${label.replace(/[^\x21-\x7e]/g, '-')}` });
      assert.equal(r.statusCode, 201, r.body);
      return r.json() as { token: string; id: string };
    };
    const doomed = await issue('desk 1');
    const kept = await issue('desk 2');
    const a = await openStream(`${base}/api/rallies/${RALLY}/live/hq?token=${doomed.token}`);
    const b = await openStream(`${base}/api/rallies/${RALLY}/live/hq?token=${kept.token}`);
    assert.deepEqual([a.status, b.status], [200, 200]);
    try {
      const revoked = await s.call('DELETE', `/api/tokens/${doomed.id}`, undefined, ADMIN_TOKEN);
      assert.equal(revoked.statusCode, 200, revoked.body);
      await within(a.ended, 1000, 'the revoked token\'s stream closed');
      const bEnded = await Promise.race([b.ended.then(() => true), new Promise((ok) => setTimeout(() => ok(false), 300))]);
      assert.equal(bEnded, false, 'the other officer\'s stream is still open');
      const again = await fetch(`${base}/api/rallies/${RALLY}/live/hq?token=${doomed.token}`);
      assert.equal(again.status, 401);
    } finally {
      a.close();
      b.close();
    }
  });
});
