// The workings' JSON label reads as the text does: a crew retired on the stage is not "on stage".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Workings } from '../../core/results.ts';
import { getPreset } from '../../core/rules/presets/index.ts';
import { definition } from './sample.test-data.ts';
import { workingsJson } from './workings.ts';

const ctx = { definition, rules: getPreset('ara')! };
const entry = definition.entries[0]!;
const base: Workings = { car: entry.car, stage: 'SS2', status: 'running', steps: [], resultMs: null, factsUsed: [], factsSuperseded: [], rules: [] };

test('workings json: status code running, label "retired" when the crew retired on the stage, "on stage" otherwise', () => {
  const out = workingsJson({ ...base, retiredHere: true }, ctx, entry) as { status: string; statusLabel: string };
  assert.deepEqual([out.status, out.statusLabel], ['running', 'retired']);
  assert.equal((workingsJson(base, ctx, entry) as { statusLabel: string }).statusLabel, 'on stage');
});
