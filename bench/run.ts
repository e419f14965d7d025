// `npm run bench [name…]`: runs every bench/*.bench.ts (or the named ones).
// Each benchmark prints its figure beside a baseline measured in the same run,
// so a ratio stays honest on a noisy machine. Benchmarks are never tests.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  /** e.g. `median 4.2 ms`, `5,800 facts/s`. */
  figure: string;
  baseline?: string;
  /** figure / baseline, when both are comparable numbers. */
  ratio?: number;
  target?: string;
  met?: boolean;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.startsWith(o)))).sort();
const all: BenchResult[] = [];
for (const f of files) {
  console.log(`\n== ${f}`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: () => Promise<BenchResult[]> };
  const results = await mod.default();
  for (const r of results) {
    all.push(r);
    console.log(`  ${r.name}: ${r.figure}${r.baseline ? `  | baseline ${r.baseline}` : ''}${r.ratio !== undefined ? `  | ratio ${r.ratio.toFixed(2)}` : ''}${r.target ? `  | target ${r.target} ${r.met ? 'MET' : 'NOT MET'}` : ''}`);
  }
}
console.log('\nsummary');
console.table(all.map((r) => ({ name: r.name, figure: r.figure, baseline: r.baseline ?? '', target: r.target ?? '', met: r.met ?? '' })));
process.exit(0);
