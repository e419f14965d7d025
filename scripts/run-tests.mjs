#!/usr/bin/env node
// Runs the test suites with Node's own test runner (through tsx for TypeScript).
//   node scripts/run-tests.mjs            every tier
//   node scripts/run-tests.mjs unit|int|e2e [more tiers]
// Tiers are file suffixes: *.test.ts (unit and property), *.int.test.ts
// (store, server, CLI against real databases and processes), e2e/*.e2e.test.ts
// (real Chromium). One runner invocation so the closing summary counts all.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'int', 'e2e']);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist' || name === 'data') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function tierOf(file) {
  if (file.endsWith('.e2e.test.ts')) return 'e2e';
  if (file.endsWith('.int.test.ts')) return 'int';
  if (file.endsWith('.test.ts')) return 'unit';
  return null;
}

const files = [...walk(join(root, 'src')), ...walk(join(root, 'e2e')), ...walk(join(root, 'scripts')), ...walk(join(root, 'bench'))]
  .filter((f) => wanted.has(tierOf(f)))
  .map((f) => relative(root, f))
  .sort();

if (files.length === 0) {
  console.error(`no test files for tiers: ${[...wanted].join(', ')}`);
  process.exit(1);
}
console.log(`running ${files.length} test files (${[...wanted].join(', ')})`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(r.status ?? 1);
