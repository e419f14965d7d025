// Downloads: CSV beside JSON for every results table, by ?format=csv or
// Accept: text/csv; the stage-times-by-crew spreadsheet; document tables.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from '../testing/harness.ts';

const R = '/api/rallies/lakeshore-2026';

function csvRows(text: string): string[][] {
  return text.trimEnd().split('\r\n').map((l) => l.split(','));
}

describe('downloads as CSV and JSON', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('memory');
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
  });
  after(async () => { await s.close(); });

  test('results: ?format=csv and Accept: text/csv give the same CSV, one row per crew, in the JSON\'s order', async () => {
    const json = (await s.call('GET', `${R}/results?after=SS2`)).json().classification;
    const a = await s.call('GET', `${R}/results?after=SS2&format=csv`);
    assert.equal(a.statusCode, 200, a.body);
    assert.match(a.headers['content-type'] as string, /^text\/csv/);
    const b = await s.call('GET', `${R}/results?after=SS2`, undefined, undefined, { accept: 'text/csv' });
    assert.equal(b.body, a.body);
    const rows = csvRows(a.body);
    const car = rows[0]!.indexOf('car');
    const totalMs = rows[0]!.indexOf('total_ms');
    assert.ok(car >= 0 && totalMs >= 0, rows[0]!.join(','));
    assert.deepEqual(rows.slice(1).map((r) => Number(r[car])), json.rows.map((r: { car: number }) => r.car));
    const first = json.rows.find((r: { position: number | null }) => r.position === 1);
    assert.equal(Number(rows.find((r) => Number(r[car]) === first.car)![totalMs]), first.totalMs);
    // ETags differ between the two representations; a 304 comes back for each.
    assert.notEqual(a.headers.etag, (await s.call('GET', `${R}/results?after=SS2`)).headers.etag);
    assert.equal((await s.call('GET', `${R}/results?after=SS2&format=csv`, undefined, undefined, { 'if-none-match': a.headers.etag as string })).statusCode, 304);
  });

  test('stages and entries as CSV; a bad format or stage is a 400 naming it', async () => {
    const st = await s.call('GET', `${R}/stages/SS1?format=csv`);
    assert.equal(st.statusCode, 200);
    assert.match(st.body, /^stage,position,class_position,car,/);
    const en = await s.call('GET', `${R}/entries?format=csv`);
    assert.equal(en.statusCode, 200);
    assert.equal(csvRows(en.body).length - 1, (smallRallyFile().rally.entries as unknown[]).length);
    const bad = await s.call('GET', `${R}/results?format=xml`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().detail, /query\.format: "xml" is not a format here; use csv or json/);
    const badStage = await s.call('GET', `${R}/results?after=SS99&format=csv`);
    assert.equal(badStage.statusCode, 400);
    assert.match(badStage.json().detail, /SS99/);
  });

  test('stage times by crew: a column per stage, a row per crew, times as people read them; JSON holds the ms', async () => {
    const j = (await s.call('GET', `${R}/stage-times`)).json();
    const c = await s.call('GET', `${R}/stage-times?format=csv`);
    const rows = csvRows(c.body);
    assert.deepEqual(rows[0], ['position', 'car', 'driver', 'codriver', 'class', 'status', ...j.stages, 'penalty', 'total']);
    const ss1 = (await s.call('GET', `${R}/stages/SS1`)).json().stage.rows;
    for (const r of ss1.filter((x: { timeMs: number | null }) => x.timeMs !== null)) {
      const jr = j.rows.find((x: { car: number }) => x.car === r.car);
      assert.equal(jr.times[0], r.timeMs);
    }
  });

  test('document tables: penalties.csv and final-classification.json', async () => {
    const p = await s.call('GET', `${R}/tables/penalties.csv`);
    assert.equal(p.statusCode, 200);
    assert.match(p.body, /^Car,Driver \/ co-driver,What,Penalty,Rule\r\n/);
    const f = (await s.call('GET', `${R}/tables/final-classification.json`)).json();
    assert.equal(f.tables[0].heading, 'Overall');
    assert.equal((await s.call('GET', `${R}/tables/nothing.csv`)).statusCode, 404);
  });
});
