// No input reaches a 500, on SQLite and PostgreSQL: fast-check generates
// requests for EVERY route the app has (read from its route table, so a route
// added later is covered without touching this file) — NUL characters,
// unpaired surrogates, 1e400, integers beyond 32 and 53 bits, over-long ids,
// wrong types, in path parameters, query strings and bodies — and every
// answer must be below 500. Write routes get bodies: good bodies of the kinds
// the API takes with one field made bad, and shapeless JSON.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pgSkipReason } from '../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Stands for a number JSON can carry but JavaScript cannot produce by JSON.stringify. */
class RawNumber { constructor(readonly text: string) {} }

function toJson(v: unknown): string {
  if (v instanceof RawNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const nastyString = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', 'SS1\u0000', '\uD800', 'x\uDC00y', '\uDBFF', '%00', '../../etc/passwd', '', ' ', 'Ω≈ç√', '🏁', '\u202Etxt', 'x'.repeat(101), 'y'.repeat(201), 'z'.repeat(5000)),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ maxLength: 300 }),
);
const nastyNumber = fc.oneof(
  fc.constantFrom(new RawNumber('1e400'), new RawNumber('-1e400'), new RawNumber('12345678901234567890'), new RawNumber('1e-400')),
  fc.constantFrom(2 ** 31, 2 ** 32, -(2 ** 31) - 1, 2 ** 40, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, -1, 0, 0.5, 1e308),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(nastyString, nastyNumber, fc.constantFrom(null, true, false, [], {}, [null], { '\u0000': 1 }, ['\uD800']));

/** Good bodies of the kinds the API takes; a generated request sends one with a field made bad, to any write route. */
const GOOD: Record<string, unknown>[] = [
  { id: 'gen-1', type: 'controlTime', car: 2, control: 'TC1', at: '2026-03-13T18:26', source: 'timecard' },
  { id: 'gen-2', type: 'stageTime', car: 2, stage: 'SS1', time: '3:45.2' },
  { id: 'gen-3', type: 'penalty', car: 2, seconds: 10, reason: 'late at TC1' },
  { car: 2, seconds: 10, reason: 'late', rule: 'FIA 44' },
  { car: 2, where: 'SS1', reason: 'off the road' },
  { car: 2, section: 'S2', reason: 'restart' },
  { stage: 'SS1', reason: 'blocked', notionalTimes: [{ car: 2, time: '4:00.0' }] },
  { supersedes: 'TC1-2', reason: 'typo' },
  { role: 'timekeeper', rallyId: RALLY, controls: ['SS1F'], label: 'SS1 finish' },
  { label: 'SS1 finish', controls: ['SS1F'], expiresInMinutes: 60 },
  { code: 'ABCD-EFGH', device: 'phone 1' },
  { kind: 'provisional', reason: 'after SS1' },
  { version: 1, entries: [{ car: 2, driver: { name: 'A' }, codriver: { name: 'B' }, class: 'X' }] },
  { version: 1, legs: [], stages: [] },
  { facts: [{ id: 'gen-b1', type: 'controlTime', car: 2, control: 'TC1', at: '2026-03-13T18:26' }] },
];

/** Which good bodies fit a route, by its last word (a route not listed gets any of them). */
const FITS: Record<string, number[]> = {
  facts: [0, 1, 2, 14], penalties: [3], retirements: [4], restarts: [5], exclusions: [3], 'notional-times': [6], 'stage-cancellations': [6],
  corrections: [7, 0], tokens: [8], enrollments: [9], enroll: [10], publications: [11], entries: [12], itinerary: [13],
};

function bodyFor(url: string): fc.Arbitrary<string> {
  const word = url.split('/').filter((w) => w && !w.startsWith(':')).at(-1) ?? '';
  const fits = (FITS[word] ?? GOOD.map((_, i) => i)).map((i) => GOOD[i] as Record<string, unknown>);
  return fc.oneof({ weight: 3, arbitrary: goodButOne(fits) }, { weight: 2, arbitrary: anyBody });
}

/** A good body with one field replaced or added. */
const goodButOne = (goods: Record<string, unknown>[]) =>
  fc.tuple(fc.constantFrom(...goods), fc.oneof(fc.constantFrom('id', 'car', 'control', 'at', 'stage', 'seconds', 'reason', 'supersedes', 'label', 'device', 'code', 'rallyId', 'version', 'kind', 'time', 'controls', 'entries', 'facts'), fc.string({ maxLength: 8 })), nastyValue)
    .map(([good, key, value]) => toJson({ ...good, [key]: value }));

const anyBody = fc.oneof(
  goodButOne(GOOD),
  // The rally file with its id, a car number or a fact id made bad (the import route).
  fc.tuple(fc.constantFrom('rally.id', 'entry.car', 'fact.id', 'fact.car', 'rally.name'), nastyValue).map(([where, value]) => {
    const file = smallRallyFile() as unknown as { rally: Record<string, unknown> & { entries: Record<string, unknown>[] }; facts: Record<string, unknown>[] };
    file.rally.id = `gen-${Math.random().toString(36).slice(2, 8)}`;
    if (where === 'rally.id') file.rally.id = value as string;
    if (where === 'rally.name') file.rally.name = value;
    if (where === 'entry.car') (file.rally.entries[0] as Record<string, unknown>).car = value;
    if (where === 'fact.id') (file.facts[0] as Record<string, unknown>).id = value;
    if (where === 'fact.car') (file.facts[0] as Record<string, unknown>).car = value;
    return toJson(file);
  }),
  // Shapeless JSON, and text that is not JSON.
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
);

/** Percent-encodes any string, lone surrogates too (as the bytes a sloppy client would send: their WTF-8 form). */
function encode(text: string): string {
  let out = '';
  for (const part of text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g) ?? []) {
    const c = part.charCodeAt(0);
    if (part.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(part);
    }
  }
  return out;
}

function fill(url: string, params: string[], write: boolean): string {
  let i = 0;
  return url.replace(/:[A-Za-z]+/g, (name) => {
    const v = params[i++] ?? '';
    // Write routes mostly hit the real rally, so the body is checked against it; reads only get bad parameters.
    return name === ':id' && write && v === '@rally' ? RALLY : encode(v === '@rally' ? 'unknown' : v);
  });
}

const KINDS: StoreKind[] = ['sqlite', 'postgres'];

for (const kind of KINDS) {
  describe(`generated input on every route (${kind})`, async () => {
    const skip = kind === 'postgres' ? await pgSkipReason() : null;
    let s: TestServer;
    before(async () => {
      if (skip) return;
      s = await startTestServer(kind);
      assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
    });
    after(async () => { if (!skip) await s.close(); });

    test('every write route, 40 generated requests each, and every route with parameters, 15 each: 0 × 5xx', { skip: skip ?? false }, async () => {
      const routes = s.app.rallyhq.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
      const writes = routes.filter((r) => WRITE.has(r.method));
      assert.ok(writes.length >= 10, `found the write routes in the route table (${writes.length})`);
      let sent = 0;
      const fives: string[] = [];
      for (const route of routes) {
        const write = WRITE.has(route.method);
        const names = route.url.match(/:[A-Za-z]+/g) ?? [];
        if (!write && names.length === 0) continue;
        const param = write ? fc.oneof(fc.constant('@rally'), fc.constant('@rally'), nastyString) : nastyString;
        const request = fc.record({
          params: fc.array(param, { minLength: names.length, maxLength: names.length }),
          body: write ? bodyFor(route.url) : fc.constant(undefined),
          query: fc.option(fc.tuple(fc.constantFrom('rally', 'after', 'limit', 'car', 'kind', 'class', 'leg', 'by'), nastyString), { nil: undefined }),
          token: fc.constantFrom(ADMIN_TOKEN, ADMIN_TOKEN, undefined, 'rhq_\u0000', 'x'.repeat(300)),
          key: fc.option(nastyString, { nil: undefined }),
        });
        await fc.assert(fc.asyncProperty(request, async (q) => {
          const path = fill(route.url, q.params, write);
          const url = q.query ? `${path}?${q.query[0]}=${encode(q.query[1])}` : path;
          const headers: Record<string, string> = {};
          if (q.key !== undefined) headers['idempotency-key'] = encode(q.key);
          const r = await s.call(route.method as 'POST', url, q.body, q.token, headers);
          sent += 1;
          if (r.statusCode >= 500) fives.push(`${route.method} ${url} ${r.statusCode} ${String(q.body).slice(0, 200)} → ${r.body.slice(0, 300)}`);
        }), { numRuns: write ? 40 : 15 });
      }
      // And systematically: every field of every good body that fits a write route, made NUL, a lone surrogate, 1e400 or 2^40.
      for (const route of writes) {
        const word = route.url.split('/').filter((w) => w && !w.startsWith(':')).at(-1) ?? '';
        for (const good of (FITS[word] ?? []).map((i) => GOOD[i] as Record<string, unknown>)) {
          for (const key of Object.keys(good)) {
            for (const bad of ['a\u0000b', '\uD800', new RawNumber('1e400'), 2 ** 40]) {
              const url = route.url.replace(':id', RALLY).replace(/:[A-Za-z]+/g, 'x');
              const r = await s.call(route.method as 'POST', url, toJson({ ...good, id: `sys-${sent}`, [key]: bad }), ADMIN_TOKEN);
              sent += 1;
              if (r.statusCode >= 500) fives.push(`${route.method} ${url} ${key}=${toJson(bad)} ${r.statusCode} → ${r.body.slice(0, 300)}`);
            }
          }
        }
      }
      console.log(`# generated-input (${kind}): ${sent} requests over ${routes.length} routes, ${fives.length} answered 5xx`);
      assert.deepEqual(fives, [], `${fives.length} of ${sent} generated requests got a 5xx`);
    });

    test('a rally file with a car number beyond 32 bits → 400 naming it, nothing stored; the corrected file then imports (no 409)', { skip: skip ?? false }, async () => {
      for (const where of ['entry', 'fact'] as const) {
        const file = smallRallyFile();
        file.rally.id = `bounds-${where}`;
        if (where === 'entry') (file.rally.entries as Record<string, unknown>[])[0]!.car = 2 ** 32;
        else file.facts[0]!.car = 2 ** 32;
        const r = await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN);
        assert.equal(r.statusCode, 400, r.body);
        assert.match(r.json().detail, /car/);
        assert.equal(await s.store.getRally(file.rally.id), null, 'no rally row left behind');
        const good = smallRallyFile();
        good.rally.id = file.rally.id;
        assert.equal((await s.call('POST', '/api/rallies/import', good, ADMIN_TOKEN)).statusCode, 201);
      }
    });

    test('an enrollment with a bad device name (NUL, lone surrogate, 201 characters) is refused and does not use up the code', { skip: skip ?? false }, async () => {
      // NOTE: a rally of its own: the generated requests above may have replaced the shared rally's itinerary.
      const own = smallRallyFile();
      own.rally.id = 'enroll-rally';
      assert.equal((await s.call('POST', '/api/rallies/import', own, ADMIN_TOKEN)).statusCode, 201);
      const made = await s.call('POST', '/api/rallies/enroll-rally/enrollments', { label: 'SS1 finish', controls: ['SS1F'] }, ADMIN_TOKEN);
      assert.equal(made.statusCode, 201, made.body);
      const { code } = made.json() as { code: string };
      // NOTE: from an address of its own: the generated requests above may have used up 127.0.0.1's enrollment attempts.
      const enroll = (device: string) => s.app.inject({ method: 'POST', url: '/api/enroll', payload: { code, device }, remoteAddress: '192.0.2.50' });
      for (const device of ['phone\u00001', 'phone \uD800', 'p'.repeat(201)]) {
        const r = await enroll(device);
        assert.equal(r.statusCode, 400, r.body);
        assert.match(r.json().field, /device/);
      }
      assert.equal((await enroll('SS1 finish phone')).statusCode, 201, 'the code still works');
    });

    test('GET /api/rallies/%00 without a token, and a rally id of 101 and 201 characters: 4xx, and a 200-character rally is usable by its URL', { skip: skip ?? false }, async () => {
      for (const url of ['/api/rallies/%00', '/api/rallies/a%00b/results', `/api/rallies/${'r'.repeat(101)}`, `/api/rallies/${'r'.repeat(201)}`, '/api/rallies/%ED%A0%80']) {
        const r = await s.call('GET', url);
        assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${url}: ${r.statusCode} ${r.body}`);
      }
      const long = { ...smallRallyFile().rally, id: 'l'.repeat(200) };
      assert.equal((await s.call('POST', '/api/rallies', long, ADMIN_TOKEN)).statusCode, 201);
      assert.equal((await s.call('GET', `/api/rallies/${long.id}`)).statusCode, 200, 'a rally that was created can be read');
      const tooLong = await s.call('POST', '/api/rallies', { ...long, id: 'l'.repeat(201) }, ADMIN_TOKEN);
      assert.equal(tooLong.statusCode, 400, tooLong.body);
      assert.match(tooLong.json().field, /id/);
    });
  });
}
