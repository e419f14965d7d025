// The marshal's outbox without a browser: storage first, ids of its own, and a
// fake server that is idempotent on fact ids as the real one is
// (SEE: docs/architecture.md §7 "Offline is normal").
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KEEP_SENT, newDeviceId, normalizeTimeOfDay, Outbox, shiftTenths, type SendBatch, type SendError } from './outbox.ts';

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
}

type Fact = Parameters<SendBatch>[0][number];

/** Stores facts by id (a resend is acknowledged, not stored again); can drop the line or lose the answer. */
class FakeServer {
  readonly log: Fact[] = [];
  mode: 'up' | 'offline' | 'lose-answer' | 'error' | 'unauthorized' = 'up';
  rejectCar: number | null = null;
  send: SendBatch = async (facts) => {
    if (this.mode === 'offline') throw { message: 'Failed to fetch' } satisfies SendError;
    if (this.mode === 'unauthorized') throw { status: 401, message: 'token revoked' } satisfies SendError;
    if (this.mode === 'error') throw { status: 500, message: 'internal' } satisfies SendError;
    const bad = facts.find((f) => f.car === this.rejectCar);
    if (bad) throw { status: 400, message: `$.car: no car ${bad.car}` } satisfies SendError;
    for (const f of facts) if (!this.log.some((x) => x.id === f.id)) this.log.push(f);
    if (this.mode === 'lose-answer') throw { message: 'connection reset' } satisfies SendError;
  };
}

const entry = (car: number, time = '09:03:45.2') => ({ car, control: 'SS7F', at: `2026-02-07T${time}`, raw: `${car} ${time}`, recordedAt: '2026-02-07T09:03:46-05:00' });
const device = { id: 'abc123', name: 'SS7 finish A' };

