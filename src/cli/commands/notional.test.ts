// `rallyhq notional`: proposals for an interrupted stage from a rally file (rally-rules §3.4, MSUK 4.36–4.37).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main.ts';
import { RALLY_FILE_FORMAT, RALLY_FILE_VERSION } from '../../core/rallyfile/schema.ts';
import { LAB_DAY1, labRally, onTime } from '../../core/scoring/lab-rally.test-data.ts';

test('rallyhq notional <file> SS2: candidates, the MSUK 4.37 proposal, nothing for the responsible crew; json in ms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-notional-'));
  try {
    const facts = [...onTime(1), ...onTime(2), ...onTime(3, { skip: ['SS2'] }), ...onTime(4, { skip: ['SS2'] }),
      { type: 'stageInterrupted', id: 'red', stage: 'SS2', reason: 'red flag', notionalTimes: [], at: `${LAB_DAY1}T10:10:30`, responsible: [4] }];
    const file = join(dir, 'lab.rally.json');
    writeFileSync(file, JSON.stringify({ format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: labRally('msuk'), facts }));
    let out = '', err = '';
    const code = await runCli(['notional', file, 'SS2'], { out: (t) => void (out += t), err: (t) => void (err += t), cwd: dir });
    assert.equal(code, 0, err);
    assert.match(out, /method fastestAtInterruption/);
    assert.match(out, /1\. car 1 {2}6:01\.0/);
    assert.match(out, /car 3 {2}proposed 6:01\.0/);
    assert.match(out, /car 4 {2}proposed — .*responsible for the stoppage/);
    let json = '';
    assert.equal(await runCli(['notional', file, 'SS2', '--format', 'json'], { out: (t) => void (json += t), err: () => {}, cwd: dir }), 0);
    assert.equal(JSON.parse(json).proposals.find((p: { car: number }) => p.car === 3).proposedMs, 361_000);
    let bad = '';
    assert.equal(await runCli(['notional', file, 'SS9'], { out: () => {}, err: (t) => void (bad += t), cwd: dir }), 2);
    assert.match(bad, /SS9/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
