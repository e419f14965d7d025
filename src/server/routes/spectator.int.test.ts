// What the spectator's page reads besides the live stream, on the real
// Sno*Drift 2026 (ARA National and Regional on the same roads): the
// stage-by-stage grid per category, stage listings and live streams that
// never mix the two.
// Expected values come from ARA's published stage times and the results the
// real-data file derives from them (fixtures/real/ara-2026-sno-drift.json),
// not from rallyhq's own answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDuration } from '../../core/time/duration.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../testing/harness.ts';

const FIXTURE = new URL('../../../fixtures/ara-2026-sno-drift.rally.json', import.meta.url);
const REAL = JSON.parse(readFileSync(new URL('../../../fixtures/real/ara-2026-sno-drift.json', import.meta.url), 'utf8')) as {
  crews: { car: number; category: string; stageTimes: Record<string, string>; retirements?: unknown[]; penalties: { seconds: number; stage?: string }[]; status: string; result: { position: number | null; total: string } | null }[];
};
const ms = (t: string) => parseDuration(t)!;

interface Grid { category?: string; after: string | null; stages: string[]; rows: { car: number; cells: ([number, number] | [null, null, string])[] }[] }

describe('the spectator\'s grid and category-scoped stage listings (ARA Sno*Drift 2026)', () => {
  let s: TestServer;
  let R = '';
  before(async () => {
    s = await startTestServer('memory');
    const file = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { rally: { id: string } };
    const res = await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN);
    assert.equal(res.statusCode, 201, res.body);
    R = `/api/rallies/${encodeURIComponent(file.rally.id)}`;
  });
  after(async () => { await s.close(); });

  for (const category of ['National', 'Regional']) {
    test(`grid, ${category}: last column = ARA's final positions and totals; only ${category} crews; SS1 totals = the published SS1 times`, async () => {
      const res = await s.call('GET', `${R}/grid?category=${category}`);
      assert.equal(res.statusCode, 200, res.body);
      const g = res.json() as Grid;
      assert.equal(g.category, category);
      // Regional does not run SS16 (its results end after SS15).
      assert.equal(g.stages.at(-1), category === 'National' ? 'SS16' : 'SS15');
      const real = REAL.crews.filter((c) => c.category === category);
      assert.deepEqual(new Set(g.rows.map((r) => r.car)), new Set(real.map((c) => c.car)), 'every crew of the category, and no other');
      const last = g.stages.length - 1;
      for (const c of real) {
        const cell = g.rows.find((r) => r.car === c.car)!.cells[last]!;
        if (c.result?.position) assert.deepEqual([cell[0], cell[1]], [c.result.position, ms(c.result.total)], `car ${c.car} after ${g.stages[last]}`);
        else assert.equal(cell[0], null, `car ${c.car} is not classified at the end`);
      }
      // After SS1 a crew without penalties up to SS2 has its published SS1 time as total, and ranks among
      // its category by it. (Crews that retired, even to rejoin, are left out: assessed times are not driven. Excluded crews are not ranked after any stage: rallyhq's rule, docs/scoring.md
      // "Exclusion"; a late check-in at TC2 belongs to the road section after SS1, so such crews are left out.)
      const clean = real.filter((c) => c.stageTimes.SS1 && c.status !== 'excluded' && !c.retirements?.length && !c.penalties.some((p) => p.stage === 'SS1' || p.stage === 'SS2'));
      const ss1 = real.filter((c) => c.stageTimes.SS1 && c.status !== 'excluded');
      assert.ok(clean.length > 10);
      for (const x of clean) {
        const cell = g.rows.find((r) => r.car === x.car)!.cells[0]!;
        const t = ms(x.stageTimes.SS1!);
        assert.equal(cell[1], t, `car ${x.car} after SS1`);
        // Crews faster on SS1 (their penalties could only push them down) bound its position from below.
        assert.ok(cell[0]! >= 1 + ss1.filter((y) => ms(y.stageTimes.SS1!) < t).length, `car ${x.car} position after SS1 among ${category}`);
      }
    });
  }

  test('stage listing with ?category=Regional ranks Regional crews only, from 1', async () => {
    const res = await s.call('GET', `${R}/stages/SS1?category=Regional`);
    assert.equal(res.statusCode, 200, res.body);
    const rows = res.json().stage.rows as { car: number; position: number | null; timeMs: number | null }[];
    const regional = new Set(REAL.crews.filter((c) => c.category === 'Regional').map((c) => c.car));
    assert.ok(rows.length > 0 && rows.every((r) => regional.has(r.car)), 'no National crew in the Regional listing');
    const best = REAL.crews.filter((c) => c.category === 'Regional' && c.stageTimes.SS1).map((c) => ms(c.stageTimes.SS1!)).sort((a, b) => a - b)[0];
    assert.equal(rows.find((r) => r.position === 1)?.timeMs, best);
  });

  test('stage listing without ?category= is the first category\'s (National), named, as JSON and CSV: places never mix the two categories', async () => {
    const plain = await s.call('GET', `${R}/stages/SS1`);
    const national = await s.call('GET', `${R}/stages/SS1?category=National`);
    assert.equal(plain.json().category, 'National');
    assert.deepEqual(plain.json().stage.rows, national.json().stage.rows);
    const nat = new Set(REAL.crews.filter((c) => c.category === 'National').map((c) => c.car));
    const rows = plain.json().stage.rows as { car: number }[];
    assert.ok(rows.length > 0 && rows.every((r) => nat.has(r.car)), 'no Regional crew in the default listing');
    const csv = await s.call('GET', `${R}/stages/SS1?format=csv`);
    assert.equal(csv.statusCode, 200);
    const cars = csv.body.trim().split('\n').slice(1).length;
    assert.equal(cars, rows.length, 'the CSV lists the same crews');
  });

  test('the rally page\'s downloads under a Regional table and its stage times are the Regional rows', async () => {
    for (const view of ['', '&view=stage&stage=SS1']) {
      const html = (await s.call('GET', `/rally.html?id=${R.split('/').at(-1)!}&category=Regional${view}`)).body;
      const links = [...html.matchAll(/class="small table-downloads">Download: <a href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      assert.ok(links.length > 0, `a download link${view}`);
      for (const l of links) assert.match(l, /[?&]category=Regional(&|$)/, l);
    }
  });

  test('public API v1: stage times and results are one category\'s (National by default, Regional when asked), named; an unknown one is a 400', async () => {
    const P = R.replace('/api/rallies/', '/api/public/v1/rallies/');
    const nat = new Set(REAL.crews.filter((c) => c.category === 'National').map((c) => c.car));
    const reg = new Set(REAL.crews.filter((c) => c.category === 'Regional').map((c) => c.car));
    for (const [q, cars, name] of [['', nat, 'National'], ['?category=Regional', reg, 'Regional']] as const) {
      for (const path of [`${P}/stages/SS1${q}`, `${P}/results${q}`]) {
        const res = await s.call('GET', path);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().category, name, path);
        const rows = res.json().rows as { car: number; position: number | null }[];
        assert.ok(rows.length > 0 && rows.every((r) => cars.has(r.car)), `${path}: ${name} crews only`);
        const places = rows.map((r) => r.position).filter((x): x is number => x !== null).sort((a, b) => a - b);
        // Ranked among themselves from 1 (equal times share a place, the next one skips: 19, 19, 21).
        assert.equal(places[0], 1, path);
        places.forEach((x, i) => assert.ok(x <= i + 1 && (i === 0 || x === i + 1 || x === places[i - 1]), `${path}: place ${x} at ${i + 1}`));
      }
    }
    const bad = await s.call('GET', `${P}/stages/SS1?category=Club`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'query.category');
  });

  test('an unknown category is a 400 naming query.category and the categories', async () => {
    for (const path of [`${R}/grid?category=Club`, `${R}/stages/SS1?category=Club`]) {
      const res = await s.call('GET', path);
      assert.equal(res.statusCode, 400, path);
      assert.match(res.body, /query\.category/);
      assert.match(res.body, /National, Regional/);
    }
  });
});

