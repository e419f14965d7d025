// The dispatcher and the command-line errors, run in-process with captured output.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_MODULES, runCli } from './main.ts';

async function run(argv: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t), cwd });
  return { code, out, err };
}

describe('rallyhq --help', () => {
  test('lists every command with its summary, exit 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const name of ['results', 'stage', 'explain', 'validate', 'entries', 'serve', 'demo', 'standings', 'stats', 'history']) {
      assert.ok(COMMAND_MODULES.some((c) => c.name === name), `${name} registered`);
      assert.match(r.out, new RegExp(`^  ${name}\\s+\\S`, 'm'));
    }
    for (const c of COMMAND_MODULES.slice(0, 5)) {
      const { command } = await c.load();
      assert.ok(r.out.includes(`${command.name.padEnd(9)}  ${command.summary}`), `${c.name} summary`);
    }
  });
  test('no command: usage on stderr, exit 2', async () => {
    const r = await run([]);
    assert.equal(r.code, 2);
    assert.match(r.err, /usage: rallyhq <command>/);
  });
  test('rallyhq results --help and rallyhq help stage print that command\'s usage, exit 0', async () => {
    const a = await run(['results', '--help']);
    assert.equal(a.code, 0);
    assert.match(a.out, /^usage: rallyhq results <file>/);
    const b = await run(['help', 'stage']);
    assert.equal(b.code, 0);
    assert.match(b.out, /^usage: rallyhq stage <file> <stage>/);
  });
});

describe('bad command lines exit 2 with a message and the usage', () => {
  test('unknown command "resluts" is named', async () => {
    const r = await run(['resluts', 'x.json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command 'resluts'/);
    assert.match(r.err, /commands:/);
  });
  test('unknown flag --aftr is named, with the results usage', async () => {
    const r = await run(['results', 'x.json', '--aftr', 'SS7']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--aftr/);
    assert.match(r.err, /usage: rallyhq results/);
  });
  test('--format xml is refused, listing table, json, csv', async () => {
    const r = await run(['results', 'x.json', '--format', 'xml']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown --format 'xml': use one of table, json, csv/);
  });
  test('missing <file> and missing --car are named', async () => {
    assert.match((await run(['results'])).err, /missing <file>/);
    assert.match((await run(['explain', 'x.json'])).err, /missing --car/);
    assert.match((await run(['stage', 'x.json'])).err, /missing <stage>/);
  });
  test('--after without a value is named', async () => {
    const r = await run(['results', 'x.json', '--after']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--after/);
  });
});

describe('bad rally files exit 1', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rallyhq-cli-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing file says so, without a stack trace', async () => {
    const r = await run(['results', 'no-such.rally.json'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot read no-such\.rally\.json: no such file/);
    assert.ok(!/\n\s+at /.test(r.err), 'no stack trace');
  });
  test('broken JSON gives the line and column: the second comma of `  "version": 1,,` is line 3, column 16', async () => {
    writeFileSync(join(dir, 'broken.json'), '{\n  "format": "rallyhq.rally",\n  "version": 1,,\n}\n');
    const r = await run(['validate', 'broken.json'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /not valid JSON \(line 3, column 16\)/);
  });
  test('an invalid rally file lists every error by JSON path, not just the first', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'rallyhq.rally', version: 1, extra: true, facts: [{ id: 'f1', type: 'controlTime' }] }));
    const r = await run(['results', 'bad.json'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /not a valid rally file: \d+ errors/);
    for (const path of ['$.extra', '$.rally', '$.facts[0]']) assert.ok(r.err.includes(`  ${path}`), `${path} listed in:\n${r.err}`);
  });
});
