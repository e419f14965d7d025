// The desk's records under concurrency, on SQLite and on PostgreSQL (and two
// server processes on one PostgreSQL database): requests that arrive at the
// same moment never share a notice number, never lose an acknowledgment and
// never decide one protest twice. Numbers run 1, 2, 3… in posting order
// (docs/api.md "Notice board"; a notice board numbers its documents, as the
// FIA's official notice board does, FMU26 Art. 1.9 on documents being posted).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/contract.ts';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../testing/pg.ts';
import { buildApp } from './app.ts';
import { ensureAdminToken } from './bootstrap.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;
const pgSkip = await pgSkipReason();

type Call = TestServer['call'];

async function setUp(call: Call): Promise<{ officer: string; codes: Map<number, string> }> {
  assert.equal((await call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
  const t = await call('POST', '/api/tokens', { role: 'officer', label: 'results officer', rallyId: RALLY }, ADMIN_TOKEN, { 'idempotency-key': `officer-${RALLY}` });
  const officer = (t.json() as { token: string }).token;
  const codes = new Map<number, string>();
  for (const car of [1, 2, 3, 4]) {
    const r = await call('POST', `${R}/crew-codes`, { car }, officer);
    assert.equal(r.statusCode, 201, r.body);
    codes.set(car, (r.json() as { code: string }).code);
  }
  return { officer, codes };
}

function suite(kind: StoreKind) {
  describe(`desk records at the same moment on ${kind}`, { skip: kind === 'postgres' ? pgSkip ?? false : false }, () => {
    let s: TestServer;
    let officer: string;
    let codes: Map<number, string>;
    before(async () => {
      s = await startTestServer(kind);
      ({ officer, codes } = await setUp(s.call));
    });
    after(async () => { await s?.close(); });

    test('8 notices posted at once → numbers 1..8, each once; the board lists them in number order', async () => {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.call('POST', `${R}/notices`, { id: `bulletin-${i}`, kind: 'bulletin', title: `Bulletin ${i}` }, officer)));
      assert.deepEqual(answers.map((r) => r.statusCode), Array(8).fill(201));
      assert.deepEqual(answers.map((r) => (r.json() as { number: number }).number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
      const board = (await s.call('GET', `${R}/notices`)).json() as { notices: { number: number; title: string }[] };
      assert.deepEqual(board.notices.map((n) => n.number), [1, 2, 3, 4, 5, 6, 7, 8]);
      for (const a of answers) {
        const n = a.json() as { number: number; title: string };
        assert.equal(board.notices.find((x) => x.number === n.number)?.title, n.title);
      }
    });

    test('four crews acknowledge notice 1 at the same moment → all four kept; one crew twice at once → one time kept', async () => {
      const answers = await Promise.all([1, 2, 3, 4].map((car) => s.call('POST', `${R}/notices/1/acknowledgments`, { car, code: codes.get(car) })));
      assert.deepEqual(answers.map((r) => r.statusCode), [201, 201, 201, 201]);
      const twice = await Promise.all([0, 1].map(() => s.call('POST', `${R}/notices/2/acknowledgments`, { car: 1, code: codes.get(1) })));
      assert.deepEqual(twice.map((r) => r.statusCode).sort(), [200, 201]);
      assert.equal((twice[0]?.json() as { at: string }).at, (twice[1]?.json() as { at: string }).at);
      const acks = (await s.call('GET', `${R}/acknowledgments`, undefined, officer)).json() as { notices: { number: number; acknowledged: { car: number }[] }[] };
      assert.deepEqual(acks.notices.find((n) => n.number === 1)?.acknowledged.map((a) => a.car).sort(), [1, 2, 3, 4]);
      assert.deepEqual(acks.notices.find((n) => n.number === 2)?.acknowledged.map((a) => a.car), [1]);
    });

    test('two stewards decide one protest at once, differently → one decision stands, the other is 409 protest-decided', async () => {
      const p = await s.call('POST', `${R}/protests`, { id: 'protest-car-2', car: 2, lodgedBy: 'entrant of car 1', grounds: 'Car 2 cut a chicane on SS2' }, officer);
      assert.equal(p.statusCode, 201, p.body);
      const pid = (p.json() as { id: string }).id;
      const answers = await Promise.all([
        s.call('POST', `${R}/protests/${pid}/decision`, { outcome: 'upheld', reason: 'video shows the cut' }, officer),
        s.call('POST', `${R}/protests/${pid}/decision`, { outcome: 'rejected', reason: 'no evidence' }, officer),
      ]);
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 409]);
      const won = answers.find((r) => r.statusCode === 200)?.json() as { decision: { outcome: string } };
      const list = (await s.call('GET', `${R}/protests`)).json() as { protests: { id: string; decision?: { outcome: string } }[] };
      assert.equal(list.protests.find((x) => x.id === pid)?.decision?.outcome, won.decision.outcome);
    });

    test('the audit trail shows each notice, acknowledgment and decision once, with who', async () => {
      const audit = (await s.call('GET', `${R}/audit`, undefined, officer)).json() as { audit: { action: string; principal: string }[] };
      assert.equal(audit.audit.filter((a) => a.action === 'notice').length, 8);
      assert.equal(audit.audit.filter((a) => a.action === 'acknowledgment').length, 5);
      assert.equal(audit.audit.filter((a) => a.action === 'protest-decision').length, 1);
      assert.ok(audit.audit.some((a) => a.action === 'acknowledgment' && a.principal === 'crew of car 3'));
    });
  });
}