/** One SSE stream over real HTTP, collected as text. */
function openStream(url: string): Promise<{ status: number; text: () => string; waitFor: (pred: (t: string) => boolean) => Promise<void>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let buf = '';
      const waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (d: string) => { buf += d; for (const w of waiters.splice(0)) w(); });
      resolve({
        status: res.statusCode ?? 0,
        text: () => buf,
        waitFor: (pred) => new Promise((ok, fail) => {
          const timer = setTimeout(() => fail(new Error(`timed out; got:\n${buf.slice(0, 2000)}`)), 8000);
          const check = () => { if (pred(buf)) { clearTimeout(timer); ok(); } else waiters.push(check); };
          check();
        }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

const eventsOf = (text: string, name: string) => text.split('\n\n').filter((b) => b.includes(`event: ${name}\n`)).map((b) => JSON.parse(b.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as Record<string, unknown>);

describe('the live stream of one category (ARA Sno*Drift 2026, Regional car 676 not yet through SS15)', () => {
  let s: TestServer;
  let base = '';
  let R = '';
  let rallyId = '';
  const late = { id: 'SF15-676', type: 'controlTime', car: 676, control: 'SF15', at: '2026-02-07T14:37:26.7', source: 'rallysafe' };
  before(async () => {
    s = await startTestServer('memory');
    const file = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { rally: { id: string }; facts: { id: string }[] };
    file.facts = file.facts.filter((f) => f.id !== late.id);
    assert.equal((await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
    rallyId = file.rally.id;
    R = `/api/rallies/${encodeURIComponent(rallyId)}`;
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
  });
  after(async () => { await s.close(); });

  test('Regional: its crews only, its 15 stages, the table after SS14 while 676 is on SS15; the finish arrives as a Regional delta ranked among Regional crews, and the National stream carries none of it', async () => {
    const officer = await s.token('officer', rallyId);
    const regional = await openStream(`${base}${R}/live?category=Regional`);
    const national = await openStream(`${base}${R}/live`);
    try {
      assert.equal(regional.status, 200);
      await regional.waitFor((t) => t.includes('event: init'));
      await national.waitFor((t) => t.includes('event: init'));
      const rInit = eventsOf(regional.text(), 'init')[0]!;
      const nInit = eventsOf(national.text(), 'init')[0]!;
      const real = (cat: string) => new Set(REAL.crews.filter((c) => c.category === cat).map((c) => c.car));
      assert.equal(rInit.category, 'Regional');
      assert.deepEqual((rInit.categories as { code: string }[]).map((c) => c.code), ['National', 'Regional']);
      assert.deepEqual((rInit.stages as { code: string }[]).map((x) => x.code), Array.from({ length: 15 }, (_, i) => `SS${i + 1}`), 'Regional does not run SS16');
      assert.ok((rInit.rows as { car: number }[]).every((r) => real('Regional').has(r.car)));
      assert.equal(rInit.after, 'SS14', 'car 676 still on SS15 holds the Regional table back');
      assert.equal(nInit.category, 'National');
      assert.equal(nInit.after, 'SS16', 'every National crew is through: a Regional crew on SS15 holds nothing back there');
      assert.ok((nInit.rows as { car: number }[]).every((r) => real('National').has(r.car)));

      const posted = await s.call('POST', `${R}/facts`, late, officer);
      assert.equal(posted.statusCode, 201, posted.body);
      await regional.waitFor((t) => t.includes('event: delta'));
      const d = eventsOf(regional.text(), 'delta')[0]!;
      assert.equal(d.after, 'SS15');
      const t676 = (d.stageTimes as { car: number; stage: string; position: number; timeMs: number }[]).find((x) => x.car === 676 && x.stage === 'SS15')!;
      // Its SS15 position among Regional crews, from ARA's published SS15 times.
      const mine = ms(REAL.crews.find((c) => c.car === 676)!.stageTimes.SS15!);
      assert.equal(t676.timeMs, mine);
      const faster = REAL.crews.filter((c) => c.category === 'Regional' && c.stageTimes.SS15 && ms(c.stageTimes.SS15) < mine).length;
      assert.equal(t676.position, faster + 1);
      await national.waitFor((t) => t.includes('event: delta'));
      const nd = eventsOf(national.text(), 'delta')[0]!;
      assert.ok(!(nd.stageTimes as { car: number }[]).some((x) => x.car === 676), 'a Regional time is not listed in the National stream');
    } finally {
      regional.close();
      national.close();
    }
  });

  test('an unknown category on the stream is a 400 naming query.category', async () => {
    const res = await s.call('GET', `${R}/live?category=Club`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /query\.category.*National, Regional/);
  });
});
