// What the command line prints for the Sno*Drift 2026 fixture's stories
// (docs/rally-file.md): car 45 retires on SS6 and restarts at leg 2 under
// Super Rally; car 47 retires for good on SS5; car 52 is excluded; car 31's
// photocell jump start on SS3 is decided by the Clerk (10 s under the ARA
// preset, which assumes the FIA values — rally-rules §3.2, unconfirmed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../main.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILE = 'fixtures/snodrift-2026.rally.json';

async function rallyhq(...args: string[]): Promise<string> {
  let out = '', err = '';
  const code = await runCli(args, { out: (t) => void (out += t), err: (t) => void (err += t), cwd: ROOT });
  assert.equal(code, 0, err);
  return out;
}

test('results: car 45 under "Restarted under Super Rally", car 47 under "Retired" with where and why (rally-rules §4.2)', async () => {
  const out = await rallyhq('results', FILE);
  const restarted = out.slice(out.indexOf('\nRestarted under Super Rally\n'), out.indexOf('\nRetired\n'));
  const retired = out.slice(out.indexOf('\nRetired\n'), out.indexOf('\nExcluded\n'));
  assert.ok(out.indexOf('\nRestarted under Super Rally\n') > 0 && out.indexOf('\nRetired\n') > 0, out);
  assert.match(restarted, /\n\s+45 {2}P\. Lachance \/ M\. Osterberg, retired at SS6: Went off into a snowbank/);
  assert.match(restarted, /restarted at L2A\s+\(Saturday loop 1\)/);
  assert.match(retired, /\n\s+47 {2}D\. Zielinski \/ Z\. Vandermolen, at SS5: Engine failure/);
  assert.match(retired, /\(permanent\)/);
  assert.ok(!/\n\s+45 {2}/.test(retired), `car 45 is not listed as retired:\n${retired}`);
});

test('results json and csv: 45 restarted, 47 retired; excluded car 52 has no total and says why', async () => {
  const j = JSON.parse(await rallyhq('results', FILE, '--format', 'json')) as {
    retired: { car: number }[]; restarted: { car: number; restartedAt: string }[];
    rows: { car: number; status: string; totalMs: number | null; total: string | null; statusReason: string | null }[];
  };
  assert.deepEqual(j.retired.map((r) => r.car), [47]);
  assert.deepEqual(j.restarted.map((r) => [r.car, r.restartedAt]), [[45, 'L2A']]);
  const x = j.rows.find((r) => r.car === 52)!;
  assert.deepEqual([x.status, x.totalMs, x.total], ['excluded', null, null]);
  assert.match(x.statusReason!, /^excluded: Auxiliary headlights/);
  const csv = (await rallyhq('results', FILE, '--format', 'csv')).split('\r\n');
  const header = csv[0]!.split(',');
  const row = csv.find((l) => l.startsWith(',,52,'))!;
  // Naive split is safe up to total: no earlier field of car 52 holds a comma.
  const cells = row.split(',');
  assert.equal(cells[header.indexOf('total_ms')], '');
  assert.equal(cells[header.indexOf('total')], '');
  assert.match(row, /,"excluded: Auxiliary headlights [^"]*\(ARA technical rules, lighting; Clerk of the Course decision 2\)"$/);
});

test('stage SS3: car 31\'s decided jump start is charged 0:10 with the preset\'s rule; nothing left undecided', async () => {
  const out = await rallyhq('stage', FILE, 'SS3');
  assert.match(out, /Penalties on SS3\n\s+31 {2}0:10 {2}jump start, 1st offence: 10 s at SS3; ARA jump-start penalty: not\s+found \(rally-rules §10\.1\) \[unconfirmed\]/);
  assert.ok(!out.includes('Recorded, not decided'), out);
});

test('stage SS3 with the Clerk\'s decision withdrawn: the photocell record is listed as recorded, not decided, with no amount', async () => {
  // The same rally, minus the decision: written to a temporary copy.
  const json = JSON.parse(readFileSync(join(ROOT, FILE), 'utf8')) as { facts: { id: string }[] };
  json.facts = json.facts.filter((f) => f.id !== 'SS3-jump-31');
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-snodrift-'));
  try {
    writeFileSync(join(dir, 'undecided.rally.json'), JSON.stringify(json));
    let out = '';
    assert.equal(await runCli(['stage', 'undecided.rally.json', 'SS3'], { out: (t) => void (out += t), err: () => {}, cwd: dir }), 0);
    assert.ok(!out.includes('Penalties on SS3'), out);
    assert.match(out, /Recorded, not decided \(no penalty charged\)\n\s+31 {2}jump start recorded by photocell \(moved 0\.6 s early\), not decided/);
    const row = out.split('\n').find((l) => /^\s*\d+\s+31\s/.test(l))!;
    assert.ok(!/0:10/.test(row), `no penalty on car 31's row: ${row}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
