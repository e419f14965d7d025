// `npm run fixtures`: writes fixtures/snodrift-2026.rally.json from the seeded
// generator in src/core/fixtures/snodrift.ts. Reads nothing; writes that one
// file. The same seed always gives the same bytes (a test checks the committed file).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSnodrift } from '../src/core/fixtures/snodrift.ts';
import { parseRallyFile, serializeRallyFile } from '../src/core/rallyfile/index.ts';

const target = fileURLToPath(new URL('../fixtures/snodrift-2026.rally.json', import.meta.url));
const file = generateSnodrift();
const check = parseRallyFile(JSON.parse(JSON.stringify(file)));
if (!check.ok) {
  console.error('the generated Sno*Drift fixture is not a valid rally file:');
  for (const e of check.errors.slice(0, 30)) console.error(`  ${e.path}: ${e.message}`);
  process.exit(1);
}
writeFileSync(target, serializeRallyFile(file));
const km = file.rally.stages.reduce((s, st) => s + st.distanceM, 0) / 1000;
console.log(`wrote fixtures/snodrift-2026.rally.json: ${file.rally.entries.length} entries, ${file.rally.stages.length} stages, ${(km / 1.609344).toFixed(1)} mi, ${file.facts.length} facts`);
