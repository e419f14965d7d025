// The Web Push state on SQLite (a file, two connections as two server
// processes would hold), PostgreSQL (two pools) and in memory: one key pair
// however many processes start together, subscriptions per crew, and each
// committed change claimed by exactly one sender.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../../testing/pg.ts';
import { MemoryPushStore, openPushStore, type PushStore, type VapidKeys } from './push-store.ts';

const AT = '2026-02-07T20:00:00.000Z';
let made = 0;
function makeKeys(): VapidKeys {
  made++;
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKey: publicKey.export({ format: 'jwk' }).x!, privateKey: privateKey.export({ format: 'jwk' }).d! };
}
const sub = (car: number, endpoint: string, p256dh = 'BKey', auth = 'auth') => ({ rallyId: 'snodrift-2026', car, endpoint, p256dh, auth, createdAt: AT });

function suite(open: () => Promise<[PushStore, PushStore]>): void {
  let a: PushStore, b: PushStore;
  after(async () => { await a?.close(); await b?.close(); });

  test('two processes starting together store and answer one key pair', async () => {
    [a, b] = await open();
    made = 0;
    const [ka, kb] = await Promise.all([a.vapidKeys(makeKeys, AT), b.vapidKeys(makeKeys, AT)]);
    assert.deepEqual(ka, kb);
    assert.deepEqual(await a.vapidKeys(makeKeys, AT), ka, 'kept: a later start makes none');
    assert.ok(made <= 2);
  });

  test('subscriptions per crew: added once (concurrently), refreshed, listed by crew, removed', async () => {
    const added = await Promise.all([a.subscribe(sub(199, 'https://push.example/1')), b.subscribe(sub(199, 'https://push.example/1'))]);
    assert.deepEqual(added.filter(Boolean).length, 1, 'one of two concurrent subscribes adds it');
    assert.equal(await a.subscribe(sub(199, 'https://push.example/1', 'BNewKey', 'newauth')), false);
    await b.subscribe(sub(157, 'https://push.example/1'));
    await b.subscribe(sub(199, 'https://push.example/2'));
    const got = await b.subscriptionsFor('snodrift-2026', [199]);
    assert.deepEqual(got.map((s) => [s.car, s.endpoint, s.p256dh]), [[199, 'https://push.example/1', 'BNewKey'], [199, 'https://push.example/2', 'BKey']]);
    assert.deepEqual(await a.subscriptionsFor('other-rally', [199]), []);
    assert.equal(await a.unsubscribe('snodrift-2026', 199, 'https://push.example/2'), true);
    assert.equal(await b.unsubscribe('snodrift-2026', 199, 'https://push.example/2'), false);
    assert.equal(await b.forgetEndpoint('https://push.example/1'), 2, 'a gone endpoint leaves every crew it followed');
    assert.deepEqual(await a.subscriptionsFor('snodrift-2026', [157, 199]), []);
  });

  test('a change is claimed by exactly one of two concurrent senders', async () => {
    for (let seq = 1; seq <= 20; seq++) {
      const won = await Promise.all([a.claim('snodrift-2026', seq, AT), b.claim('snodrift-2026', seq, AT)]);
      assert.equal(won.filter(Boolean).length, 1, `seq ${seq}`);
    }
  });
}

describe('push store on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-push-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  suite(async () => [await openPushStore(`sqlite:${join(dir, 'push.db')}`), await openPushStore(`sqlite:${join(dir, 'push.db')}`)]);
});

const skip = await pgSkipReason();
describe('push store on PostgreSQL', { skip: skip ?? false }, () => {
  let db: TestDatabase | null = null;
  after(async () => { await db?.drop(); });
  suite(async () => {
    db = await createTestDatabase('rallyhq_push');
    return Promise.all([openPushStore(db.url), openPushStore(db.url)]);
  });
});

describe('push store in memory', () => {
  const one = new MemoryPushStore();
  suite(async () => [one, one]);
});
