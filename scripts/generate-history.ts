// Seeded synthetic history for scale tests and benchmarks: events of ~200
// crews over 10 stages, one overall classification each, stage results for
// every crew, and one championship per season. Same seed, same history.
//   node --import tsx scripts/generate-history.ts [--rows 10000000] [--seed 1] [--db sqlite:data/history-synthetic.db]
// Writes through the same importer as `rallyhq history import` (checks,
// natural keys, tallies), in big transactions (SQLite) or COPY FROM STDIN
// (PostgreSQL). Names are invented ("Driver 0042"), never real people.
import { parseArgs } from 'node:util';
import type { HistoryRecord } from '../src/core/championship/history-records.ts';
import { mulberry32 } from '../src/core/fixtures/prng.ts';
import { importRecords } from '../src/store/history/importer.ts';
import { openHistoryStore } from '../src/store/history/open-history.ts';
import type { ImportReport } from '../src/store/history/types.ts';

export interface SyntheticOptions {
  /** Stage results to make (the total rows are a little more: event and championship results). */
  stageRows: number;
  seed: number;
  carsPerEvent?: number;
  stagesPerEvent?: number;
}

const MAKES = ['Alpine', 'Audi', 'BMW', 'Citroën', 'Datsun', 'Fiat', 'Ford', 'Hyundai', 'Lancia', 'Mazda', 'Mini', 'Mitsubishi', 'Opel', 'Peugeot', 'Porsche', 'Renault', 'Saab', 'Škoda', 'Subaru', 'Toyota', 'Volkswagen', 'Volvo'];
const CLASSES = ['RC1', 'RC2', 'RC3', 'RC4', 'RC5'];
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

interface Crew { driver: string; codriver: string; make: string; model: string; cls: string; skill: number }

/** Yields the synthetic history in chunks of records, edition by edition. */
export async function* syntheticHistory(o: SyntheticOptions): AsyncGenerator<HistoryRecord[]> {
  const random = mulberry32(o.seed);
  const cars = o.carsPerEvent ?? 200;
  const stages = o.stagesPerEvent ?? 10;
  const editions = Math.max(1, Math.ceil(o.stageRows / (cars * stages)));
  const eventNames = Math.max(1, Math.min(100, Math.ceil(editions / 50)));
  const years = Math.ceil(editions / eventNames);
  const crewCount = Math.max(cars, Math.min(5000, cars * 25));
  const crews: Crew[] = Array.from({ length: crewCount }, (_, i) => ({
    driver: `Driver ${pad(i, 4)}`, codriver: `Co-driver ${pad(i, 4)}`,
    make: MAKES[Math.floor(random() * MAKES.length)]!, model: `Model ${1 + Math.floor(random() * 5)}`,
    cls: CLASSES[Math.floor(random() * CLASSES.length)]!, skill: random(),
  }));
  let made = 0;
  const source = 'synthetic (scripts/generate-history.ts)';
  // NOTE: records are built as plain literals; object spread here made generation 40× slower.
  const record = (kind: HistoryRecord['kind'], event: string, year: number, date: string, cls: string, position: number | null, crew: Crew, status: HistoryRecord['status'], stage: number | null, timeMs: number | null, full: boolean): HistoryRecord => ({
    line: 0, kind, event, year, date, class: cls, position, driver: crew.driver, codriver: full ? crew.codriver : null, make: crew.make, model: full ? crew.model : null,
    status, reason: status === 'retired' ? 'synthetic retirement' : null, source, stage, timeMs,
  });
  for (let y = 0; y < years && made < o.stageRows; y++) {
    const year = 1970 + y;
    const seasonPoints = new Map<number, number>();
    for (let e = 0; e < eventNames && made < o.stageRows; e++) {
      const event = `Synthetic Rally ${pad(e + 1, 3)}`;
      const date = `${year}-${pad(1 + (e % 12), 2)}-${pad(1 + (e % 28), 2)}`;
      const start = Math.floor(random() * crewCount);
      const stride = 1 + 2 * Math.floor(random() * 7);
      const field = Array.from({ length: cars }, (_, i) => (start + i * stride) % crewCount);
      const uniq = [...new Set(field)];
      const totals = new Map<number, number>();
      const out: HistoryRecord[] = [];
      const retired = new Set(uniq.filter(() => random() < 0.08));
      for (let s = 1; s <= stages; s++) {
        const times = uniq.map((c) => ({ c, ms: Math.round((300_000 + crews[c]!.skill * 60_000 + random() * 30_000) / 100) * 100 }));
        times.sort((a, b) => a.ms - b.ms || a.c - b.c);
        times.forEach((t, i) => {
          totals.set(t.c, (totals.get(t.c) ?? 0) + t.ms);
          const crew = crews[t.c]!;
          out.push(record('stage', event, year, date, 'overall', i + 1, crew, 'finished', s, t.ms, false));
        });
        made += times.length;
      }
      const finishers = uniq.filter((c) => !retired.has(c)).sort((a, b) => totals.get(a)! - totals.get(b)! || a - b);
      finishers.forEach((c, i) => {
        const crew = crews[c]!;
        out.push(record('event', event, year, date, 'overall', i + 1, crew, 'finished', null, null, true));
        if (i < 10) seasonPoints.set(c, (seasonPoints.get(c) ?? 0) + [25, 18, 15, 12, 10, 8, 6, 4, 2, 1][i]!);
      });
      for (const c of retired) {
        const crew = crews[c]!;
        out.push(record('event', event, year, date, 'overall', null, crew, 'retired', null, null, true));
      }
      yield out;
    }
    const table = [...seasonPoints.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3);
    yield table.map(([c], i) => record('championship', 'Synthetic Championship', year, `${year}-12-01`, 'drivers', i + 1, crews[c]!, 'finished', null, null, true));
  }
}

/** Generates into the database at `url`; returns the import report. */
export async function generateInto(url: string, o: SyntheticOptions, onProgress?: (imported: number) => void): Promise<ImportReport> {
  const store = await openHistoryStore(url);
  try {
    return await importRecords(store.backend(), syntheticHistory(o), { progressEvery: 500_000, ...(onProgress ? { onProgress: (p) => onProgress(p.imported) } : {}) });
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, seed: { type: 'string' }, db: { type: 'string' } } });
  const rows = Number(values.rows ?? 10_000_000);
  const seed = Number(values.seed ?? 1);
  const db = values.db ?? 'sqlite:data/history-synthetic.db';
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(seed)) {
    console.error('usage: generate-history.ts [--rows N] [--seed N] [--db URL]  (N whole numbers ≥ 1)');
    process.exit(2);
  }
  console.log(`generating ${rows.toLocaleString('en-US')} synthetic stage results (seed ${seed}) into ${db.replace(/:[^:@/]*@/, ':***@')}`);
  const report = await generateInto(db, { stageRows: rows, seed }, (n) => process.stderr.write(`\r${n.toLocaleString('en-US')} rows`));
  process.stderr.write('\n');
  console.log(`${report.imported.toLocaleString('en-US')} rows in ${(report.elapsedMs / 1000).toFixed(1)} s (${report.rowsPerSecond.toLocaleString('en-US')} rows/s), ${report.rejectedCount} rejected`);
}