describe('marshal outbox', () => {
  test('an entry is in storage before it is sent, with the id abc123-000001', async () => {
    const storage = new MemoryStorage();
    const box = new Outbox(storage, 'm', device);
    const e = box.add(entry(23));
    assert.equal(e.id, 'abc123-000001');
    assert.match(storage.getItem('m.entries') ?? '', /"id":"abc123-000001"/);
    // A new page (reload) on the same storage sees it waiting.
    assert.equal(new Outbox(storage, 'm', device).count('waiting'), 1);
  });

  test('offline: 3 entries stay "3 waiting"; back online: sent once each → "0 waiting"', async () => {
    const server = new FakeServer();
    const box = new Outbox(new MemoryStorage(), 'm', device);
    server.mode = 'offline';
    for (const car of [23, 41, 58]) box.add(entry(car));
    const off = await box.sync(server.send);
    assert.deepEqual([off.waiting, off.stoppedBy], [3, 'offline']);
    server.mode = 'up';
    const on = await box.sync(server.send);
    assert.deepEqual([on.sent, on.waiting], [3, 0]);
    assert.deepEqual(server.log.map((f) => f.car), [23, 41, 58]);
  });

  test('the answer is lost after the server stored the batch: the resend stores nothing twice', async () => {
    const server = new FakeServer();
    const box = new Outbox(new MemoryStorage(), 'm', device);
    box.add(entry(23));
    server.mode = 'lose-answer';
    assert.equal((await box.sync(server.send)).waiting, 1);
    server.mode = 'up';
    assert.equal((await box.sync(server.send)).waiting, 0);
    assert.equal(server.log.length, 1);
  });

  test('car 999 (not entered) in a batch of 3: the 2 good ones are sent, 999 is marked rejected with the reason', async () => {
    const server = new FakeServer();
    server.rejectCar = 999;
    const box = new Outbox(new MemoryStorage(), 'm', device);
    for (const car of [23, 999, 41]) box.add(entry(car));
    const r = await box.sync(server.send);
    assert.deepEqual([r.sent, r.rejected, r.waiting], [2, 1, 0]);
    assert.equal(box.entries().find((e) => e.car === 999)?.message, '$.car: no car 999');
    assert.deepEqual(server.log.map((f) => f.car), [23, 41]);
  });

  test('a revoked token (401) keeps every time waiting, never drops it', async () => {
    const server = new FakeServer();
    server.mode = 'unauthorized';
    const box = new Outbox(new MemoryStorage(), 'm', device);
    box.add(entry(23));
    const r = await box.sync(server.send);
    assert.deepEqual([r.waiting, r.rejected, r.stoppedBy], [1, 0, 'auth']);
  });

  test('a server error (500) keeps the times waiting for the next round', async () => {
    const server = new FakeServer();
    server.mode = 'error';
    const box = new Outbox(new MemoryStorage(), 'm', device);
    box.add(entry(23));
    box.add(entry(41));
    const r = await box.sync(server.send);
    assert.deepEqual([r.waiting, r.stoppedBy], [2, 'server']);
  });

  test('car 23 twice at SS7F is a duplicate; at another control or once rejected it is not', () => {
    const box = new Outbox(new MemoryStorage(), 'm', device);
    box.add(entry(23));
    assert.equal(box.duplicateOf(23, 'SS7F')?.id, 'abc123-000001');
    assert.equal(box.duplicateOf(23, 'SS8F'), undefined);
    assert.equal(box.duplicateOf(41, 'SS7F'), undefined);
  });

  test(`keeps every waiting entry and the last ${KEEP_SENT} sent ones`, async () => {
    const server = new FakeServer();
    const box = new Outbox(new MemoryStorage(), 'm', device);
    for (let i = 0; i < KEEP_SENT + 20; i++) box.add(entry(i + 1));
    await box.sync(server.send);
    server.mode = 'offline';
    box.add(entry(9999));
    await box.sync(server.send);
    assert.equal(box.count('sent'), KEEP_SENT);
    assert.equal(box.count('waiting'), 1);
  });

  test('property: whatever the signal does between rounds, every entry reaches the server exactly once', async () => {
    const modes = fc.constantFrom<FakeServer['mode']>('up', 'offline', 'lose-answer', 'error');
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ adds: fc.integer({ min: 0, max: 4 }), mode: modes }), { minLength: 1, maxLength: 12 }),
      async (rounds) => {
        const server = new FakeServer();
        const storage = new MemoryStorage();
        let box = new Outbox(storage, 'm', device);
        let car = 1;
        for (const [i, r] of rounds.entries()) {
          for (let k = 0; k < r.adds; k++) box.add(entry(car++));
          server.mode = r.mode;
          await box.sync(server.send);
          if (i % 3 === 2) box = new Outbox(storage, 'm', device); // a reload now and then
        }
        server.mode = 'up';
        await box.sync(server.send);
        assert.equal(box.count('waiting'), 0);
        assert.deepEqual(server.log.map((f) => f.car ?? 0).sort((a, b) => a - b), Array.from({ length: car - 1 }, (_, i) => i + 1));
      }), { numRuns: 200 });
  });
});

describe('typing a time of day', () => {
  test('9:03:45.2 → 09:03:45.2; 09:03 → 09:03:00.0; 24:00 and 9:60 are not times', () => {
    assert.equal(normalizeTimeOfDay('9:03:45.2'), '09:03:45.2');
    assert.equal(normalizeTimeOfDay(' 09:03 '), '09:03:00.0');
    assert.equal(normalizeTimeOfDay('09.03.45,2'), '09:03:45.2');
    assert.equal(normalizeTimeOfDay('24:00'), null);
    assert.equal(normalizeTimeOfDay('9:60'), null);
    assert.equal(normalizeTimeOfDay('car 23'), null);
  });

  test('correcting the tenth: 09:03:45.2 −0.1 → 09:03:45.1; 09:03:59.9 +0.1 → 09:04:00.0; 23:59:59.9 +0.1 → 00:00:00.0', () => {
    assert.equal(shiftTenths('09:03:45.2', -1), '09:03:45.1');
    assert.equal(shiftTenths('09:03:59.9', 1), '09:04:00.0');
    assert.equal(shiftTenths('23:59:59.9', 1), '00:00:00.0');
    assert.equal(shiftTenths('00:00:00.0', -1), '23:59:59.9');
  });

  test('device ids: 8 characters without look-alikes', () => {
    let n = 0;
    const id = newDeviceId((b) => b.map(() => n++ * 37));
    assert.match(id, /^[a-z2-9]{8}$/);
    assert.doesNotMatch(id, /[ilo01]/);
  });
});
