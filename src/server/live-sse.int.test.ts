// The live streams over real HTTP (Fastify listening on 127.0.0.1), fed by a
// hand-driven source so each test states the changes it makes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerLive } from './live/index.ts';
import type { LiveHandle } from './live/index.ts';
import type { LiveChange, LiveSource, RallySnapshot } from './live/source.ts';
import { classification, parseSse, row, snapshot } from './live/test-helpers.ts';
import type { Classification } from '../core/results.ts';

class HandSource implements LiveSource {
  current: RallySnapshot = snapshot(0, classification([row(3, 1, 300_000, 0)]));
  private listeners: ((c: LiveChange) => void)[] = [];
  snapshot(id: string) { return id === 'test-rally' ? this.current : null; }
  onChange(l: (c: LiveChange) => void) { this.listeners.push(l); return () => { this.listeners = this.listeners.filter((x) => x !== l); }; }
  /** Car 3's total becomes 300 s + seq s, one fact per change. */
  advance(): number {
    const before: Classification = this.current.classification;
    const seq = this.current.seq + 1;
    const after = classification([row(3, 1, 300_000 + seq * 1000, 0)]);
    this.current = snapshot(seq, after);
    for (const l of this.listeners) l({ rallyId: 'test-rally', fromSeq: seq - 1, toSeq: seq, facts: [{ id: `f${seq}`, seq, type: 'penalty', car: 3 }], before, after });
    return seq;
  }
}

interface Stream {
  status: number;
  text(): string;
  events(): ReturnType<typeof parseSse>;
  waitFor(pred: (text: string) => boolean, ms?: number): Promise<void>;
  close(): void;
}

function open(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let buf = '';
      const waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (d: string) => { buf += d; for (const w of waiters.splice(0)) w(); });
      resolve({
        status: res.statusCode ?? 0,
        text: () => buf,
        events: () => parseSse(buf),
        waitFor(pred, ms = 3000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`timed out; got:\n${buf}`)), ms);
            const check = () => { if (pred(buf)) { clearTimeout(timer); ok(); } else waiters.push(check); };
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

describe('live SSE over HTTP', () => {
  let app: FastifyInstance;
  let live: LiveHandle;
  let base: string;
  const source = new HandSource();

  before(async () => {
    app = Fastify();
    live = await registerLive(app, {
      source,
      options: { heartbeatMs: 100, retryMs: 500 },
      authorizeHq: async (req) => (req.headers.authorization === 'Bearer officer-token' ? { ok: true } : req.headers.authorization ? { ok: false, status: 403, message: 'not an officer of this rally' } : { ok: false, status: 401, message: 'token needed' }),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => { await app.close(); });

  test('connect → init (id 0) with the event-stream headers, then a change → delta with id 1', async () => {
    const s = await open(`${base}/api/rallies/test-rally/live`);
    assert.equal(s.status, 200);
    await s.waitFor((t) => t.includes('event: init'));
    source.advance();
    await s.waitFor((t) => t.includes('event: delta'));
    const events = s.events().filter((e) => e.data !== undefined);
    assert.deepEqual(events.map((e) => [e.event, e.id]), [['init', String(source.current.seq - 1)], ['delta', String(source.current.seq)]]);
    s.close();
  });

  test('Last-Event-ID header: 3 changes missed while away → exactly those 3 deltas, in order', async () => {
    const from = source.current.seq;
    source.advance(); source.advance(); source.advance();
    const s = await open(`${base}/api/rallies/test-rally/live`, { 'last-event-id': String(from) });
    await s.waitFor((t) => (t.match(/event: delta/g) ?? []).length >= 3);
    await new Promise((r) => setTimeout(r, 150));
    const events = s.events().filter((e) => e.data !== undefined);
    assert.deepEqual(events.map((e) => [e.event, Number(e.id)]), [['delta', from + 1], ['delta', from + 2], ['delta', from + 3]]);
    s.close();
  });

  test('?lastEventId= works like the header (EventSource reconnect URL)', async () => {
    const from = source.current.seq;
    source.advance();
    const s = await open(`${base}/api/rallies/test-rally/live?lastEventId=${from}`);
    await s.waitFor((t) => t.includes('event: delta'));
    assert.deepEqual(s.events().filter((e) => e.data !== undefined).map((e) => Number(e.id)), [from + 1]);
    s.close();
  });

  test('heartbeat comment lines arrive on an idle stream (interval 100 ms)', async () => {
    const s = await open(`${base}/api/rallies/test-rally/live`, { 'last-event-id': String(source.current.seq) });
    await s.waitFor((t) => (t.match(/^: heartbeat$/gm) ?? []).length >= 2, 2000);
    s.close();
  });

  test('a closed stream is removed from the subscribers', async () => {
    const s = await open(`${base}/api/rallies/test-rally/live`);
    await s.waitFor((t) => t.includes('event: init'));
    const withIt = live.hub.subscriberCount('test-rally');
    s.close();
    for (let i = 0; i < 50 && live.hub.subscriberCount('test-rally') >= withIt; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(live.hub.subscriberCount('test-rally'), withIt - 1);
  });

  test('Last-Event-ID "abc" → 400 naming lastEventId; unknown rally → 404 naming id', async () => {
    const bad = await fetch(`${base}/api/rallies/test-rally/live`, { headers: { 'last-event-id': 'abc' } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { field: string }).field, 'lastEventId');
    const unknown = await fetch(`${base}/api/rallies/no-such-rally/live`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { field: string }).field, 'id');
  });

  test('HQ stream: no token → 401, wrong token → 403, ?token= of an officer → overdue and counts', async () => {
    assert.equal((await fetch(`${base}/api/rallies/test-rally/live/hq`)).status, 401);
    assert.equal((await fetch(`${base}/api/rallies/test-rally/live/hq`, { headers: { authorization: 'Bearer someone-else' } })).status, 403);
    const s = await open(`${base}/api/rallies/test-rally/live/hq?token=officer-token`);
    assert.equal(s.status, 200);
    await s.waitFor((t) => t.includes('event: counts'));
    assert.deepEqual(s.events().filter((e) => e.data !== undefined).map((e) => e.event), ['overdue', 'counts']);
    s.close();
  });
});
