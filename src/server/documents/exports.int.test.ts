// Downloads: CSV beside JSON for every results table, by ?format=csv or
// Accept: text/csv; the stage-times-by-crew spreadsheet; document tables.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../testing/fixtures.ts';
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

  test('a crew\'s stages as CSV (the crew page\'s table): a row per stage with the JSON\'s times and places', async () => {
    const j = (await s.call('GET', `${R}/crews/1`)).json();
    const c = await s.call('GET', `${R}/crews/1?format=csv`);
    assert.equal(c.statusCode, 200, c.body);
    assert.match(c.headers['content-disposition'] as string, /lakeshore-2026-car-1\.csv/);
    const rows = csvRows(c.body);
    assert.deepEqual(rows[0], ['stage', 'name', 'status', 'time_ms', 'time', 'penalty_ms', 'stage_position', 'overall_position_after', 'class_position_after', 'gap_to_class_leader_ms', 'gap_to_class_leader']);
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[3] === '' ? null : Number(r[3])]), j.stages.map((x: { stage: string; timeMs: number | null }) => [x.stage, x.timeMs]));
    for (const p of j.progression as { after: string; position: number | null; gapToClassLeaderMs: number | null }[]) {
      const r = rows.find((x) => x[0] === p.after)!;
      assert.deepEqual([r[7] === '' ? null : Number(r[7]), r[9] === '' ? null : Number(r[9])], [p.position, p.gapToClassLeaderMs], p.after);
    }
    assert.equal((await s.call('GET', `${R}/crews/1`, undefined, undefined, { accept: 'text/csv' })).body, c.body);
    assert.equal((await s.call('GET', `${R}/crews/999?format=csv`)).statusCode, 404);
  });

  test('the stage-by-stage grid as CSV: a row per crew in the JSON\'s order, position and total after each complete stage', async () => {
    const j = (await s.call('GET', `${R}/grid`)).json();
    assert.ok(j.stages.length > 0);
    const rows = csvRows((await s.call('GET', `${R}/grid?format=csv`)).body);
    assert.deepEqual(rows[0]!.slice(0, 8), ['car', 'driver', 'codriver', 'class', `${j.stages[0]}_position`, `${j.stages[0]}_total_ms`, `${j.stages[0]}_total`, `${j.stages[0]}_status`]);
    assert.deepEqual(rows.slice(1).map((r) => Number(r[0])), j.rows.map((r: { car: number }) => r.car));
    for (const [i, row] of (j.rows as { cells: [number | null, number | null][] }[]).entries()) {
      row.cells.forEach((c, k) => {
        const cells = rows[i + 1]!;
        assert.deepEqual([cells[4 + 4 * k] === '' ? null : Number(cells[4 + 4 * k]), cells[5 + 4 * k] === '' ? null : Number(cells[5 + 4 * k])], [c[0], c[1]]);
      });
    }
  });

  test('a document of several tables: every table in one CSV (a table column, the union of the columns), or one table with ?table=n', async () => {
    const j = (await s.call('GET', `${R}/tables/final-classification.json`)).json();
    const headings = j.tables.map((t: { heading: string }) => t.heading);
    assert.ok(headings.includes('Not classified') && headings.length >= 3, headings.join(', '));
    const all = await s.call('GET', `${R}/tables/final-classification.csv`);
    assert.equal(all.statusCode, 200);
    const rows = csvRows(all.body);
    // The classification's columns, then what only the "not classified" table has.
    assert.deepEqual(rows[0], ['table', 'Pos', 'Car', 'Driver / co-driver', 'Class', 'Make and model', 'Stages', 'Pen', 'Total', 'Gap', 'Diff', 'Status', 'Reason']);
    const total = j.tables.reduce((a: number, t: { rows: unknown[] }) => a + t.rows.length, 0);
    assert.equal(rows.length - 1, total, 'every row of every table');
    for (const t of j.tables as { heading: string; rows: string[][] }[]) assert.equal(rows.filter((r) => r[0] === t.heading).length, t.rows.length, t.heading);
    const last = j.tables.length;
    const one = await s.call('GET', j.tables[last - 1].csv);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(csvRows(one.body)[0], ['Car', 'Driver / co-driver', 'Class', 'Status', 'Reason']);
    assert.equal(j.tables[last - 1].csv, `${R}/tables/final-classification.csv?table=${last}`);
    const bad = await s.call('GET', `${R}/tables/final-classification.csv?table=${last + 1}`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'query.table');
    assert.match(bad.json().detail, new RegExp(`has ${last} tables: 1 Overall`));
    const ret = csvRows((await s.call('GET', `${R}/tables/retirements.csv`)).body);
    assert.deepEqual(ret[0], ['table', 'Car', 'Driver / co-driver', 'Where', 'Reason', 'Restarted', 'Rule']);
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

describe('downloads of a rally with categories (Sno*Drift 2026: National and Regional)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('memory');
    const file = JSON.parse(readFileSync(fixturePath('fixtures/ara-2026-sno-drift.rally.json'), 'utf8'));
    assert.equal((await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
  });
  after(async () => { await s.close(); });

  test('?category=Regional&format=csv is the Regional classification, as the JSON gives it (not the National one)', async () => {
    const R2 = '/api/rallies/snodrift-2026';
    for (const cat of ['National', 'Regional']) {
      const json = (await s.call('GET', `${R2}/results?category=${cat}`)).json().classification;
      const csv = await s.call('GET', `${R2}/results?category=${cat}&format=csv`);
      assert.equal(csv.statusCode, 200, csv.body);
      const lines = csv.body.trimEnd().split('\r\n');
      const header = lines[0]!.split(',');
      const car = header.indexOf('car');
      // Each CSV line starts with the crew's position and car; compare the cars in order.
      const cars = lines.slice(1).map((l) => Number(l.split(',')[car])).filter((n) => Number.isInteger(n) && n > 0);
      assert.deepEqual(cars.slice(0, json.rows.length), json.rows.map((r: { car: number }) => r.car), cat);
    }
    assert.equal((await s.call('GET', `${R2}/results?category=Club&format=csv`)).statusCode, 400);
    // Stage times of one category: the same crews as the JSON.
    const st = (await s.call('GET', `${R2}/stages/SS1?category=Regional`)).json().stage.rows.map((r: { car: number }) => r.car);
    const stCsv = (await s.call('GET', `${R2}/stages/SS1?category=Regional&format=csv`)).body.trimEnd().split('\r\n').slice(1).map((l) => Number(l.split(',')[3]));
    assert.deepEqual(stCsv, st);
    assert.ok(st.length < 42, 'Regional crews only');
  });
});
