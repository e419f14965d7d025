// Reading history CSV lines: each bad line gives its reason; batches find duplicates and positions that do not fit.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HistoryCsvReader, checkBatch, isRejection, splitCsvLine, type HistoryRecord, type Rejection } from './history-records.ts';
import { winStreaks, titleRuns } from './streaks.ts';

const HEADER = 'kind,event,year,date,class,position,driver,codriver,make,model,status,reason,source,stage,time';
const reader = (): HistoryCsvReader => {
  const r = new HistoryCsvReader({ knownClasses: new Set(['overall', 'cars', 'RC2']), today: '2026-11-26' });
  assert.equal(r.header(HEADER), null);
  return r;
};
const code = (x: HistoryRecord | Rejection): string => (isRejection(x) ? x.code : 'ok');

describe('history CSV lines', () => {
  test('a good line reads with its fields; class matched case-insensitively (rc2 → RC2)', () => {
    const r = reader().read('event,Test Rally,2020,2020-05-01,rc2,1,Ann A,Co A,Subaru,Impreza,finished,,"src, with comma",,', 2);
    assert.ok(!isRejection(r));
    assert.equal(r.class, 'RC2');
    assert.equal(r.source, 'src, with comma');
  });

  for (const [line, expected, why] of [
    ['event,T,2020,2020-02-30,overall,1,A,,M,,finished,,s,,', 'impossible-date', '30 February'],
    ['event,T,2020,2021-01-01,overall,1,A,,M,,finished,,s,,', 'impossible-date', 'date not in the year'],
    ['event,T,2030,2030-01-01,overall,1,A,,M,,finished,,s,,', 'impossible-date', 'after today'],
    ['event,T,1850,,overall,1,A,,M,,finished,,s,,', 'bad-year', 'before 1894'],
    ['event,T,2020,,Group Z,1,A,,M,,finished,,s,,', 'unknown-class', 'class not known'],
    ['event,T,2020,,overall,0,A,,M,,finished,,s,,', 'bad-position', 'position 0'],
    ['event,T,2020,,overall,,A,,M,,finished,,s,,', 'bad-position', 'finished without a position'],
    ['event,T,2020,,overall,3,A,,M,,excluded,,s,,', 'bad-position', 'excluded with a position'],
    ['event,T,2020,,overall,1,A,,M,,won,,s,,', 'unknown-status', 'status won'],
    ['event,T,2020,,overall,1,,,M,,finished,,s,,', 'missing-field', 'no driver'],
    ['event,T,2020,,overall,1,A,,M,,finished,,s', 'wrong-field-count', 'fields missing'],
    ['stage,T,2020,,overall,1,A,,M,,finished,,s,,3:45.2', 'bad-stage', 'stage row without a stage'],
    ['stage,T,2020,,overall,1,A,,M,,finished,,s,2,3:4x', 'bad-time', 'unreadable stage time'],
    ['lap,T,2020,,overall,1,A,,M,,finished,,s,,', 'unknown-kind', 'kind lap'],
  ] as const) {
    test(`rejects ${why} → ${expected}`, () => assert.equal(code(reader().read(line, 7)), expected));
  }

  // Numbers beyond the 32-bit columns (stage, position, time) and characters a database refuses or that mark
  // a decoding error are rejected by the reader, so SQLite and PostgreSQL take and refuse the same lines.
  for (const [line, expected, column, why] of [
    ['event,T,2020,,overall,3000000000,A,,M,,finished,,s,,', 'bad-position', /position 3000000000 is above 2147483647/, 'position 3000000000'],
    ['stage,T,2020,,overall,1,A,,M,,finished,,s,3000000000,3:45.2', 'bad-stage', /stage 3000000000 is above 2147483647/, 'stage 3000000000'],
    ['stage,T,2020,,overall,1,A,,M,,finished,,s,1,600:00:00', 'bad-time', /longer than the longest stage time/, 'a 600-hour stage time'],
    ['event,T,2020,,overall,1,Bad\u0000Name,,M,,finished,,s,,', 'control-character', /'driver' holds the control character U\+0000/, 'a NUL in the driver'],
    ['event,T\u0007,2020,,overall,1,A,,M,,finished,,s,,', 'control-character', /'event' holds the control character U\+0007/, 'a BEL in the event'],
    ['event,T,2020,,overall,1,A,,M,Model\u0085,finished,,s,,', 'control-character', /'model' holds the control character U\+0085/, 'a C1 control in the model'],
    ['event,T,2020,,overall,1,A,"Co\rB",M,,finished,,s,,', 'control-character', /'codriver' holds the control character U\+000D/, 'a carriage return inside a quoted co-driver'],
    ['event,T,2020,,overall,1,A,,Citro\uFFFDn,,finished,,s,,', 'invalid-utf8', /'make' holds bytes that are not UTF-8/, 'U+FFFD (bytes that were not UTF-8) in the make'],
  ] as const) {
    test(`rejects ${why} → ${expected}, naming the column`, () => {
      const r = reader().read(line, 9);
      assert.ok(isRejection(r), 'rejected');
      assert.deepEqual([r.line, r.code], [9, expected]);
      assert.match(r.reason, column);
    });
  }

  test('the largest stored position and stage (2147483647) still read; a tab in a name is kept', () => {
    const r = reader().read('stage,T,2020,,overall,2147483647,Ann\tTab,,M,,finished,,s,2147483647,3:45.2', 3);
    assert.ok(!isRejection(r), JSON.stringify(r));
    assert.deepEqual([r.position, r.stage, r.driver], [2147483647, 2147483647, 'Ann\tTab']);
  });

  test('invalid UTF-8 bytes in a file become U+FFFD when decoded, and that line is rejected', () => {
    const line = Buffer.concat([Buffer.from('event,T,2020,,overall,1,Ren'), Buffer.from([0xe9]), Buffer.from(',,M,,finished,,s,,')]).toString('utf8');
    assert.equal(code(reader().read(line, 4)), 'invalid-utf8');
  });

  test('a header without the required columns is rejected naming them', () => {
    const r = new HistoryCsvReader({ knownClasses: new Set(['overall']), today: '2026-01-01' });
    const bad = r.header('event,year,driver,colour');
    assert.equal(bad?.code, 'bad-header');
    assert.match(bad!.reason, /missing column\(s\) date, class, make, status; unknown column\(s\) colour/);
  });

  test('splitCsvLine keeps quoted commas and doubled quotes', () => {
    assert.deepEqual(splitCsvLine('a,"b, c","say ""hi""",'), ['a', 'b, c', 'say "hi"', '']);
  });
});

