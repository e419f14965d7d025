// The store contract as tests, run against every adapter (memory, SQLite,
// PostgreSQL) so they cannot drift apart. Each test works on rallies of its
// own, so one store serves the whole suite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../core/facts.ts';
import type { RallyDefinition } from '../core/model.ts';
import { StoreError, type AppendInput, type AppendResult, type Store } from './contract.ts';

export interface StoreHandle { store: Store; cleanup(): Promise<void> }

let counter = 0;
/** A fresh rally id per call, so tests sharing one store do not meet. */
export function uniqueRallyId(prefix = 'rally'): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A small but complete rally definition: one leg, one stage, two cars. */
export function sampleRally(id: string, name = 'Test Rally'): RallyDefinition {
  return {
    id,
    name,
    timeZone: 'America/Detroit',
    distanceUnit: 'mi',
    startDate: '2026-02-06',
    endDate: '2026-02-07',
    rules: { preset: 'ara', version: '2025' },
    legs: [{ id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [{ id: 'S1', controls: [
      { id: 'TC0', kind: 'TC', firstCarDue: '2026-02-06T16:00' },
      { id: 'SS1S', kind: 'SS_START', stage: 'SS1' },
      { id: 'SS1F', kind: 'SS_FINISH', stage: 'SS1' },
    ] }] }],
    stages: [{ code: 'SS1', name: 'Nine Mile', distanceM: 12_000, type: 'special', leg: 'L1' }],
    classes: [{ code: 'L4WD', name: 'Limited 4WD' }],
    entries: [
      { car: 1, driver: { name: 'A. Driver' }, codriver: { name: 'A. Codriver' }, make: 'Subaru', model: 'WRX', class: 'L4WD' },
      { car: 2, driver: { name: 'B. Driver' }, codriver: { name: 'B. Codriver' }, make: 'Subaru', model: 'WRX', class: 'L4WD' },
    ],
  };
}

/** A control time fact: car 1 at SS1F, `n` tenths of a second after 16:30. */
export function controlTime(id: string, n = 0, car = 1): Fact {
  return { id, type: 'controlTime', car, control: 'SS1F', at: `2026-02-06T16:30:${String(Math.floor(n / 10) % 60).padStart(2, '0')}.${n % 10}` };
}

export function input(fact: Fact, principal = 'tk-ss1f', receivedAt = '2026-02-06T21:30:00.000Z', device = 'phone-7'): AppendInput {
  return { fact, principal, device, receivedAt };
}

async function expectStoreError(p: Promise<unknown>, code: StoreError['code']): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof StoreError && e.code === code);
}

/** Desk lines as the audit trail held them before desk records had a table: a repeated notice id and acknowledgment among them. */
export const LEGACY_DESK_LINES: [string, Record<string, unknown>][] = [
  ['notice', { id: 'n1', kind: 'bulletin', title: 'Bulletin 1', body: '' }],
  ['crew-code', { car: 1, hash: 'h1' }],
  ['protest', { id: 'p1', kind: 'protest', car: 2, lodgedBy: 'entrant of car 1', receivedAt: '2026-02-07T20:00:00.000Z', grounds: 'x' }],
  ['token.create', { tokenId: 't' }],
  ['notice', { id: 'n2', kind: 'decision', title: 'Decision', body: '' }],
  ['notice', { id: 'n2', kind: 'decision', title: 'Decision again', body: '' }],
  ['acknowledgment', { notice: 1, car: 1 }],
  ['acknowledgment', { notice: 1, car: 1 }],
  ['protest-decision', { protest: 'p1', outcome: 'rejected', reason: 'no grounds' }],
];
/** What the upgrade makes of them: [seq, kind, key, notice number]. */
export const LEGACY_DESK_EXPECTED = [
  [1, 'notice', 'notice:n1', 1], [2, 'crew-code', 'code:2', null], [3, 'protest', 'protest:p1', null],
  [4, 'notice', 'notice:n2', 2], [5, 'acknowledgment', 'ack:1:1', null], [6, 'protest-decision', 'decision:p1', null],
];

