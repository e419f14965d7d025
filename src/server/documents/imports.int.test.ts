// Timing imports: preview before anything is written, quarantine of what
// cannot be read, re-import adds nothing, and a round trip of the demo rally's
// times through CSV gives identical results.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../testing/fixtures.ts';
import { pgSkipReason } from '../../testing/pg.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from '../testing/harness.ts';

// The demo rally (the real Sno*Drift 2026: National and Regional classified
// apart) and the generated 60-crew Sno*Drift (one classification, 3,500 times).
const ROUND_TRIPS = [
  { what: 'the demo rally (Sno*Drift 2026, two categories)', path: 'fixtures/ara-2026-sno-drift.rally.json', copyId: 'snodrift-demo-copy', minTimes: 1000, minClassified: 25 },
  { what: 'the generated Sno*Drift (60 crews)', path: 'fixtures/snodrift-2026.rally.json', copyId: 'snodrift-copy', minTimes: 3000, minClassified: 50 },
];

for (const rt of ROUND_TRIPS) describe(`CSV round trip of the times of ${rt.what} (memory store)`, () => {
  let s: TestServer;
  before(async () => { s = await startTestServer('memory'); });
  after(async () => { await s.close(); });

  test('times.csv, imported into the same rally without its times, gives identical results: every category, every class, every stage', async () => {
    const file = JSON.parse(readFileSync(fixturePath(rt.path), 'utf8'));
    const id = file.rally.id as string;
    assert.equal((await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN)).statusCode, 201);
    const csv = (await s.call('GET', `/api/rallies/${id}/times.csv`)).body;
    // Every time of day that stands: a time replaced by a correction is not exported, its replacement is.
    const superseded = new Set(file.facts.map((f: { supersedes?: string }) => f.supersedes).filter(Boolean));
    const standing = file.facts.filter((f: { type: string; id: string }) => f.type === 'controlTime' && !superseded.has(f.id)).length;
    assert.ok(standing > rt.minTimes);
    assert.equal(csv.split('\r\n').filter(Boolean).length - 1, standing);
    // The same rally with every fact but its times of day, under another id.
    const copy = { ...file, rally: { ...file.rally, id: rt.copyId }, facts: file.facts.filter((f: { type: string }) => f.type !== 'controlTime') };
    assert.equal((await s.call('POST', '/api/rallies/import', copy, ADMIN_TOKEN)).statusCode, 201);
    const officer = await s.token('officer', rt.copyId);
    const preview = (await s.call('POST', `/api/rallies/${rt.copyId}/imports/preview`, { kind: 'times-of-day', text: csv }, officer)).json();
    assert.deepEqual(preview.counts, { adds: standing, skips: 0, conflicts: 0, unreadable: 0 });
    const done = await s.call('POST', `/api/rallies/${rt.copyId}/imports`, { kind: 'times-of-day', text: csv, name: 'times.csv', confirm: true }, officer);
    assert.equal(done.statusCode, 201, done.body);
    const row = (r: Record<string, unknown>) => [r.car, r.position, r.classPosition, r.totalMs, r.penaltyMs, r.status];
    const categories: (string | undefined)[] = (file.rally.categories as { code: string }[] | undefined)?.map((c) => c.code) ?? [undefined];
    let classified = 0;
    for (const category of categories) {
      const q = category ? `?category=${category}` : '';
      const a = (await s.call('GET', `/api/rallies/${id}/results${q}`)).json().classification;
      const b = (await s.call('GET', `/api/rallies/${rt.copyId}/results${q}`)).json().classification;
      classified += a.rows.filter((r: { position: number | null }) => r.position !== null).length;
      assert.deepEqual(b.rows.map(row), a.rows.map(row), category ?? 'overall');
      for (const cls of (file.rally.classes as { code: string }[]).map((c) => c.code)) {
        const cq = `${q ? `${q}&` : '?'}class=${cls}`;
        const x = (await s.call('GET', `/api/rallies/${id}/results${cq}`)).json().classification.rows.map(row);
        const y = (await s.call('GET', `/api/rallies/${rt.copyId}/results${cq}`)).json().classification.rows.map(row);
        assert.deepEqual(y, x, `${category ?? ''} ${cls}`);
      }
    }
    assert.ok(classified > rt.minClassified, `${classified} crews classified`);
    for (const category of categories) {
      const q = category ? `?category=${category}` : '';
      for (const stage of (file.rally.stages as { code: string }[]).map((x) => x.code)) {
        const x = (await s.call('GET', `/api/rallies/${id}/stages/${stage}${q}`)).json().stage.rows.map((r: Record<string, unknown>) => [r.car, r.timeMs, r.status]);
        const y = (await s.call('GET', `/api/rallies/${rt.copyId}/stages/${stage}${q}`)).json().stage.rows.map((r: Record<string, unknown>) => [r.car, r.timeMs, r.status]);
        assert.deepEqual(y, x, `${stage} ${category ?? ''}`);
      }
    }
    // Re-importing the same file adds nothing: every line is a skip.
    const again = await s.call('POST', `/api/rallies/${rt.copyId}/imports`, { kind: 'times-of-day', text: csv, confirm: true }, officer);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().stored, 0);
    assert.deepEqual(again.json().counts, { adds: 0, skips: standing, conflicts: 0, unreadable: 0 });
  });
});

