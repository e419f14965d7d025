import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jumpStartPenalty } from './jump-start.ts';
import { getPreset } from '../rules/presets/index.ts';

const fia = getPreset('fia')!;
const msuk = getPreset('msuk')!;
const ara = getPreset('ara')!;

test('FIA jump start (FMU26 Art 48.6): 1st 10 s, 2nd 60 s, 3rd 180 s, 4th → stewards (null)', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => jumpStartPenalty(n, 800, fia).ms), [10_000, 60_000, 180_000, null]);
  const fourth = jumpStartPenalty(4, undefined, fia);
  assert.match(fourth.label, /stewards/);
  assert.match(fourth.rule, /48\.6/);
});

test('FIA 1st offence jumped by 0.8 s → still 10 s (the time jumped is not added)', () => {
  assert.equal(jumpStartPenalty(1, 800, fia).ms, 10_000);
});

test('MSUK 1st offence jumped by 0.8 s (App 8 (e)) → 10 s + 0.8 s = 10.8 s; 2nd → 60 s flat', () => {
  const first = jumpStartPenalty(1, 800, msuk);
  assert.equal(first.ms, 10_800);
  assert.equal(first.confirmed, true);
  assert.match(first.label, /0\.8 s jumped/);
  assert.equal(jumpStartPenalty(2, 800, msuk).ms, 60_000);
});

test('MSUK 1st offence with the time jumped unknown → 10 s', () => {
  assert.equal(jumpStartPenalty(1, undefined, msuk).ms, 10_000);
});

test('ARA jump start is not confirmed (rally-rules §3.2 NF): flagged in the result', () => {
  assert.equal(jumpStartPenalty(1, undefined, ara).confirmed, false);
});

test('offence 0 is a caller bug', () => {
  assert.throws(() => jumpStartPenalty(0, undefined, fia), RangeError);
});
