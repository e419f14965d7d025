// A change of a rally's definition (entry list, itinerary, rules) needs a reason —
// refused in words naming the field, nothing written — and the audit keeps it
// with a diff that lists what changed, not keys sent in another order. On
// SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgSkipReason } from '../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The same value with every object's keys in reverse order (what another client's JSON may look like). */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
  return v;
}

function suite(kind: StoreKind, skip: () => string | null) {
  describe(`definition changes on ${kind}`, () => {
    let s: TestServer;
    let officer: string;
    before(async () => {
      if (skip()) return;
      s = await startTestServer(kind);
      const r = await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN);
      assert.equal(r.statusCode, 201, r.body);
      officer = await s.token('officer', RALLY);
    });
    after(async () => { if (s) await s.close(); });
    const opts = () => ({ skip: skip() ?? false });
    const entries = async () => (await s.call('GET', `${R}/entries`)).json() as Json;
    const audit = async (action: string) => (((await s.call('GET', `${R}/audit`, undefined, officer)).json() as Json).audit as Json[]).filter((a) => a.action === action);

    test('PUT …/entries without a reason, or with a blank one, is a 400 naming reason; nothing is written', opts(), async () => {
      const e = await entries();
      for (const body of [{ version: e.version, entries: e.entries }, { version: e.version, entries: e.entries, reason: '  ' }]) {
        const r = await s.call('PUT', `${R}/entries`, body, officer);
        assert.equal(r.statusCode, 400, r.body);
        assert.match(r.json().field, /^(body\.)?reason$/);
        assert.match(r.json().detail ?? r.json().message ?? r.body, /reason/);
      }
      assert.equal((await entries()).version, e.version, 'nothing was written');
      assert.equal((await audit('update-entries')).length, 0);
    });

    test('the same entry list with its keys in another order changes nothing in the diff; a renamed driver is the one line', opts(), async () => {
      const e = await entries();
      const first = e.entries[0] as Json;
      const same = await s.call('PUT', `${R}/entries`, { version: e.version, entries: reversedKeys(e.entries), classes: reversedKeys(e.classes), reason: 'entry list sent again by the entry system' }, officer);
      assert.equal(same.statusCode, 200, same.body);
      assert.deepEqual((await audit('update-entries')).at(-1)!.detail.diff, []);

      const renamed = (reversedKeys(e.entries) as Json[]).map((x) => (x.car === first.car ? { ...x, driver: { ...x.driver, name: 'Marta Kowalczyk' } } : x));
      const r = await s.call('PUT', `${R}/entries`, { version: e.version + 1, entries: renamed, reason: 'driver changed before scrutineering' }, officer);
      assert.equal(r.statusCode, 200, r.body);
      const last = (await audit('update-entries')).at(-1)!;
      assert.equal(last.detail.reason, 'driver changed before scrutineering');
      assert.equal(last.detail.diff.length, 1, JSON.stringify(last.detail.diff));
      assert.match(last.detail.diff[0], new RegExp(`^entry car ${first.car}: driver \\{.*"name":"${first.driver.name}".*\\} → \\{.*"name":"Marta Kowalczyk".*\\}$`));
    });

    test('the itinerary sent back with its keys reversed is stored with an empty diff and its reason', opts(), async () => {
      const it = (await s.call('GET', `${R}/itinerary`)).json() as Json;
      const r = await s.call('PUT', `${R}/itinerary`, { version: it.version, legs: reversedKeys(it.legs), stages: reversedKeys(it.stages), reason: 'road book re-issued, no change' }, officer);
      assert.equal(r.statusCode, 200, r.body);
      const last = (await audit('update-itinerary')).at(-1)!;
      assert.equal(last.detail.reason, 'road book re-issued, no change');
      assert.deepEqual(last.detail.diff, []);
      const none = await s.call('PUT', `${R}/itinerary`, { version: it.version + 1, legs: it.legs, stages: it.stages }, officer);
      assert.equal(none.statusCode, 400);
      assert.match(none.json().field, /^(body\.)?reason$/);
    });

    test('PUT …/rules: a reason is required, an unknown preset is refused naming rules.preset, and an override acts: the inquiry window of the status becomes 45 min with its article; the audit keeps reason and diff', opts(), async () => {
      const rally = (await s.call('GET', R)).json() as Json;
      const rules = rally.definition.rules as Json;
      const none = await s.call('PUT', `${R}/rules`, { version: rally.version, rules }, officer);
      assert.equal(none.statusCode, 400);
      assert.match(none.json().field, /^(body\.)?reason$/);
      const bad = await s.call('PUT', `${R}/rules`, { version: rally.version, rules: { ...rules, preset: 'no-such-preset' }, reason: 'typo' }, officer);
      assert.equal(bad.statusCode, 400, bad.body);
      assert.deepEqual([bad.json().code, bad.json().field], ['invalid-rally', '$.rules.preset']);
      assert.equal(((await s.call('GET', R)).json() as Json).version, rally.version, 'nothing was written');

      const before = ((await s.call('GET', `${R}/status`)).json() as Json).inquiry;
      assert.notEqual(before.windowMin, 45);
      const changed = { ...rules, overrides: { ...(rules.overrides ?? {}), inquiryWindowMin: { value: 45, rule: 'SR 12.3' } } };
      const ok = await s.call('PUT', `${R}/rules`, { version: rally.version, rules: reversedKeys(changed), reason: 'supplementary regulations bulletin 2: inquiry window 45 min' }, officer);
      assert.equal(ok.statusCode, 200, ok.body);
      const after = ((await s.call('GET', `${R}/status`)).json() as Json).inquiry;
      assert.deepEqual([after.windowMin, after.rule], [45, 'SR 12.3']);
      const last = (await audit('update-rules')).at(-1)!;
      assert.equal(last.detail.reason, 'supplementary regulations bulletin 2: inquiry window 45 min');
      assert.equal(last.detail.diff.length, 1, JSON.stringify(last.detail.diff));
      assert.match(last.detail.diff[0], /^rules .* → .*"inquiryWindowMin":\{"rule":"SR 12\.3","value":45\}/);
    });
  });
}

const pgSkip = await pgSkipReason();
suite('sqlite', () => null);
suite('postgres', () => pgSkip);
