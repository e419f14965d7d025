// One suite for every history store (SQLite and PostgreSQL): imports the cited
// seeds and checks the answers against the sources, then bad lines, re-import,
// head-to-head, title runs and seasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCsvFile, importCsvText } from './csv-file.ts';
import { csvChunks, importRecords } from './importer.ts';
import { HistoryCsvReader, isRejection, type HistoryRecord, type Rejection } from '../../core/championship/history-records.ts';
import type { HistoryStore, ImportReport } from './types.ts';

const seed = (name: string): string => fileURLToPath(new URL(`../../../seeds/${name}`, import.meta.url));
const TODAY = '2026-11-26';
const HEADER = 'kind,event,year,date,class,position,driver,codriver,make,model,status,reason,source';

/** 60,200 good lines (602 editions of 100 finishers): more than one 50,000-row send on PostgreSQL. */
const BULK_LINES = 60_200;
function* bulkLines(prefix: string): Generator<string[]> {
  let chunk: string[] = [HEADER];
  for (let n = 0; n < BULK_LINES; n++) {
    const e = Math.floor(n / 100);
    chunk.push(`event,${prefix} ${e},2001,2001-05-01,overall,${(n % 100) + 1},${prefix} Driver ${n},,Make ${n % 7},,finished,,test`);
    if (chunk.length === 10_000) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** Fails the test when `p` has not settled after `ms` (a hang), else gives its outcome. */
async function settled<T>(p: Promise<T>, ms: number): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`import did not settle within ${ms / 1000} s`)), ms); });
  try {
    return await Promise.race([p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })), hang]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SuiteProbe {
  /** Which database the suite runs on: a few tests belong to one only. */
  kind: 'sqlite' | 'postgres';
  /** Connections to the test database (other than the probe's) still in a transaction. */
  openTransactions(): Promise<number>;
}

