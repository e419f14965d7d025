// Web Push end to end, on SQLite, with a local HTTP server standing in for the
// browser's push service: a fan subscribes to a crew of the Sno*Drift 2026
// fixture, the crew's SS16 finish and a penalty are committed, and the push
// service receives requests whose VAPID JWT (RFC 8292) verifies against the
// server's public key and whose aes128gcm body (RFC 8188, RFC 8291) decrypts,
// with Node's crypto alone, to the crew's stage time and penalty. A push
// service answering 410 Gone (RFC 8030 §7.3) ends the subscription.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { ControlTimeRecorded, Fact } from '../../core/facts.ts';
import { parseLocalDateTime } from '../../core/time/local-time.ts';
import { formatDuration } from '../../core/time/duration.ts';
import { fixturePath } from '../../testing/fixtures.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/harness.ts';
import { PUSH_WRITES_PER_ADDRESS } from './index.ts';

const SUBJECT = 'mailto:results@example.org';
const file = JSON.parse(readFileSync(fixturePath('fixtures/snodrift-2026.rally.json'), 'utf8')) as { format: string; version: number; rally: { id: string }; facts: Fact[] };
const isFinish = (f: Fact): f is ControlTimeRecorded => f.type === 'controlTime' && f.control === 'SS16F';
const held = file.facts.filter(isFinish).slice(5);
const R = `/api/rallies/${file.rally.id}`;

interface Received { path: string; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** A browser's side of a subscription: its P-256 key pair and auth secret. */
function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, auth, json: (endpoint: string) => ({ endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } }) };
}

/** RFC 8291 §3.4 and RFC 8188 §2: one aes128gcm record, decrypted with the browser's private key. */
function decrypt(body: Buffer, ua: ReturnType<typeof browserKeys>): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const secret = ua.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.ecdh.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, ua.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([d.update(ciphertext.subarray(0, ciphertext.length - 16)), d.final()]);
  // The last record ends with the delimiter 0x02, then padding zeros.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  assert.equal(plain[end], 2, 'last-record delimiter');
  return plain.subarray(0, end).toString('utf8');
}

/** The VAPID Authorization header (RFC 8292 §3: `vapid t=<JWT>, k=<key>`), checked: ES256 signature by `k`, audience, expiry, subject. */
function checkVapid(header: string, publicKey: string, audience: string): void {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  assert.ok(m, `vapid header: ${header}`);
  assert.equal(m[2], publicKey, 'k is the server\'s VAPID public key');
  const [h, p, sig] = m[1]!.split('.') as [string, string, string];
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString()), { typ: 'JWT', alg: 'ES256' });
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url')), 'JWT signature verifies');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; exp: number; sub: string };
  assert.equal(claims.aud, audience);
  assert.equal(claims.sub, SUBJECT);
  const now = Date.now() / 1000;
  assert.ok(claims.exp > now && claims.exp <= now + 24 * 3600, 'expires within 24 hours (RFC 8292 §2)');
}