describe('batches', () => {
  const rec = (line: number, driver: string, position: number | null, extra: Partial<HistoryRecord> = {}): HistoryRecord => ({
    line, kind: 'event', event: 'T', year: 2020, date: '', class: 'overall', position, driver, codriver: null, make: 'M', model: null,
    status: position === null ? 'retired' : 'finished', reason: null, source: null, stage: null, timeMs: null, ...extra,
  });

  test('positions 1, 2, 2, 4: the second 2 does not fit (taken), 4 leaves a gap at 3', () => {
    const o = checkBatch([rec(2, 'A', 1), rec(3, 'B', 2), rec(4, 'C', 2), rec(5, 'D', 4)], new Map(), new Map());
    assert.deepEqual(o.accepted.map((r) => r.line), [2, 3]);
    assert.deepEqual(o.rejected.map((r) => [r.line, r.code]), [[4, 'position-does-not-fit'], [5, 'position-does-not-fit']]);
  });

  test('property: any permutation of positions 1..n is accepted whole', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.shuffledSubarray([...Array(n).keys()].map((i) => i + 1), { minLength: n, maxLength: n })), (order) => {
      const o = checkBatch(order.map((p, i) => rec(i + 2, `D${p}`, p)), new Map(), new Map());
      return o.accepted.length === order.length && o.rejected.length === 0;
    }), { numRuns: 100 });
  });

  test('property: removing one position p < n from 1..n rejects exactly the crews placed after p', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }))), ([n, gap]) => {
      const recs = [...Array(n).keys()].map((i) => i + 1).filter((p) => p !== gap).map((p, i) => rec(i + 2, `D${p}`, p));
      const o = checkBatch(recs, new Map(), new Map());
      return o.rejected.length === n - gap && o.rejected.every((r) => r.code === 'position-does-not-fit');
    }), { numRuns: 100 });
  });
});

describe('streaks and title runs', () => {
  test('Mini 2012–2015 is a four-win streak; 2011 Volkswagen and 2016 Peugeot break it (Dakar)', () => {
    const wins = [[2011, 'Volkswagen'], [2012, 'Mini'], [2013, 'Mini'], [2014, 'Mini'], [2015, 'Mini'], [2016, 'Peugeot']].map(([year, winner]) => ({ event: 'Dakar Rally', class: 'cars', year: year as number, winner: winner as string }));
    const s = winStreaks(wins, 2);
    assert.deepEqual(s.map((x) => [x.winner, x.length, x.from, x.to]), [['Mini', 4, 2012, 2015]]);
  });

  test('a cancelled edition (no 2008 Dakar) does not break a streak: 2007 and 2009 are consecutive editions', () => {
    const s = winStreaks([{ event: 'D', class: 'cars', year: 2007, winner: 'X' }, { event: 'D', class: 'cars', year: 2009, winner: 'X' }], 2);
    assert.equal(s[0]?.length, 2);
  });

  test('four titles in five seasons: A wins 2001, 2002, 2004, 2005; B 2003', () => {
    const titles = [[2001, 'A'], [2002, 'A'], [2003, 'B'], [2004, 'A'], [2005, 'A'], [2006, 'B']].map(([year, winner]) => ({ championship: 'C', year: year as number, winner: winner as string }));
    const runs = titleRuns(titles, 4, 5);
    assert.deepEqual(runs.map((r) => [r.winner, r.titles, r.years]), [['A', 4, [2001, 2002, 2004, 2005]]]);
    assert.equal(titleRuns(titles, 5, 5).length, 0);
  });
});
