// The entry list one change at a time, on SQLite and PostgreSQL: adds,
// edits, withdrawals before and after the start, substitutions, the CSV plan,
// and changes racing each other from two servers on one database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../app.ts';
import { pgSkipReason } from '../../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from '../testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const crew = (car: number, cls = 'RC4') => ({ car, driver: { name: `Driver ${car}`, nationality: 'USA' }, codriver: { name: `Codriver ${car}` }, make: 'Ford', model: 'Fiesta Rally4', class: cls });

function suite(kind: StoreKind, skip: () => string | null) {
  describe(`entry list on ${kind}`, () => {
    let s: TestServer;
    let officer: string;
    before(async () => {
      if (skip()) return;
      s = await startTestServer(kind, { now: () => new Date('2026-03-10T12:00:00Z') });
      const file = smallRallyFile();
      // Car 6 has no facts: it has not started.
      file.facts = file.facts.filter((f) => f.car !== 6);
      const r = await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN);
      assert.equal(r.statusCode, 201, r.body);
      officer = await s.token('officer', RALLY);
    });
    after(async () => { if (s) await s.close(); });
    const opts = () => ({ skip: skip() ?? false });

    test('twelve crews added at once through two servers on one database all land; each change is recorded once', opts(), async () => {
      const other = await buildApp({ store: s.store });
      try {
        const before = (await s.call('GET', `${R}/entries`)).json();
        const calls = Array.from({ length: 12 }, (_, i) => {
          const body = { entry: crew(100 + i), reason: `entry form ${i}` };
          if (i % 2 === 0) return s.call('POST', `${R}/entries`, body, officer);
          return other.inject({ method: 'POST', url: `${R}/entries`, payload: body, headers: { authorization: `Bearer ${officer}` } });
        });
        const answers = await Promise.all(calls);
        for (const a of answers) assert.equal(a.statusCode, 201, a.body);
        const versions = answers.map((a) => a.json().version as number);
        assert.equal(new Set(versions).size, 12, 'each change made its own version');
        const list = (await s.call('GET', `${R}/entries`)).json();
        assert.equal(list.entries.length, before.entries.length + 12);
        assert.equal(list.version, before.version + 12);
        const changes = (await s.call('GET', `${R}/entries/changes`)).json().changes as Json[];
        assert.deepEqual(changes.filter((c) => c.kind === 'add').map((c) => c.car).sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => 100 + i));
      } finally {
        await other.close();
      }
    });

    test('the same number added twice at once: one crew gets it, the other is told it is taken', opts(), async () => {
      const [a, b] = await Promise.all([
        s.call('POST', `${R}/entries`, { entry: crew(200), reason: 'form A' }, officer),
        s.call('POST', `${R}/entries`, { entry: { ...crew(200), driver: { name: 'Someone Else' } }, reason: 'form B' }, officer),
      ]);
      assert.deepEqual([a.statusCode, b.statusCode].sort(), [201, 409]);
      const loser = a.statusCode === 409 ? a : b;
      assert.equal(loser.json().code, 'entry-conflict');
      assert.match(loser.json().detail, /car 200 is already entered/);
    });

    test('a stale version is refused with 409 and nothing changes; bad fields name themselves', opts(), async () => {
      const list = (await s.call('GET', `${R}/entries`)).json();
      const stale = await s.call('PATCH', `${R}/entries/1`, { changes: { registration: 'X1' }, reason: 'r', version: list.version - 1 }, officer);
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'version-conflict');
      const noReason = await s.call('PATCH', `${R}/entries/1`, { changes: { registration: 'X1' }, reason: '' }, officer);
      assert.equal(noReason.statusCode, 400);
      assert.equal(noReason.json().field, 'reason');
      const badCls = await s.call('POST', `${R}/entries`, { entry: crew(300, 'WRC'), reason: 'r' }, officer);
      assert.equal(badCls.statusCode, 400);
      assert.match(badCls.json().detail, /unknown class "WRC"; use one of RC2, RC4/);
      const badNat = await s.call('POST', `${R}/entries`, { entry: { ...crew(301), codriver: { name: 'A B', nationality: 'us' } }, reason: 'r' }, officer);
      assert.equal(badNat.statusCode, 400);
      assert.match(badNat.json().detail, /three-letter code/);
      assert.equal((await s.call('GET', `${R}/entries`)).json().version, list.version, 'nothing was written');
      const unknown = await s.call('PATCH', `${R}/entries/999`, { changes: { registration: 'X1' }, reason: 'r' }, officer);
      assert.equal(unknown.statusCode, 404);
    });

    test('edit and substitution: fields before → after, who approved, kept on the entry', opts(), async () => {
      const e = await s.call('PATCH', `${R}/entries/2`, { changes: { registration: 'HRT 2', carGroup: 'Rally2', driver: { licence: 'MSUK 123' } }, reason: 'scrutineering sheet' }, officer);
      assert.equal(e.statusCode, 200, e.body);
      assert.deepEqual(e.json().change.lines, ['driver licence: — → MSUK 123', 'carGroup: — → Rally2', 'registration: — → HRT 2']);
      const sub = await s.call('POST', `${R}/entries/2/substitution`, { role: 'codriver', person: { name: 'Isla Grant', nationality: 'GBR' }, approvedBy: 'Clerk of the Course', reason: 'co-driver ill' }, officer);
      assert.equal(sub.statusCode, 200, sub.body);
      const entry = (await s.call('GET', `${R}/entries`)).json().entries.find((x: Json) => x.car === 2);
      assert.equal(entry.codriver.name, 'Isla Grant');
      assert.equal(entry.substitutions[0].approvedBy, 'Clerk of the Course');
      assert.equal(entry.substitutions[0].from, 'Ruth Fraser');
      // The results show the crew as it now is.
      const row = (await s.call('GET', `${R}/results`)).json().classification.rows.find((r: Json) => r.car === 2);
      assert.equal(row.entry.codriver.name, 'Isla Grant');
    });

    test('withdrawn before the start: off the entry list and the results; after the start: retired where it withdrew', opts(), async () => {
      const list = (await s.call('GET', `${R}/entries`)).json();
      assert.ok(!list.started.includes(6) && list.started.includes(3));
      const before = await s.call('POST', `${R}/entries/6/withdrawal`, { reason: 'car not ready' }, officer);
      assert.equal(before.statusCode, 200, before.body);
      const after = (await s.call('GET', `${R}/entries`)).json();
      assert.ok(!after.entries.some((x: Json) => x.car === 6));
      assert.equal(after.withdrawn.find((x: Json) => x.car === 6).withdrawal.reason, 'car not ready');
      const rows = (await s.call('GET', `${R}/results`)).json().classification.rows as Json[];
      assert.ok(!rows.some((r) => r.car === 6), 'a crew withdrawn before the start is not in the results');
      const noWhere = await s.call('POST', `${R}/entries/3/withdrawal`, { reason: 'driver unwell' }, officer);
      assert.equal(noWhere.statusCode, 400);
      assert.equal(noWhere.json().field, 'where');
      const started = await s.call('POST', `${R}/entries/3/withdrawal`, { reason: 'driver unwell', where: 'SS3' }, officer);
      assert.equal(started.statusCode, 200, started.body);
      assert.equal(started.json().entry.withdrawal.afterStart, true);
      const res = (await s.call('GET', `${R}/results`)).json().classification;
      assert.equal(res.rows.find((r: Json) => r.car === 3).status, 'retired');
      assert.deepEqual(res.retired.filter((r: Json) => r.car === 3).map((r: Json) => [r.where, r.reason]), [['SS3', 'withdrawn: driver unwell']]);
      const twice = await s.call('POST', `${R}/entries/3/withdrawal`, { reason: 'again', where: 'SS3' }, officer);
      assert.equal(twice.statusCode, 409);
    });

    test('CSV import: the plan writes nothing; applying it needs the plan\'s version and a reason; refused lines stay out', opts(), async () => {
      const csv = 'car,driver,codriver,make,model,class,registration\n1,Aino Virtanen,Jussi Laine,Škoda,Fabia RS Rally2,RC2,FIN-1\n50,Tom Hale,Ann Hale,Subaru,Impreza,RC4,\n51,Bad Class,Ann Hale,Subaru,Impreza,Open,\nfifty-two,No Number,Ann Hale,Subaru,Impreza,RC4,\n';
      const v0 = (await s.call('GET', `${R}/entries`)).json().version;
      const preview = await s.call('POST', `${R}/entries/import`, { csv }, officer);
      assert.equal(preview.statusCode, 200, preview.body);
      const plan = preview.json().plan;
      assert.deepEqual(plan.lines.map((l: Json) => [l.line, l.action]), [[2, 'change'], [3, 'add'], [4, 'refuse'], [5, 'refuse']]);
      assert.equal((await s.call('GET', `${R}/entries`)).json().version, v0, 'a preview writes nothing');
      const noReason = await s.call('POST', `${R}/entries/import`, { csv, apply: true, version: v0 }, officer);
      assert.equal(noReason.statusCode, 400);
      const stale = await s.call('POST', `${R}/entries/import`, { csv, apply: true, version: v0 - 1, reason: 'entries closed' }, officer);
      assert.equal(stale.statusCode, 409);
      const ok = await s.call('POST', `${R}/entries/import`, { csv, apply: true, version: v0, reason: 'entries closed' }, officer);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().version, v0 + 1);
      const list = (await s.call('GET', `${R}/entries`)).json();
      assert.equal(list.entries.find((x: Json) => x.car === 1).registration, 'FIN-1');
      assert.ok(list.entries.some((x: Json) => x.car === 50));
      assert.ok(!list.entries.some((x: Json) => x.car === 51));
    });

    test('only the rally\'s officer may change its entries', opts(), async () => {
      const tk = await s.token('timekeeper', RALLY, ['SS1F']);
      const r = await s.call('POST', `${R}/entries`, { entry: crew(400), reason: 'r' }, tk);
      assert.equal(r.statusCode, 403);
      assert.equal((await s.call('POST', `${R}/entries`, { entry: crew(400), reason: 'r' })).statusCode, 401);
    });
  });
}

const pgSkip = await pgSkipReason();
suite('sqlite', () => null);
suite('postgres', () => pgSkip);
