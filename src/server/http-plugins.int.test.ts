// Security headers on pages and API, compressed JSON, and live streams that
// are never compressed (an event must not wait in a compressor's buffer).
// Over real HTTP on 127.0.0.1, SQLite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('security headers and compression', () => {
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

  test('API answers, problems, pages and the API reference carry the security headers; the policy allows only this server and no upgrade to HTTPS', async () => {
    for (const url of [`/api/rallies/${RALLY}/results`, '/api/rallies/nope', '/', '/rally.html', '/docs/']) {
      const r = await get(`${base}${url}`, {});
      assert.ok(r.status < 500, `${url}: ${r.status}`);
      const csp = String(r.headers['content-security-policy'] ?? '');
      assert.match(csp, /default-src 'self'/, `${url}: CSP ${csp}`);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /connect-src 'self'/, 'live streams (EventSource) to this server are allowed');
      assert.doesNotMatch(csp, /upgrade-insecure-requests/, 'plain HTTP on a rally\'s local network keeps working');
      assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
      assert.ok(r.headers['x-frame-options'], url);
      assert.ok(r.headers['referrer-policy'], url);
    }
  });

  test('JSON over 1 KiB is compressed when the client accepts it, and reads back the same', async () => {
    const plain = await get(`${base}/api/rallies/${RALLY}/results`, {});
    const gz = await get(`${base}/api/rallies/${RALLY}/results`, { 'accept-encoding': 'gzip' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gz.body.length < plain.body.length, `${gz.body.length} < ${plain.body.length} bytes`);
    assert.deepEqual(JSON.parse(gunzipSync(gz.body).toString('utf8')), JSON.parse(plain.body.toString('utf8')));
  });

  test('a live stream asked for with Accept-Encoding: gzip is not compressed and its first event arrives at once', async () => {
    const first = await new Promise<{ encoding: unknown; text: string }>((resolve, reject) => {
      const req = http.get(`${base}/api/rallies/${RALLY}/live`, { headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
          if (text.includes('event: init')) { req.destroy(); resolve({ encoding: res.headers['content-encoding'], text }); }
        });
      });
      req.on('error', (e) => { if (!(e as NodeJS.ErrnoException).code?.includes('RESET')) reject(e); });
      setTimeout(() => { req.destroy(); reject(new Error('no init event within 2 s')); }, 2000);
    });
    assert.equal(first.encoding, undefined);
    assert.match(first.text, /event: init/);
  });
});