suite('sqlite');
suite('postgres');

describe('desk records from two server processes on one PostgreSQL database', { skip: pgSkip ?? false }, () => {
  let db: TestDatabase;
  const stores: Store[] = [];
  const apps: FastifyInstance[] = [];
  const calls: Call[] = [];
  before(async () => {
    db = await createTestDatabase('rallyhq_desk');
    for (let i = 0; i < 2; i++) {
      const store = await openStore(db.url);
      if (i === 0) await ensureAdminToken(store, ADMIN_TOKEN, new Date());
      const app = await buildApp({ store });
      await app.ready();
      stores.push(store);
      apps.push(app);
      calls.push((method, url, body, token, headers = {}) => app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, ...(body === undefined ? {} : { payload: body as object }) }));
    }
  });
  after(async () => {
    for (const a of apps) await a.close();
    for (const st of stores) await st.close();
    await db?.drop();
  });

  test('notices posted on both at once → numbers 1..10 each once; acknowledgments through both at once → all kept', async () => {
    const [a, b] = calls as [Call, Call];
    const { officer, codes } = await setUp(a);
    const posted = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? b : a)('POST', `${R}/notices`, { id: `b-${i}`, kind: 'bulletin', title: `B${i}` }, officer)));
    assert.deepEqual(posted.map((r) => r.statusCode), Array(10).fill(201));
    assert.deepEqual(posted.map((r) => (r.json() as { number: number }).number).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const acked = await Promise.all([1, 2, 3, 4].map((car) => (car % 2 ? b : a)('POST', `${R}/notices/3/acknowledgments`, { car, code: codes.get(car) })));
    assert.deepEqual(acked.map((r) => r.statusCode), [201, 201, 201, 201]);
    const acks = (await b('GET', `${R}/acknowledgments`, undefined, officer)).json() as { notices: { number: number; acknowledged: { car: number }[] }[] };
    assert.deepEqual(acks.notices.find((n) => n.number === 3)?.acknowledged.map((x) => x.car).sort(), [1, 2, 3, 4]);
  });

  test('one protest lodged through both at once (same id) → recorded once; decided through both at once, differently → one decision, the other 409 protest-decided', async () => {
    const [a, b] = calls as [Call, Call];
    const officer = ((await a('POST', '/api/tokens', { role: 'officer', label: 'steward', rallyId: RALLY }, ADMIN_TOKEN, { 'idempotency-key': 'steward-two-processes' })).json() as { token: string }).token;
    const body = { id: 'protest-two-processes', car: 3, lodgedBy: 'entrant of car 4', grounds: 'Car 3 cut a chicane on SS3' };
    const lodged = await Promise.all([a('POST', `${R}/protests`, body, officer), b('POST', `${R}/protests`, body, officer)]);
    assert.deepEqual(lodged.map((r) => r.statusCode).sort(), [200, 201], lodged.map((r) => r.body).join('\n'));
    const decided = await Promise.all([
      a('POST', `${R}/protests/${body.id}/decision`, { outcome: 'upheld', reason: 'the video shows the cut' }, officer),
      b('POST', `${R}/protests/${body.id}/decision`, { outcome: 'rejected', reason: 'no evidence' }, officer),
    ]);
    assert.deepEqual(decided.map((r) => r.statusCode).sort(), [200, 409], decided.map((r) => r.body).join('\n'));
    const won = (decided.find((r) => r.statusCode === 200)!.json() as { decision: { outcome: string } }).decision.outcome;
    for (const call of [a, b]) {
      const list = (await call('GET', `${R}/protests`)).json() as { protests: { id: string; decision?: { outcome: string } }[] };
      const mine = list.protests.filter((x) => x.id === body.id);
      assert.equal(mine.length, 1, 'recorded once');
      assert.equal(mine[0]?.decision?.outcome, won);
    }
  });
});