export function storeContractSuite(name: string, factory: () => Promise<StoreHandle>): void {
  describe(`store contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: Store;
    before(async () => { handle = await factory(); store = handle.store; });
    after(async () => { await handle.cleanup(); });

    async function newRally(): Promise<string> {
      const id = uniqueRallyId();
      await store.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      return id;
    }

    test('createRally → version 1, read back by getRally and listRallies; a second create → rally-exists', async () => {
      const id = uniqueRallyId();
      const def = sampleRally(id, 'Sno*Drift');
      const rec = await store.createRally(def, '2026-01-10T12:00:00.000Z');
      assert.deepEqual(rec, { id, definition: def, createdAt: '2026-01-10T12:00:00.000Z', updatedAt: '2026-01-10T12:00:00.000Z', version: 1 });
      assert.deepEqual(await store.getRally(id), rec);
      assert.ok((await store.listRallies()).some((r) => r.id === id && r.definition.name === 'Sno*Drift'));
      await expectStoreError(store.createRally(def, '2026-01-10T12:00:01.000Z'), 'rally-exists');
      assert.equal(await store.getRally(uniqueRallyId('missing')), null);
    });

    test('updateRally at version 1 → version 2; a stale version → version-conflict; unknown rally → rally-not-found', async () => {
      const id = await newRally();
      const changed = { ...sampleRally(id), name: 'Renamed' };
      const rec = await store.updateRally(id, changed, 1, '2026-01-11T08:00:00.000Z');
      assert.equal(rec.version, 2);
      assert.equal(rec.definition.name, 'Renamed');
      assert.equal(rec.createdAt, '2026-01-10T12:00:00.000Z');
      assert.equal(rec.updatedAt, '2026-01-11T08:00:00.000Z');
      await expectStoreError(store.updateRally(id, sampleRally(id), 1, '2026-01-11T09:00:00.000Z'), 'version-conflict');
      assert.equal((await store.getRally(id))?.definition.name, 'Renamed');
      await expectStoreError(store.updateRally(uniqueRallyId('missing'), sampleRally('x'), 1, '2026-01-11T09:00:00.000Z'), 'rally-not-found');
    });

    test('3 facts in one batch → seqs 1, 2, 3, read back in order with fact.seq, principal, device, receivedAt', async () => {
      const id = await newRally();
      const facts = [controlTime('a', 1), controlTime('b', 2, 2), controlTime('c', 3)];
      const acks = await store.appendFacts(id, facts.map((f) => input(f)));
      assert.deepEqual(acks.map((a) => [a.stored.seq, a.duplicate]), [[1, false], [2, false], [3, false]]);
      const log = await store.readFacts(id);
      assert.deepEqual(log.map((s) => s.seq), [1, 2, 3]);
      assert.deepEqual(log.map((s) => s.fact), facts.map((f, i) => ({ ...f, seq: i + 1 })));
      assert.deepEqual(log[0], { rallyId: id, seq: 1, fact: { ...facts[0], seq: 1 }, receivedAt: '2026-02-06T21:30:00.000Z', principal: 'tk-ss1f', device: 'phone-7' });
      assert.deepEqual(acks.map((a) => a.stored), log);
      const noDevice = await store.appendFacts(id, [{ fact: controlTime('d', 4), principal: 'hq', receivedAt: '2026-02-06T21:31:00.000Z' }]);
      assert.equal('device' in (noDevice[0]?.stored ?? {}), false);
      assert.equal('device' in ((await store.getFact(id, 'd')) ?? {}), false);
    });

    test('readFacts afterSeq 3, limit 4 of 10 → seqs 4..7; afterSeq 10 → none; unknown rally → none', async () => {
      const id = await newRally();
      await store.appendFacts(id, Array.from({ length: 10 }, (_, i) => input(controlTime(`f${i}`, i))));
      assert.deepEqual((await store.readFacts(id, 3, 4)).map((s) => s.seq), [4, 5, 6, 7]);
      assert.deepEqual((await store.readFacts(id, 7)).map((s) => s.fact.id), ['f7', 'f8', 'f9']);
      assert.deepEqual(await store.readFacts(id, 10), []);
      assert.deepEqual(await store.readFacts(uniqueRallyId('missing')), []);
    });

    test('re-appending id "a" later with the same content → duplicate, original ack, nothing new written', async () => {
      const id = await newRally();
      const [first] = await store.appendFacts(id, [input(controlTime('a', 1), 'tk-1', '2026-02-06T21:30:00.000Z')]);
      await store.appendFacts(id, [input(controlTime('b', 2))]);
      const [again] = await store.appendFacts(id, [input(controlTime('a', 1), 'tk-2', '2026-02-06T22:00:00.000Z', 'phone-9')]);
      assert.equal(again?.duplicate, true);
      assert.deepEqual(again?.stored, first?.stored);
      assert.equal(again?.stored.principal, 'tk-1');
      assert.equal(await store.latestSeq(id), 2);
      assert.equal((await store.readFacts(id)).length, 2);
    });

    test('re-appending id "a" with different content → fact-id-reused naming the stored seq; the whole batch stores nothing', async () => {
      const id = await newRally();
      await store.appendFacts(id, [input(controlTime('a', 1))]);
      await assert.rejects(store.appendFacts(id, [input(controlTime('c', 3)), input(controlTime('a', 99))]),
        (e: unknown) => e instanceof StoreError && e.code === 'fact-id-reused' && /seq 1/.test(e.message));
      assert.equal(await store.latestSeq(id), 1);
      assert.equal(await store.getFact(id, 'c'), null);
    });

    test('id "a" twice in one batch [a, b, a] → a:1, b:2, then a duplicate of seq 1; log holds 2; [a, a′] with other content → fact-id-reused', async () => {
      const id = await newRally();
      const acks = await store.appendFacts(id, [input(controlTime('a', 1)), input(controlTime('b', 2)), input(controlTime('a', 1))]);
      assert.deepEqual(acks.map((a) => [a.stored.fact.id, a.stored.seq, a.duplicate]), [['a', 1, false], ['b', 2, false], ['a', 1, true]]);
      assert.deepEqual(acks[2]?.stored, acks[0]?.stored);
      assert.equal((await store.readFacts(id)).length, 2);
      await expectStoreError(store.appendFacts(id, [input(controlTime('d', 1)), input(controlTime('d', 5))]), 'fact-id-reused');
      assert.equal(await store.latestSeq(id), 2);
    });

    test('racing: 20 rounds of two concurrent appends of one id with different content → one stored, the other fact-id-reused, never a silent duplicate', async () => {
      const id = await newRally();
      for (let round = 0; round < 20; round++) {
        const outcomes = await Promise.allSettled([
          store.appendFacts(id, [input(controlTime(`race${round}`, 1))]),
          store.appendFacts(id, [input(controlTime(`race${round}`, 2))]),
        ]);
        const stored = outcomes.filter((o) => o.status === 'fulfilled');
        const refused = outcomes.filter((o) => o.status === 'rejected');
        assert.equal(stored.length, 1, `round ${round}: exactly one stored (${JSON.stringify(outcomes.map((o) => o.status))})`);
        assert.equal(refused.length, 1);
        const reason = (refused[0] as PromiseRejectedResult).reason;
        assert.ok(reason instanceof StoreError && reason.code === 'fact-id-reused', String(reason));
        const ack = (stored[0] as PromiseFulfilledResult<AppendResult[]>).value[0];
        assert.equal(ack?.duplicate, false);
      }
      assert.equal(await store.latestSeq(id), 20);
    });

    test('atomic batch: [ok, ok, unserialisable] and [ok, ok, empty id] store nothing; the next append takes seq 1', async () => {
      const id = await newRally();
      const unserialisable = { ...controlTime('bad', 3), extra: 10n } as unknown as Fact;
      await assert.rejects(store.appendFacts(id, [input(controlTime('g1', 1)), input(controlTime('g2', 2)), input(unserialisable)]));
      await assert.rejects(store.appendFacts(id, [input(controlTime('g1', 1)), input(controlTime('g2', 2)), input(controlTime('', 3))]));
      assert.equal(await store.latestSeq(id), 0);
      assert.deepEqual(await store.readFacts(id), []);
      assert.equal(await store.getFact(id, 'g1'), null);
      const [ack] = await store.appendFacts(id, [input(controlTime('g1', 1))]);
      assert.deepEqual([ack?.stored.seq, ack?.duplicate], [1, false]);
    });

    test('a refused batch among concurrent ones fails alone: the other callers commit, seqs stay gap-free', async () => {
      const id = await newRally();
      const outcomes = await Promise.allSettled([
        store.appendFacts(id, [input(controlTime('x1', 1)), input(controlTime('x2', 2))]),
        store.appendFacts(id, [input(controlTime('y1', 3)), input(controlTime('', 4))]),
        store.appendFacts(id, [input(controlTime('z1', 5))]),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
      const log = await store.readFacts(id);
      assert.deepEqual(log.map((s) => s.seq), [1, 2, 3]);
      assert.deepEqual(log.map((s) => s.fact.id).sort(), ['x1', 'x2', 'z1']);
    });

    test('importRally: the rally and its facts in one step; a fact the store refuses leaves no rally behind and the same import then succeeds', async () => {
      const id = uniqueRallyId('import');
      await assert.rejects(store.importRally(sampleRally(id), [input(controlTime('i1', 1)), input(controlTime('', 2))], '2026-01-10T12:00:00.000Z'));
      assert.equal(await store.getRally(id), null, 'no rally row left by the failed import');
      assert.equal(await store.latestSeq(id), 0);
      const { rally, results } = await store.importRally(sampleRally(id), [input(controlTime('i1', 1)), input(controlTime('i2', 2))], '2026-01-10T12:00:00.000Z');
      assert.deepEqual([rally.id, rally.version], [id, 1]);
      assert.deepEqual(results.map((r) => [r.stored.fact.id, r.stored.seq, r.duplicate]), [['i1', 1, false], ['i2', 2, false]]);
      assert.deepEqual((await store.readFacts(id)).map((f) => f.fact.id), ['i1', 'i2']);
      await expectStoreError(store.importRally(sampleRally(id), [], '2026-01-10T12:00:00.000Z'), 'rally-exists');
      assert.equal(await store.latestSeq(id), 2);
    });

    test('appendFacts to an unknown rally → rally-not-found; an empty batch → []', async () => {
      await expectStoreError(store.appendFacts(uniqueRallyId('missing'), [input(controlTime('a'))]), 'rally-not-found');
      const id = await newRally();
      assert.deepEqual(await store.appendFacts(id, []), []);
    });

    test('50 concurrent callers × 4 single-fact appends → 200 unique, gap-free seqs 1..200', async () => {
      const id = await newRally();
      const seqs: number[] = [];
      await Promise.all(Array.from({ length: 50 }, async (_, caller) => {
        for (let k = 0; k < 4; k++) {
          const [ack] = await store.appendFacts(id, [input(controlTime(`c${caller}-${k}`, k, 1 + (caller % 2)))]);
          seqs.push(ack?.stored.seq ?? -1);
        }
      }));
      assert.deepEqual(seqs.sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1));
      const log = await store.readFacts(id);
      assert.deepEqual(log.map((s) => s.seq), Array.from({ length: 200 }, (_, i) => i + 1));
      assert.equal(new Set(log.map((s) => s.fact.id)).size, 200);
      assert.equal(await store.latestSeq(id), 200);
    });

    test('getFact by id → the stored fact; unknown id or rally → null; latestSeq 0 for an empty or unknown rally', async () => {
      const id = await newRally();
      assert.equal(await store.latestSeq(id), 0);
      assert.equal(await store.latestSeq(uniqueRallyId('missing')), 0);
      await store.appendFacts(id, [input(controlTime('a', 1)), input(controlTime('b', 2))]);
      const b = await store.getFact(id, 'b');
      assert.equal(b?.seq, 2);
      assert.deepEqual(b?.fact, { ...controlTime('b', 2), seq: 2 });
      assert.equal(await store.getFact(id, 'nope'), null);
      assert.equal(await store.getFact(uniqueRallyId('missing'), 'a'), null);
      assert.equal(await store.latestSeq(id), 2);
    });

    test('publications are numbered 1, 2, 3 per rally and cannot be changed through the objects passed or returned', async () => {
      const id = await newRally();
      const other = await newRally();
      const snapshot = { overall: [{ car: 1, totalMs: 754_300 }] };
      const p1 = await store.addPublication({ rallyId: id, kind: 'provisional', publishedAt: '2026-02-07T01:00:00.000Z', principal: 'officer', uptoSeq: 10, snapshot });
      snapshot.overall[0]!.totalMs = 1; // mutating the caller's object afterwards must not reach the store
      const p2 = await store.addPublication({ rallyId: id, kind: 'provisional', publishedAt: '2026-02-07T01:30:00.000Z', principal: 'officer', reason: 'penalty car 2', uptoSeq: 12, snapshot: { n: 2 } });
      const p3 = await store.addPublication({ rallyId: id, kind: 'official', publishedAt: '2026-02-07T02:00:00.000Z', principal: 'clerk', uptoSeq: 12, snapshot: { n: 3 } });
      const q1 = await store.addPublication({ rallyId: other, kind: 'provisional', publishedAt: '2026-02-07T01:00:00.000Z', principal: 'officer', uptoSeq: 0, snapshot: [] });
      assert.deepEqual([p1.number, p2.number, p3.number, q1.number], [1, 2, 3, 1]);
      assert.deepEqual(p1, { rallyId: id, number: 1, kind: 'provisional', publishedAt: '2026-02-07T01:00:00.000Z', principal: 'officer', uptoSeq: 10, snapshot: { overall: [{ car: 1, totalMs: 754_300 }] } });
      (p2.snapshot as { n: number }).n = 99;
      assert.deepEqual(await store.getPublication(id, 2), { rallyId: id, number: 2, kind: 'provisional', publishedAt: '2026-02-07T01:30:00.000Z', principal: 'officer', reason: 'penalty car 2', uptoSeq: 12, snapshot: { n: 2 } });
      assert.deepEqual((await store.listPublications(id)).map((p) => [p.number, p.kind]), [[1, 'provisional'], [2, 'provisional'], [3, 'official']]);
      assert.deepEqual((await store.getPublication(id, 1))?.snapshot, { overall: [{ car: 1, totalMs: 754_300 }] });
      assert.equal(await store.getPublication(id, 4), null);
      assert.equal(await store.latestPublicationNumber(id, 'official'), 3);
      assert.equal(await store.latestPublicationNumber(id, 'provisional'), 2);
      assert.equal(await store.latestPublicationNumber('no-such-rally', 'official'), null);
      await expectStoreError(store.addPublication({ rallyId: uniqueRallyId('missing'), kind: 'official', publishedAt: '2026-02-07T02:00:00.000Z', principal: 'x', uptoSeq: 0, snapshot: {} }), 'rally-not-found');
    });

    test('a publication with an idempotency key is stored once: the same key again, also at the same moment, answers the first (replayed); another rally\'s key is its own', async () => {
      const id = await newRally();
      const other = await newRally();
      const pub = (rallyId: string, key: string, reason: string) => store.addPublication({ rallyId, kind: 'provisional', publishedAt: '2026-02-07T21:00:00.000Z', principal: 'officer', reason, uptoSeq: 3, snapshot: { idempotencyKey: key } }, { idempotencyKey: key });
      const first = await pub(id, 'k-1', 'all crews in');
      assert.equal(first.replayed, undefined);
      const again = await Promise.all([pub(id, 'k-1', 'all crews in (retry)'), pub(id, 'k-1', 'all crews in (retry 2)')]);
      for (const a of again) assert.deepEqual([a.number, a.reason, a.replayed], [1, 'all crews in', true]);
      const racing = await Promise.all(Array.from({ length: 6 }, () => pub(id, 'k-2', 'after leg 2')));
      assert.deepEqual(racing.map((r) => r.number), Array(6).fill(2));
      assert.equal(racing.filter((r) => !r.replayed).length, 1, 'one of them stored it');
      assert.equal((await pub(other, 'k-1', 'other rally')).number, 1);
      assert.deepEqual((await store.listPublications(id)).map((p) => p.number), [1, 2]);
    });

    test('tokens: found by hash, revoked once (first time kept), listed per rally', async () => {
      const rally = uniqueRallyId();
      const tk = { id: `tok-${rally}`, hash: `h-${rally}`, role: 'timekeeper' as const, rallyId: rally, controls: ['SS1S', 'SS1F'], label: 'SS1 finish', device: 'phone-7', createdAt: '2026-02-06T10:00:00.000Z', createdBy: 'admin' };
      const off = { id: `off-${rally}`, hash: `ho-${rally}`, role: 'officer' as const, rallyId: rally, label: 'results', createdAt: '2026-02-06T10:01:00.000Z', createdBy: 'admin' };
      const adm = { id: `adm-${rally}`, hash: `ha-${rally}`, role: 'admin' as const, label: 'series admin', createdAt: '2026-02-06T09:00:00.000Z', createdBy: 'setup' };
      await store.createToken(tk);
      await store.createToken(off);
      await store.createToken(adm);
      assert.deepEqual(await store.findTokenByHash(tk.hash), tk);
      assert.deepEqual(await store.findTokenByHash(adm.hash), adm);
      assert.equal(await store.findTokenByHash('no-such-hash'), null);
      await store.revokeToken(tk.id, '2026-02-06T12:00:00.000Z');
      await store.revokeToken(tk.id, '2026-02-06T13:00:00.000Z');
      assert.equal((await store.findTokenByHash(tk.hash))?.revokedAt, '2026-02-06T12:00:00.000Z');
      assert.deepEqual((await store.listTokens(rally)).map((t) => t.id), [tk.id, off.id]);
      const all = (await store.listTokens()).map((t) => t.id);
      assert.ok(all.includes(adm.id) && all.includes(tk.id) && all.includes(off.id));
    });

    test('enrollment: consumed once (second → null), expired → null, unknown → null; 10 racing consumers → exactly one wins', async () => {
      const rally = uniqueRallyId();
      const e = { codeHash: `c-${rally}`, rallyId: rally, role: 'timekeeper' as const, controls: ['SS1F'], label: 'SS1 finish', expiresAt: '2026-02-06T12:00:00.000Z', createdBy: 'officer' };
      await store.createEnrollment(e);
      assert.deepEqual(await store.consumeEnrollment(e.codeHash, '2026-02-06T11:00:00.000Z'), { ...e, usedAt: '2026-02-06T11:00:00.000Z' });
      assert.equal(await store.consumeEnrollment(e.codeHash, '2026-02-06T11:00:01.000Z'), null);
      const late = { ...e, codeHash: `late-${rally}` };
      await store.createEnrollment(late);
      assert.equal(await store.consumeEnrollment(late.codeHash, '2026-02-06T12:00:00.001Z'), null);
      assert.equal(await store.consumeEnrollment(late.codeHash, '2026-02-06T11:59:59.999Z') !== null, true, 'an expired attempt does not use the code up');
      assert.equal(await store.consumeEnrollment('unknown', '2026-02-06T11:00:00.000Z'), null);
      const race = { ...e, codeHash: `race-${rally}`, controls: undefined };
      delete race.controls;
      await store.createEnrollment(race);
      const wins = await Promise.all(Array.from({ length: 10 }, () => store.consumeEnrollment(race.codeHash, '2026-02-06T11:00:00.000Z')));
      assert.equal(wins.filter((w) => w !== null).length, 1);
      assert.equal('controls' in (wins.find((w) => w !== null) ?? {}), false);
    });

    test('people: a token and a code keep person and post; codes listed per rally; a cancelled code no longer enrolls; used codes name their token', async () => {
      const rally = uniqueRallyId();
      const tk = { id: `tokp-${rally}`, hash: `hp-${rally}`, role: 'officer' as const, rallyId: rally, label: 'Clerk of the course — Dana Whitfield', person: 'Dana Whitfield', post: 'clerk', createdAt: '2026-02-06T10:00:00.000Z', createdBy: 'admin' };
      await store.createToken(tk);
      assert.deepEqual(await store.findTokenByHash(tk.hash), tk);
      const base = { rallyId: rally, role: 'timekeeper' as const, controls: ['SS3F'], expiresAt: '2026-02-06T12:00:00.000Z', createdBy: 'officer' };
      const a = { ...base, codeHash: `pa-${rally}`, id: `enr_a_${rally}`, label: 'Marshal SS3F — Sam Ortiz', person: 'Sam Ortiz', post: 'marshal', createdAt: '2026-02-06T09:00:00.000Z' };
      const b = { ...base, codeHash: `pb-${rally}`, id: `enr_b_${rally}`, label: 'Marshal SS3F — Kim Lee', person: 'Kim Lee', post: 'marshal', createdAt: '2026-02-06T09:01:00.000Z' };
      await store.createEnrollment(b);
      await store.createEnrollment(a);
      assert.deepEqual(await store.listEnrollments(rally), [a, b], 'oldest first, every field back as written');
      assert.deepEqual(await store.listEnrollments(uniqueRallyId('other')), []);
      assert.equal(await store.cancelEnrollment(b.id, '2026-02-06T10:00:00.000Z'), true);
      assert.equal(await store.cancelEnrollment(b.id, '2026-02-06T10:00:01.000Z'), false, 'cancelled once; the first time is kept');
      assert.equal(await store.consumeEnrollment(b.codeHash, '2026-02-06T10:05:00.000Z', 'tok-x'), null, 'a cancelled code does not enroll');
      assert.deepEqual(await store.consumeEnrollment(a.codeHash, '2026-02-06T10:06:00.000Z', `tok-${a.id}`), { ...a, usedAt: '2026-02-06T10:06:00.000Z', tokenId: `tok-${a.id}` });
      assert.equal(await store.cancelEnrollment(a.id, '2026-02-06T10:07:00.000Z'), false, 'a used code cannot be cancelled (its token is revoked instead)');
      assert.equal(await store.cancelEnrollment('enr_unknown', '2026-02-06T10:07:00.000Z'), false);
      const listed = await store.listEnrollments(rally);
      assert.deepEqual(listed.map((e) => [e.id, e.usedAt ?? null, e.cancelledAt ?? null, e.tokenId ?? null]), [
        [a.id, '2026-02-06T10:06:00.000Z', null, `tok-${a.id}`],
        [b.id, null, '2026-02-06T10:00:00.000Z', null],
      ]);
    });

    test('people: a phone enrolling while the officer cancels its code, 10 times over: each code is used or cancelled, never both', async () => {
      const rally = uniqueRallyId();
      for (let i = 0; i < 10; i++) {
        const e = { codeHash: `race-${i}-${rally}`, id: `enr_r${i}_${rally}`, rallyId: rally, role: 'timekeeper' as const, controls: ['SS1F'], label: `post ${i}`, expiresAt: '2026-02-06T12:00:00.000Z', createdBy: 'officer', createdAt: `2026-02-06T09:00:0${i}.000Z` };
        await store.createEnrollment(e);
        const [used, cancelled] = await Promise.all([store.consumeEnrollment(e.codeHash, '2026-02-06T11:00:00.000Z', `tok-${i}`), store.cancelEnrollment(e.id, '2026-02-06T11:00:00.000Z')]);
        assert.equal((used !== null ? 1 : 0) + (cancelled ? 1 : 0), 1, `code ${i}: exactly one of enroll and cancel wins`);
      }
      const after = await store.listEnrollments(rally);
      assert.equal(after.length, 10);
      for (const e of after) assert.equal((e.usedAt ? 1 : 0) + (e.cancelledAt ? 1 : 0), 1, `${e.id} is used or cancelled, never both`);
    });

    test('audit: records of a rally listed in order with their detail; other rallies left out', async () => {
      const rally = uniqueRallyId();
      await store.audit({ at: '2026-02-06T10:00:00.000Z', principal: 'admin', action: 'token.create', rallyId: rally, detail: { tokenId: 't1', controls: ['SS1F'] } });
      await store.audit({ at: '2026-02-06T10:00:00.000Z', principal: 'admin', action: 'token.create', rallyId: uniqueRallyId(), detail: {} });
      await store.audit({ at: '2026-02-06T10:05:00.000Z', principal: 'officer', action: 'publish', rallyId: rally, detail: 'provisional 1' });
      await store.audit({ at: '2026-02-06T10:06:00.000Z', principal: 'admin', action: 'login', detail: null });
      assert.deepEqual(await store.listAudit(rally), [
        { at: '2026-02-06T10:00:00.000Z', principal: 'admin', action: 'token.create', rallyId: rally, detail: { tokenId: 't1', controls: ['SS1F'] } },
        { at: '2026-02-06T10:05:00.000Z', principal: 'officer', action: 'publish', rallyId: rally, detail: 'provisional 1' },
      ]);
    });

    test('desk records: a key is added once (the second answers the first), notices numbered 1, 2, 3 apart from other kinds; unknown rally → rally-not-found', async () => {
      const id = await newRally();
      const at = '2026-02-07T21:00:00.000Z';
      const first = await store.addDeskRecord({ rallyId: id, kind: 'notice', key: 'notice:a', at, principal: 'clerk', detail: { title: 'Bulletin 1' } });
      assert.deepEqual(first, { added: true, record: { rallyId: id, seq: 1, kind: 'notice', key: 'notice:a', number: 1, at, principal: 'clerk', detail: { title: 'Bulletin 1' } } });
      const protest = await store.addDeskRecord({ rallyId: id, kind: 'protest', key: 'protest:p', at, principal: 'clerk', detail: { car: 2 } });
      assert.equal(protest.record.seq, 2);
      assert.equal('number' in protest.record, false, 'only notices are numbered');
      const again = await store.addDeskRecord({ rallyId: id, kind: 'notice', key: 'notice:a', at: '2026-02-07T21:05:00.000Z', principal: 'other', detail: { title: 'changed' } });
      assert.deepEqual(again, { added: false, record: first.record });
      const second = await store.addDeskRecord({ rallyId: id, kind: 'notice', key: 'notice:b', at, principal: 'clerk', detail: {} });
      assert.deepEqual([second.record.seq, second.record.number], [3, 2]);
      assert.deepEqual((await store.listDeskRecords(id)).map((r) => r.key), ['notice:a', 'protest:p', 'notice:b']);
      assert.deepEqual(await store.listDeskRecords(uniqueRallyId('other')), []);
      await expectStoreError(store.addDeskRecord({ rallyId: uniqueRallyId('missing'), kind: 'notice', key: 'notice:x', at, principal: 'clerk', detail: {} }), 'rally-not-found');
    });

    test('desk records: 12 notices and 12 acknowledgments posted at the same moment → numbers 1..12 once each, every acknowledgment kept; 8 racing writers of one key → one added', async () => {
      const id = await newRally();
      const at = '2026-02-07T21:00:00.000Z';
      const results = await Promise.all([
        ...Array.from({ length: 12 }, (_, i) => store.addDeskRecord({ rallyId: id, kind: 'notice', key: `notice:${i}`, at, principal: `clerk ${i}`, detail: { i } })),
        ...Array.from({ length: 12 }, (_, i) => store.addDeskRecord({ rallyId: id, kind: 'acknowledgment', key: `ack:1:${i}`, at, principal: `crew of car ${i}`, detail: { notice: 1, car: i } })),
      ]);
      assert.ok(results.every((r) => r.added));
      const numbers = results.filter((r) => r.record.kind === 'notice').map((r) => r.record.number).sort((a, b) => Number(a) - Number(b));
      assert.deepEqual(numbers, Array.from({ length: 12 }, (_, i) => i + 1));
      const stored = await store.listDeskRecords(id);
      assert.deepEqual(stored.map((r) => r.seq), Array.from({ length: 24 }, (_, i) => i + 1));
      assert.equal(stored.filter((r) => r.kind === 'acknowledgment').length, 12);
      const racers = await Promise.all(Array.from({ length: 8 }, (_, i) => store.addDeskRecord({ rallyId: id, kind: 'protest-decision', key: 'decision:p1', at, principal: `steward ${i}`, detail: { outcome: i } })));
      assert.equal(racers.filter((r) => r.added).length, 1);
      const winner = racers.find((r) => r.added)?.record;
      assert.ok(racers.every((r) => JSON.stringify(r.record) === JSON.stringify(winner)), 'every racer is answered with the one record kept');
    });

    test('onAppended fires (rally, lastSeq) once the facts are readable; not after unsubscribing', async () => {
      const id = await newRally();
      const seen: [string, number, number][] = [];
      const off = store.onAppended((rallyId, lastSeq) => {
        if (rallyId !== id) return;
        void store.latestSeq(id).then((readable) => seen.push([rallyId, lastSeq, readable]));
      });
      await store.appendFacts(id, [input(controlTime('a', 1)), input(controlTime('b', 2))]);
      await waitFor(() => seen.length >= 1);
      assert.deepEqual(seen[0], [id, 2, 2]);
      off();
      const before = seen.length;
      await store.appendFacts(id, [input(controlTime('c', 3))]);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(seen.length, before);
    });
  });
}

/** Polls until `ok()` holds, for at most `ms` (events from another connection arrive asynchronously). */
export async function waitFor(ok: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
