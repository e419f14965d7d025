// `rallyhq demo` against a real `rallyhq serve` seeded with the demo rally:
// it posts exactly the facts the server lacks, and a second run has nothing
// left to do (idempotent on fact ids).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServer } from '../../server/live/test-process.ts';
import type { RallyFileJson, ServerProcess } from '../../server/live/test-process.ts';
import { command } from './demo.ts';

function io() {
  let out = '', err = '';
  return { io: { out: (t: string) => { out += t; }, err: (t: string) => { err += t; }, cwd: repoRoot }, text: () => ({ out, err }) };
}

describe('rallyhq demo against a seeded server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-demo-'));
  let s: ServerProcess;
  const fixture = JSON.parse(readFileSync(join(repoRoot, 'fixtures/ara-2026-sno-drift.rally.json'), 'utf8')) as RallyFileJson;

  before(async () => { s = await startServer(`sqlite:${join(dir, 'demo.db')}`, { seedDemo: true }); });
  after(async () => { await s?.stop(); rmSync(dir, { recursive: true, force: true }); });

  async function serverIds(): Promise<string[]> {
    const r = await fetch(`${s.url}/api/rallies/${fixture.rally.id}/export`);
    return ((await r.json()) as RallyFileJson).facts.map((f) => f.id);
  }

  test('first run posts every fact the server lacks, in the file order; the log then holds all of the fixture', async () => {
    const before = new Set(await serverIds());
    assert.ok(before.size > 0 && before.size < fixture.facts.length, 'the seed holds part of the rally');
    const missing = fixture.facts.filter((f) => !before.has(f.id)).map((f) => f.id);
    const run = io();
    const code = await command.run(['--url', s.url, '--token', s.token, '--speed', '100000', '--max-gap', '0'], run.io);
    assert.equal(code, 0, run.text().err);
    const after = await serverIds();
    assert.deepEqual(after.slice(before.size), missing);
    assert.deepEqual(new Set(after), new Set(fixture.facts.map((f) => f.id)));
    assert.match(run.text().out, /SS\d+ finish {2}car \d+ {2}\d+:\d\d\.\d/);
  });

  test('second run: nothing left to replay, nothing posted', async () => {
    const n = (await serverIds()).length;
    const run = io();
    assert.equal(await command.run(['--url', s.url, '--token', s.token], run.io), 0);
    assert.match(run.text().out, /replaying 0 /);
    assert.equal((await serverIds()).length, n);
  });

  test('without a token the server refuses and the demo says which token to pass (exit 1)', async () => {
    const fresh = await startServer(`sqlite:${join(dir, 'fresh.db')}`, { seedDemo: true });
    try {
      const run = io();
      const env = { t: process.env.RALLYHQ_TOKEN, a: process.env.RALLYHQ_ADMIN_TOKEN };
      delete process.env.RALLYHQ_TOKEN; delete process.env.RALLYHQ_ADMIN_TOKEN;
      const code = await command.run(['--url', fresh.url, '--speed', '100000'], run.io);
      if (env.t !== undefined) process.env.RALLYHQ_TOKEN = env.t;
      if (env.a !== undefined) process.env.RALLYHQ_ADMIN_TOKEN = env.a;
      assert.equal(code, 1);
      assert.match(run.text().err, /--token/);
    } finally {
      await fresh.stop();
    }
  });
});
