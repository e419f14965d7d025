// The shared frame of the rally-file commands: the order its checks run in,
// the exit code of each mistake, and that only the chosen format is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { findStage } from './load-rally.ts';
import { rallyCommand } from './rally-command.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SMALL = 'fixtures/example-small.rally.json';

async function run(cmd: ReturnType<typeof rallyCommand>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cmd.run(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: ROOT });
  return { code, out, err };
}

const built: string[] = [];
const probe = rallyCommand({
  name: 'probe',
  summary: 'test command',
  usage: 'usage: rallyhq probe <file> <stage> --car N\n',
  flags: { car: { type: 'string' }, class: { type: 'string' } },
  formats: ['table', 'json'],
  positionals: [{ missing: 'missing <stage>: give a stage code such as SS3' }],
  required: { car: 'missing --car: give the car number' },
  run(r) {
    const stage = r.pick(findStage(r.rally.definition, r.args[0] ?? '', '<stage>'));
    if (r.flag('car') === '0') r.fail('car 0 is no car');
    return r.print({
      table: () => { built.push('table'); return `${stage.code} car ${r.flag('car') ?? ''}\n`; },
      json: () => { built.push('json'); return '{}\n'; },
    });
  },
});

test('a good call: the stage found, the default format printed and only that one built', async () => {
  built.length = 0;
  const r = await run(probe, [SMALL, '2', '--car', '3']);
  assert.deepEqual(r, { code: 0, out: 'SS2 car 3\n', err: '' });
  assert.deepEqual(built, ['table']);
});

test('command-line mistakes are exit 2 with the usage, checked in order: file, arguments, extra, required flag, format', async () => {
  const cases: [string[], RegExp][] = [
    [[], /missing <file>/],
    [[SMALL], /missing <stage>/],
    [[SMALL, 'SS1', 'SS2', '--car', '1'], /unexpected argument 'SS2'/],
    [[SMALL, 'SS1'], /missing --car/],
    [[SMALL, 'SS1', '--car', '1', '--format', 'csv'], /unknown --format 'csv': use one of table, json/],
    [[SMALL, 'SS1', '--car', '1', '--colour'], /Unknown option '--colour'/],
  ];
  for (const [args, message] of cases) {
    const r = await run(probe, args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
    assert.match(r.err, /usage: rallyhq probe/);
    assert.equal(r.out, '');
  }
});

test('a file that cannot be read is exit 1, nothing on stdout', async () => {
  const r = await run(probe, ['no-such.rally.json', 'SS1', '--car', '1']);
  assert.equal(r.code, 1);
  assert.match(r.err, /^rallyhq probe: cannot read no-such\.rally\.json: no such file/);
  assert.equal(r.out, '');
});

test('a value the rally does not have is exit 2, with the valid ones and a pointer to --help', async () => {
  const unknown = await run(probe, [SMALL, 'SS9', '--car', '1']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.err, "rallyhq probe: unknown stage 'SS9' for <stage>: this rally has SS1, SS2, SS3, SS4\n(rallyhq probe --help shows the usage)\n");
  const failed = await run(probe, [SMALL, 'SS1', '--car', '0']);
  assert.deepEqual([failed.code, failed.err, failed.out], [2, 'rallyhq probe: car 0 is no car\n(rallyhq probe --help shows the usage)\n', '']);
});

test('an error that is not about a value is not swallowed', async () => {
  const broken = rallyCommand({ name: 'broken', summary: '', usage: '', formats: ['table'], run() { throw new TypeError('bug'); } });
  await assert.rejects(run(broken, [SMALL]), TypeError);
});

test('loadFailed replaces the default report of a file that cannot be loaded', async () => {
  const custom = rallyCommand({
    name: 'custom', summary: '', usage: '', formats: ['text'],
    loadFailed: (failure, format, file, io) => { io.out(`${format} ${file}: ${failure.message.slice(0, 11)}\n`); return 1; },
    run: () => 0,
  });
  assert.deepEqual(await run(custom, ['nope.json']), { code: 1, out: 'text nope.json: cannot read\n', err: '' });
});
