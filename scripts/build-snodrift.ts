// `npm run fixtures`: writes fixtures/ara-2026-sno-drift.rally.json, the demo
// rally (Sno*Drift 2026 as ARA published it, with illustrative times of day at
// the controls), from fixtures/real/ara-2026-sno-drift.json and the seeded
// builder in src/core/fixtures/snodrift-real.ts. The same input and seed give
// the same bytes (a test checks the committed file).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AraRallyFile } from '../src/core/import/ara.ts';
import { buildSnoDrift2026 } from '../src/core/fixtures/snodrift-real.ts';
import { parseRallyFile, serializeRallyFile, RALLY_FILE_FORMAT, RALLY_FILE_VERSION } from '../src/core/rallyfile/index.ts';

const source = JSON.parse(readFileSync(new URL('../fixtures/real/ara-2026-sno-drift.json', import.meta.url), 'utf8')) as AraRallyFile;
const target = fileURLToPath(new URL('../fixtures/ara-2026-sno-drift.rally.json', import.meta.url));
const { definition, facts } = buildSnoDrift2026(source);
const file = { format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: definition, facts } as const;
const check = parseRallyFile(JSON.parse(JSON.stringify(file)));
if (!check.ok) {
  console.error('the Sno*Drift 2026 demo is not a valid rally file:');
  for (const e of check.errors.slice(0, 30)) console.error(`  ${e.path}: ${e.message}`);
  process.exit(1);
}
writeFileSync(target, serializeRallyFile(file));
console.log(`wrote fixtures/ara-2026-sno-drift.rally.json: ${definition.entries.length} entries, ${definition.stages.length} stages, ${facts.length} facts`);