const pgSkip = await pgSkipReason();
for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  const skip = kind === 'postgres' ? pgSkip : null;
  describe(`timing import with preview and quarantine (${kind})`, () => {
    let s: TestServer | undefined;
    let officer: string;
    const R = '/api/rallies/lakeshore-2026';
    before(async () => {
      if (skip) return;
      s = await startTestServer(kind);
      const file = smallRallyFile();
      assert.equal((await s.call('POST', '/api/rallies/import', { ...file, facts: [] }, ADMIN_TOKEN)).statusCode, 201);
      officer = await s.token('officer', 'lakeshore-2026');
    });
    after(async () => { await s?.close(); });

    test('a clock file with three bad lines: preview names them by line and why; nothing is stored until confirmed; they go to the quarantine', { skip: skip ?? false }, async () => {
      const def = smallRallyFile().rally as unknown as { legs: { date: string; sections: { controls: { id: string; kind: string }[] }[] }[] };
      const finish = def.legs[0]!.sections.flatMap((x) => x.controls).find((c) => c.kind === 'SS_FINISH')!.id;
      const date = def.legs[0]!.date;
      // Columns in another order and named otherwise, mapped by the user; `;` separated.
      const text = [
        'Time;Door;Point;Clock',
        `${date}T10:05:01.2;1;${finish};clock-A`,
        `${date}T10:06:11.9;2;${finish};clock-A`,
        `${date}T10:07:xx;3;${finish};clock-A`,
        `${date}T10:08:30.0;three;${finish};clock-A`,
        `${date}T10:09:41.5;4;NOPE9;clock-A`,
        `${date}T10:10:02.0;5;${finish};clock-A`,
      ].join('\n');
      const mapping = { car: 'Door', control: 'Point', time: 'Time', device: 'Clock', separator: ';' };
      const before = (await s!.call('GET', `${R}/facts`)).json().lastSeq;
      const p = await s!.call('POST', `${R}/imports/preview`, { kind: 'times-of-day', text, mapping }, officer);
      assert.equal(p.statusCode, 200, p.body);
      const preview = p.json();
      assert.deepEqual(preview.counts, { adds: 3, skips: 0, conflicts: 0, unreadable: 3 });
      assert.deepEqual(preview.unreadable.map((u: { line: number }) => u.line), [4, 5, 6]);
      assert.match(preview.unreadable[0].why, /time ".*10:07:xx" is not a time of day/);
      assert.match(preview.unreadable[1].why, /car "three" is not a car number/);
      assert.match(preview.unreadable[2].why, /NOPE9/);
      assert.equal((await s!.call('GET', `${R}/facts`)).json().lastSeq, before, 'the preview stored nothing');
      assert.equal((await s!.call('GET', `${R}/imports/mapping?kind=times-of-day`, undefined, officer)).json().saved, false);

      const [c1, c2] = await Promise.all([1, 2].map(() => s!.call('POST', `${R}/imports`, { kind: 'times-of-day', text, mapping, name: 'clock-A.csv', confirm: true }, officer)));
      assert.deepEqual([c1!.statusCode, c2!.statusCode].sort(), [200, 201].sort().length === 2 ? [c1!.statusCode, c2!.statusCode].sort() : []);
      const log = (await s!.call('GET', `${R}/facts`)).json();
      assert.equal(log.lastSeq, before + 3, 'two concurrent confirms store the three good lines once');
      assert.deepEqual(log.facts.map((f: { fact: { car: number; device?: string } }) => [f.fact.car, f.fact.device]), [[1, 'clock-A'], [2, 'clock-A'], [5, 'clock-A']]);
      const saved = (await s!.call('GET', `${R}/imports/mapping?kind=times-of-day`, undefined, officer)).json();
      assert.deepEqual(saved, { rallyId: 'lakeshore-2026', kind: 'times-of-day', mapping, saved: true });

      const q = (await s!.call('GET', `${R}/imports/quarantine`, undefined, officer)).json().items;
      assert.deepEqual(q.map((i: { line: number }) => i.line).sort(), [4, 5, 6]);
      // The desk fixes line 5 (car 3 misread) and dismisses line 6.
      const l5 = q.find((i: { line: number }) => i.line === 5);
      const fixed = await s!.call('POST', `${R}/imports/quarantine/${l5.qid}/resolve`, { reason: 'car 3 on the time card', fact: { id: 'fix-l5', type: 'controlTime', car: 3, control: finish, at: `${date}T10:08:30.0` } }, officer);
      assert.equal(fixed.statusCode, 200, fixed.body);
      const l6 = q.find((i: { line: number }) => i.line === 6);
      assert.equal((await s!.call('POST', `${R}/imports/quarantine/${l6.qid}/resolve`, { reason: 'test line from the clock' }, officer)).statusCode, 200);
      const after = (await s!.call('GET', `${R}/imports/quarantine`, undefined, officer)).json().items;
      assert.deepEqual(after.filter((i: { resolved: unknown }) => !i.resolved).map((i: { line: number }) => i.line), [4]);

      // The saved mapping is used when none is sent; the same file again adds nothing and quarantines nothing new.
      const again = await s!.call('POST', `${R}/imports`, { kind: 'times-of-day', text, confirm: true }, officer);
      assert.equal(again.json().stored, 0);
      assert.equal(again.json().counts.skips, 3);
      assert.equal(again.json().quarantined, 0);
    });

    test('a stage-times export: a different time already in the log is a conflict, not written', { skip: skip ?? false }, async () => {
      const text = readFileSync(fixturePath('docs/samples/stage-times.csv'), 'utf8').replaceAll('SS1', 'SS2');
      const mapping = { car: 'Car No', stage: 'Stage', time: 'Stage time', device: 'Unit', separator: ';', source: 'rallysafe' };
      const first = await s!.call('POST', `${R}/imports`, { kind: 'stage-times', text, mapping, confirm: true }, officer);
      assert.equal(first.statusCode, 201, first.body);
      assert.deepEqual(first.json().counts, { adds: 3, skips: 0, conflicts: 0, unreadable: 0 });
      const changed = text.replace('3:47.9', '3:48.9');
      const p = (await s!.call('POST', `${R}/imports/preview`, { kind: 'stage-times', text: changed, mapping }, officer)).json();
      assert.deepEqual(p.counts, { adds: 0, skips: 2, conflicts: 1, unreadable: 0 });
      assert.match(p.conflicts[0].why, /the log has 3:47\.9 for car 3 at SS2.*this line says 3:48\.9/);
      const r = (await s!.call('POST', `${R}/imports`, { kind: 'stage-times', text: changed, mapping, confirm: true }, officer)).json();
      assert.equal(r.stored, 0);
      assert.equal(r.quarantined, 1);
    });

    test('confirm is required; a timekeeper cannot import; a missing column is named', { skip: skip ?? false }, async () => {
      const r = await s!.call('POST', `${R}/imports`, { kind: 'times-of-day', text: 'car,control,time\n' }, officer);
      assert.equal(r.statusCode, 400);
      assert.match(r.json().detail, /confirm/);
      const tk = await s!.token('timekeeper', 'lakeshore-2026', ['SS1F']);
      assert.equal((await s!.call('POST', `${R}/imports/preview`, { kind: 'times-of-day', text: 'car,control,time\n' }, tk)).statusCode, 403);
      const p = (await s!.call('POST', `${R}/imports/preview`, { kind: 'times-of-day', text: 'Car,Where,When\n1,SS1F,10:00\n', mapping: { car: 'Car', control: 'Point', time: 'When' } }, officer)).json();
      assert.match(p.unreadable[0].why, /no column "Point" for the control; columns are "Car", "Where", "When"/);
    });
  });
}