export function historyStoreSuite(open: () => Promise<HistoryStore>, probe: SuiteProbe): void {
  let store: HistoryStore;

  test('opens and migrates', async () => {
    store = await open();
    assert.ok((await store.classes()).some((c) => c.code === 'overall'));
  });

  test('imports the Monte Carlo 1964–1967 and Dakar 2012–2015 seeds with no rejected line', async () => {
    const mc = await importCsvFile(store, seed('history-monte-carlo-1964-1967.csv'), { today: TODAY });
    assert.deepEqual([mc.imported, mc.rejectedCount], [9, 0], JSON.stringify(mc.rejected));
    const dakar = await importCsvFile(store, seed('history-dakar-cars-2012-2015.csv'), { today: TODAY });
    assert.deepEqual([dakar.imported, dakar.rejectedCount], [10, 0], JSON.stringify(dakar.rejected));
  });

  test('Monte Carlo winners by year with the 1966 exclusions and their reason; Paddy Hopkirk\'s record (won 1964, excluded 1966 — BBC On This Day, 21 January 1966)', async () => {
    const w = await store.results({ event: 'monte carlo', winners: true });
    assert.deepEqual(w.filter((r) => r.position === 1).map((r) => [r.year, r.driver, r.make]),
      [[1964, 'Paddy Hopkirk', 'Mini'], [1965, 'Timo Mäkinen', 'Mini'], [1966, 'Pauli Toivonen', 'Citroën'], [1967, 'Rauno Aaltonen', 'Mini']]);
    const out = w.filter((r) => r.status === 'excluded');
    assert.deepEqual(out.map((r) => r.year), [1966, 1966, 1966, 1966, 1966]);
    assert.match(out.find((r) => r.driver === 'Timo Mäkinen')!.reason!, /headlamp dipping/);
    const hopkirk = await store.results({ person: 'paddy hopkirk' });
    assert.deepEqual(hopkirk.map((r) => [r.year, r.position, r.status]), [[1964, 1, 'finished'], [1966, null, 'excluded']]);
    // A co-driver's record too: Henry Liddon sat beside Hopkirk (1964, 1966) and Aaltonen (1967).
    assert.deepEqual((await store.results({ person: 'Henry Liddon' })).map((r) => r.year), [1964, 1966, 1967]);
    assert.ok((await store.eventNames()).includes('Monte Carlo Rally'));
  });

  test('a Mini won Monte Carlo 3 times in 1964–1967: 1964, 1965, 1967 (1966 Minis excluded, Toivonen classified winner — BBC On This Day)', async () => {
    const a = await store.stats({ by: 'make', event: 'Monte Carlo' });
    assert.deepEqual(a.events, ['Monte Carlo Rally']);
    assert.equal(a.rows.find((r) => r.key === 'Mini')?.wins, 3);
    assert.equal(a.rows.find((r) => r.key === 'Citroën')?.wins, 1);
    const drivers = await store.stats({ by: 'driver', event: 'monte carlo', metric: 'wins' });
    assert.equal(drivers.rows.find((r) => r.key === 'Pauli Toivonen')?.wins, 1);
    assert.equal(drivers.rows.some((r) => r.key === 'Timo Mäkinen' && r.wins === 1), true, 'Mäkinen: 1965 only');
    const starts = await store.stats({ by: 'driver', event: 'Monte Carlo', metric: 'starts' });
    assert.equal(starts.rows.find((r) => r.key === 'Timo Mäkinen')?.starts, 2, '1965 win and 1966 exclusion');
  });

  test('Mini won four Dakars in a row, 2012–2015 (motoring.com.au 2015: "fourth straight victory")', async () => {
    const s = await store.streaks({ by: 'make', event: 'Dakar' });
    assert.deepEqual(s[0] && [s[0].winner, s[0].length, s[0].from, s[0].to], ['Mini', 4, 2012, 2015]);
    const drivers = await store.streaks({ by: 'driver', event: 'Dakar' });
    assert.deepEqual(drivers.map((d) => [d.winner, d.length]), [['Stéphane Peterhansel', 2]]);
  });

  test('co-driver wins: Jean-Paul Cottret 2 (Dakar 2012, 2013); podiums by make on the Dakar: Mini 7 of the 10 seeded results', async () => {
    const co = await store.stats({ by: 'codriver', event: 'Dakar' });
    assert.equal(co.rows.find((r) => r.key === 'Jean-Paul Cottret')?.wins, 2);
    const pod = await store.stats({ by: 'make', event: 'Dakar', metric: 'podiums' });
    // Mini podiums: 2012 1st+2nd, 2013 1st+3rd, 2014 1st+2nd, 2015 1st = 7; Toyota 2012 3rd, 2013 2nd = 2.
    assert.equal(pod.rows.find((r) => r.key === 'Mini')?.podiums, 7);
    assert.equal(pod.rows.find((r) => r.key === 'Toyota')?.podiums, 2);
  });

  test('re-importing the same file adds nothing twice', async () => {
    const before = await store.counts();
    const again = await importCsvFile(store, seed('history-dakar-cars-2012-2015.csv'), { today: TODAY });
    assert.deepEqual([again.imported, again.alreadyStored, again.rejectedCount], [0, 10, 0]);
    assert.deepEqual(await store.counts(), before);
    const a = await store.stats({ by: 'make', event: 'Dakar' });
    assert.equal(a.rows.find((r) => r.key === 'Mini')?.wins, 4, 'tallies unchanged');
  });

  test('head-to-head Peterhansel vs Roma on the seeded Dakars: 2–1 (2012 1–2, 2013 1–4, 2014 2–1)', async () => {
    const h = await store.headToHead('Stéphane Peterhansel', 'Nani Roma');
    assert.deepEqual([h.meetings, h.aAhead, h.bAhead], [3, 2, 1]);
  });

  test('bad lines are reported by line with the reason; the good lines land', async () => {
    const csv = [
      HEADER,
      'event,Test Rally,2020,2020-05-01,overall,1,Ann A,Co A,Subaru,Impreza,finished,,test', // 2 good
      'event,Test Rally,2020,2020-05-01,overall,2,Bob B,Co B,Ford,Fiesta,finished,,test', // 3 good
      'event,Test Rally,2020,2020-05-01,Group Z,3,Cid C,Co C,Ford,Fiesta,finished,,test', // 4 unknown class
      'event,Test Rally,2020,2020-05-01,overall,2,Ann A,Co A,Subaru,Impreza,finished,,test', // 5 duplicate result
      'event,Test Rally,2020,2020-05-01,overall,2,Dan D,Co D,Audi,Quattro,finished,,test', // 6 position 2 taken
      'event,Test Rally,2020,2020-05-01,overall,5,Eve E,Co E,Audi,Quattro,finished,,test', // 7 gap: no 3rd
      'event,Other Rally,2015,2015-02-30,overall,1,Fay F,Co F,Audi,Quattro,finished,,test', // 8 impossible date
      'event,Other Rally,2015,2016-01-10,overall,1,Fay F,Co F,Audi,Quattro,finished,,test', // 9 date not in year
      'event,Test Rally,2020,2020-05-01,overall,,Gus G,Co G,Audi,Quattro,finished,,test', // 10 finished without position
      'event,Test Rally,2020,2020-05-01,overall,,Hal H,,Audi,Quattro,retired,gearbox,test', // 11 good (retired)
    ].join('\n');
    const r = await importCsvText(store, csv, { today: TODAY });
    assert.equal(r.imported, 3);
    assert.deepEqual(r.rejected.map((x) => [x.line, x.code]), [
      [4, 'unknown-class'], [5, 'duplicate-result'], [6, 'position-does-not-fit'], [7, 'position-does-not-fit'],
      [8, 'impossible-date'], [9, 'impossible-date'], [10, 'bad-position'],
    ]);
    assert.match(r.rejected[3]!.reason, /gap: no crew in position 3/);
    const again = await importCsvText(store, csv, { today: TODAY });
    assert.deepEqual([again.imported, again.alreadyStored], [0, 3]);
  });

  test('a later file that fills the gap lands: position 3 then 4 of Test Rally 2020', async () => {
    const r = await importCsvText(store, [HEADER,
      'event,Test Rally,2020,2020-05-01,overall,3,Ivy I,,Audi,Quattro,finished,,test',
      'event,Test Rally,2020,2020-05-01,overall,4,Jon J,,Audi,Quattro,finished,,test',
      'event,Test Rally,2020,2020-05-01,overall,1,Kim K,,Audi,Quattro,finished,,test'].join('\n'), { today: TODAY });
    assert.equal(r.imported, 2);
    assert.deepEqual(r.rejected.map((x) => x.code), ['position-does-not-fit']);
  });

  test('stage rows: stage wins by driver; titles and "four titles in five seasons"', async () => {
    const rows = [HEADER + ',stage,time'];
    rows.push('stage,Test Rally,2020,2020-05-01,overall,1,Ann A,,Subaru,,finished,,test,1,3:45.2');
    rows.push('stage,Test Rally,2020,2020-05-01,overall,2,Bob B,,Ford,,finished,,test,1,3:47.0');
    rows.push('stage,Test Rally,2020,2020-05-01,overall,1,Bob B,,Ford,,finished,,test,2,2:01.5');
    rows.push('stage,Test Rally,2020,2020-05-01,overall,1,Ann A,,Subaru,,finished,,test,3,bad');
    for (const [year, who] of [[2001, 'Ann A'], [2002, 'Ann A'], [2003, 'Bob B'], [2004, 'Ann A'], [2005, 'Ann A']] as const) {
      rows.push(`championship,Test Championship,${year},,drivers,1,${who},,Subaru,,finished,,test,,`);
    }
    const r = await importCsvText(store, rows.join('\n'), { today: TODAY });
    assert.deepEqual([r.imported, r.rejected.map((x) => [x.line, x.code])], [8, [[5, 'bad-time']]]);
    const sw = await store.stats({ by: 'driver', event: 'Test Rally', metric: 'stageWins' });
    assert.deepEqual(sw.rows.map((x) => [x.key, x.stageWins]), [['Ann A', 1], ['Bob B', 1]]);
    const titles = await store.stats({ by: 'driver', metric: 'titles' });
    assert.equal(titles.rows.find((x) => x.key === 'Ann A')?.titles, 4);
    const runs = await store.titleRuns({ by: 'driver', min: 4, window: 5 });
    assert.deepEqual(runs.map((x) => [x.winner, x.titles, x.from, x.to]), [['Ann A', 4, 2001, 2005]]);
  });

  test('a name with a quote, a backslash and a comma is stored and counted as written: Jean "JJ" O\\Brien, Jr.', async () => {
    const r = await importCsvText(store, [HEADER,
      'event,Quote Rally,2019,2019-04-01,overall,1,"Jean ""JJ"" O\\Brien, Jr.",,"Make ""Q""",,finished,,test'].join('\n'), { today: TODAY });
    assert.deepEqual([r.imported, r.rejectedCount], [1, 0], JSON.stringify(r.rejected));
    const wins = await store.stats({ by: 'driver', event: 'Quote Rally' });
    assert.deepEqual(wins.rows.map((x) => [x.key, x.wins]), [['Jean "JJ" O\\Brien, Jr.', 1]]);
    const makes = await store.stats({ by: 'make', event: 'Quote Rally' });
    assert.deepEqual(makes.rows.map((x) => x.key), ['Make "Q"']);
  });

  test('a name with a tab and a make with a backslash are counted as written (COPY text format escapes both)', async () => {
    const r = await importCsvText(store, [HEADER,
      'event,Tab Rally,2018,2018-04-01,overall,1,Ann\tTab,,Make\\Tab,,finished,,test'].join('\n'), { today: TODAY });
    assert.deepEqual([r.imported, r.rejectedCount], [1, 0], JSON.stringify(r.rejected));
    const wins = await store.stats({ by: 'driver', event: 'Tab Rally' });
    assert.deepEqual(wins.rows.map((x) => [x.key, x.wins]), [['Ann\tTab', 1]]);
    const makes = await store.stats({ by: 'make', event: 'Tab Rally' });
    assert.deepEqual(makes.rows.map((x) => x.key), ['Make\\Tab']);
  });

  test('a NUL in a name, a position or stage above 2147483647 and bytes that are not UTF-8 are bad lines; the good lines land', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rallyhq-bad-bytes-'));
    try {
      const file = join(dir, 'bad.csv');
      writeFileSync(file, Buffer.concat([Buffer.from([HEADER + ',stage,time',
        'event,Byte Rally,2017,2017-03-01,overall,1,Ann A,,Subaru,,finished,,test,,', // 2 good
        'event,Byte Rally,2017,2017-03-01,overall,2,Bad\u0000Name,,Ford,,finished,,test,,', // 3 NUL
        'event,Byte Rally,2017,2017-03-01,overall,3000000000,Cid C,,Ford,,finished,,test,,', // 4 position too large
        'stage,Byte Rally,2017,2017-03-01,overall,1,Ann A,,Subaru,,finished,,test,3000000000,3:45.2', // 5 stage too large
        'stage,Byte Rally,2017,2017-03-01,overall,1,Ann A,,Subaru,,finished,,test,1,3:45.2', // 6 good
        'event,Byte Rally,2017,2017-03-01,overall,2,Ren'].join('\n')), Buffer.from([0xe9]), // 7 Latin-1 é, not UTF-8
      Buffer.from([',,Renault,,finished,,test,,', 'event,Byte Rally,2017,2017-03-01,overall,2,Bob B,,Ford,,finished,,test,,', ''].join('\n'))])); // 8 good
      const r = await importCsvFile(store, file, { today: TODAY });
      assert.deepEqual(r.rejected.map((x) => [x.line, x.code]), [[3, 'control-character'], [4, 'bad-position'], [5, 'bad-stage'], [7, 'invalid-utf8']]);
      assert.equal(r.imported, 3);
      const wins = await store.stats({ by: 'driver', event: 'Byte Rally', metric: 'starts' });
      assert.deepEqual(wins.rows.map((x) => x.key).sort(), ['Ann A', 'Bob B']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Imports the bulk lines and then `tail`; the import must fail and leave nothing of it behind. */
  async function failedImportLeavesNothing(prefix: string, tail: (reader: HistoryCsvReader) => AsyncIterable<(HistoryRecord | Rejection)[]>, expected: RegExp): Promise<void> {
    const before = await store.counts();
    const backend = store.backend();
    const reader = new HistoryCsvReader({ knownClasses: await backend.knownClasses(), today: TODAY });
    async function* chunks(): AsyncGenerator<(HistoryRecord | Rejection)[]> {
      yield* csvChunks((async function* () { yield* bulkLines(prefix); })(), reader);
      yield* tail(reader);
    }
    const outcome = await settled<ImportReport>(importRecords(backend, chunks()), 30_000);
    assert.equal(outcome.ok, false, 'the import fails');
    if (!outcome.ok) assert.match(String(outcome.error), expected);
    assert.equal(await probe.openTransactions(), 0, 'no connection left in a transaction');
    assert.deepEqual(await store.counts(), before, 'nothing of the failed import is stored');
    assert.deepEqual((await store.stats({ by: 'driver', event: prefix })).rows, [], 'no tallies of the failed import');
    const mc = await store.stats({ by: 'make', event: 'Monte Carlo' });
    assert.equal(mc.rows.find((x) => x.key === 'Mini')?.wins, 3, 'earlier data intact');
    // The store still takes an import: an edition the failed import had begun.
    const again = await importCsvText(store, [HEADER, `event,${prefix} 0,2001,2001-05-01,overall,1,After Fail,,Make 1,,finished,,test`].join('\n'), { today: TODAY });
    assert.deepEqual([again.imported, again.rejectedCount], [1, 0], JSON.stringify(again.rejected));
  }

  test('an upload that breaks off after 60,200 good lines fails at once, keeps nothing of it and leaves no open transaction', async () => {
    const cut = (): AsyncIterable<(HistoryRecord | Rejection)[]> => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('upload aborted by the client')) }) });
    await failedImportLeavesNothing('Cut Rally', cut, /upload aborted/);
  });

  test('a row the database refuses after 60,200 good lines fails the import at once, keeps nothing of it and leaves no open transaction', async () => {
    // Built by hand, past the reader: a make the NOT NULL column refuses on either database.
    const refused = (reader: HistoryCsvReader): AsyncIterable<(HistoryRecord | Rejection)[]> => (async function* () {
      const rec = reader.read('event,Refused Rally Z,2002,2002-05-01,overall,1,Zed Z,,Placeholder,,finished,,test', BULK_LINES + 2);
      assert.ok(!isRejection(rec));
      yield [{ ...rec, make: null as unknown as string }];
    })();
    await failedImportLeavesNothing('Refused Rally', refused, /null|NOT NULL/i);
  });

  // SQLite stores a NUL, so this one is PostgreSQL's; the reader keeps NULs out of both.
  if (probe.kind === 'postgres') test('a NUL in a name that gets past the reader fails the import at once on PostgreSQL (not a hang) and leaves no open transaction', async () => {
    const nul = (reader: HistoryCsvReader): AsyncIterable<(HistoryRecord | Rejection)[]> => (async function* () {
      const rec = reader.read('event,Nul Rally Z,2002,2002-05-01,overall,1,Placeholder,,Make 1,,finished,,test', BULK_LINES + 2);
      assert.ok(!isRejection(rec));
      yield [{ ...rec, driver: 'Bad\u0000Name' }];
    })();
    await failedImportLeavesNothing('Nul Rally', nul, /0x00|invalid byte sequence/);
  });

  test('seasons and round results are stored and read back', async () => {
    const season = { id: 't-2026', series: { id: 't', name: 'T', body: 'test' }, year: 2026, name: 'T 2026', classes: [], rounds: [], championships: [], sources: {} };
    await store.putSeason(season, '2026-01-01T00:00:00Z');
    assert.deepEqual(await store.getSeason('t-2026'), season);
    await store.putRoundResult('t-2026', { round: 'r1', status: 'final', crews: [], source: 'x' }, '2026-01-01T00:00:00Z');
    await store.putRoundResult('t-2026', { round: 'r1', status: 'final', crews: [], source: 'y' }, '2026-01-02T00:00:00Z');
    assert.deepEqual((await store.roundResults('t-2026')).map((r) => r.source), ['y']);
    assert.equal(await store.getSeason('nope'), null);
  });

  test('closes', async () => {
    await store.close();
  });
}