async function until<T>(what: string, f: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Web Push for a followed crew (SQLite, a local stand-in push service)', () => {
  let s: TestServer;
  let service: Server;
  let origin = '';
  const received: Received[] = [];
  before(async () => {
    service = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(req.url === '/gone' ? 410 : 201).end();
      });
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    s = await startTestServer('sqlite', { push: { subject: SUBJECT, allowLoopbackHttp: true } });
    const imported = await s.call('POST', '/api/rallies/import', { ...file, facts: file.facts.filter((f) => !held.includes(f as ControlTimeRecorded)) }, ADMIN_TOKEN);
    assert.equal(imported.statusCode, 201, imported.body);
  });
  after(async () => { await s?.close(); service?.close(); });

  test('the server offers its VAPID key, kept from its first start', async () => {
    const info = (await s.call('GET', '/api/push')).json() as { enabled: boolean; publicKey: string };
    assert.equal(info.enabled, true);
    assert.equal(Buffer.from(info.publicKey, 'base64url').length, 65);
    assert.equal(info.publicKey, s.app.rallyhq.push.publicKey);
  });

  test('a stage finish and a penalty reach the crew\'s follower, signed and encrypted; the other crew\'s follower gets nothing', async () => {
    const { publicKey } = (await s.call('GET', '/api/push')).json() as { publicKey: string };
    const fan = browserKeys();
    const other = browserKeys();
    const [a, b] = [held[0]!, held[1]!];
    assert.equal((await s.call('PUT', `${R}/crews/${a.car}/push`, fan.json(`${origin}/fan`))).statusCode, 201);
    assert.equal((await s.call('PUT', `${R}/crews/${a.car}/push`, fan.json(`${origin}/fan`))).statusCode, 200, 'again: the same state');
    assert.equal((await s.call('PUT', `${R}/crews/${b.car}/push`, other.json(`${origin}/other`))).statusCode, 201);
    assert.equal((await s.call('DELETE', `${R}/crews/${b.car}/push`, { endpoint: `${origin}/other` })).json().removed, true);

    const posted = await s.call('POST', `${R}/facts`, { facts: [a, b].map(({ seq: _seq, ...f }) => f) }, ADMIN_TOKEN);
    assert.ok(posted.statusCode < 300, posted.body);
    const got = await until('the stage time push', () => received.find((r) => r.path === '/fan'));
    await s.app.rallyhq.push.idle();
    assert.deepEqual(received.filter((r) => r.path === '/other'), [], 'unsubscribed: nothing');

    checkVapid(String(got.headers.authorization), publicKey, origin);
    assert.equal(got.headers['content-encoding'], 'aes128gcm');
    assert.ok(Number(got.headers.ttl) > 0, 'a TTL');
    const n = JSON.parse(decrypt(got.body, fan)) as { title: string; body: string; url: string; kind: string };
    const start = file.facts.find((f): f is ControlTimeRecorded => f.type === 'controlTime' && f.control === 'SS16S' && f.car === a.car)!;
    const ms = parseLocalDateTime(a.at)! - parseLocalDateTime(start.at)!;
    assert.equal(n.kind, 'stage-time');
    assert.match(n.title, new RegExp(`^#${a.car} .* · SS16 `));
    assert.ok(n.body.startsWith(formatDuration(ms)), `${n.body} starts with ${formatDuration(ms)}`);
    assert.match(n.body, /so far/, 'other crews are still on SS16');
    assert.equal(n.url, `/rally.html?id=${file.rally.id}&view=crew&car=${a.car}`);

    const pen = await s.call('POST', `${R}/penalties`, { id: randomUUID(), car: a.car, seconds: 10, reason: 'Late at TC16A by one minute', control: 'TC16A' }, ADMIN_TOKEN);
    assert.ok(pen.statusCode < 300, pen.body);
    const second = await until('the penalty push', () => received.filter((r) => r.path === '/fan')[1]);
    const p = JSON.parse(decrypt(second.body, fan)) as { kind: string; body: string };
    assert.equal(p.kind, 'penalty');
    assert.equal(p.body, '10.0 at TC16A: Late at TC16A by one minute');
  });

  test('a push service answering 410 Gone ends the subscription', async () => {
    const c = held[2]!;
    const gone = browserKeys();
    assert.equal((await s.call('PUT', `${R}/crews/${c.car}/push`, gone.json(`${origin}/gone`))).statusCode, 201);
    const { seq: _seq, ...fact } = c;
    assert.ok((await s.call('POST', `${R}/facts`, fact, ADMIN_TOKEN)).statusCode < 300);
    await until('the push to the gone endpoint', () => received.find((r) => r.path === '/gone'));
    await s.app.rallyhq.push.idle();
    assert.equal((await s.call('DELETE', `${R}/crews/${c.car}/push`, { endpoint: `${origin}/gone` })).json().removed, false, 'already forgotten');
  });

  test('bad subscriptions are refused naming the field; an unknown crew is 404', async () => {
    const k = browserKeys().json('https://push.example.net/x');
    const plain = await s.call('PUT', `${R}/crews/${held[0]!.car}/push`, { ...k, endpoint: 'http://push.example.net/x' });
    assert.equal(plain.statusCode, 400);
    assert.equal(plain.json().field, 'body.endpoint');
    const badKey = await s.call('PUT', `${R}/crews/${held[0]!.car}/push`, { ...k, keys: { ...k.keys, p256dh: Buffer.alloc(65, 1).toString('base64url') } });
    assert.equal(badKey.statusCode, 400);
    assert.equal(badKey.json().field, 'body.keys.p256dh');
    assert.equal((await s.call('PUT', `${R}/crews/99999/push`, k)).statusCode, 404);
  });
});

describe('Web Push without a VAPID subject', () => {
  test('the server says it sends none and takes no subscription; subscription changes are limited per address', async () => {
    const s = await startTestServer('memory');
    try {
      assert.equal((await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
      assert.equal(((await s.call('GET', '/api/push')).json() as { enabled: boolean }).enabled, false);
      const r = await s.call('PUT', `${R}/crews/${held[0]!.car}/push`, browserKeys().json('https://push.example.net/x'));
      assert.equal(r.statusCode, 409);
      assert.equal(r.json().code, 'push-disabled');
      // One address changing subscriptions without end is held back (the first call above counted).
      for (let i = 1; i < PUSH_WRITES_PER_ADDRESS.max; i++) assert.equal((await s.call('DELETE', `${R}/crews/${held[0]!.car}/push`, { endpoint: 'https://push.example.net/x' })).statusCode, 200);
      const over = await s.call('DELETE', `${R}/crews/${held[0]!.car}/push`, { endpoint: 'https://push.example.net/x' });
      assert.equal(over.statusCode, 429);
      assert.ok(Number(over.headers['retry-after']) > 0);
    } finally {
      await s.close();
    }
  });
});
