// `rallyhq demo --today` moves every date of the demo rally by whole days and
// keeps every time of day, so the scored results are the same on any date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RallyFile } from '../../core/rallyfile/schema.ts';
import { resolveRules } from '../../core/rules/resolve.ts';
import { classify, score } from '../../core/scoring/index.ts';
import { daysBetween, shiftDateText, shiftRally } from './demo-shift.ts';

test('dates move across month and year ends; times of day and offsets stay', () => {
  assert.equal(shiftDateText('2026-02-07T15:41:35.0', 300), '2026-12-04T15:41:35.0');
  assert.equal(shiftDateText('2026-12-31T23:59:59.9-05:00', 1), '2027-01-01T23:59:59.9-05:00');
  assert.equal(shiftDateText('3:45.2', 5), '3:45.2');
  assert.equal(daysBetween('2026-02-06', '2026-12-06'), 303);
});

test('the Sno*Drift fixture moved to another day scores exactly as on its own dates', () => {
  const file = JSON.parse(readFileSync(new URL('../../../fixtures/snodrift-2026.rally.json', import.meta.url), 'utf8')) as RallyFile;
  const days = daysBetween(file.rally.startDate, '2026-12-06');
  const moved = shiftRally(file.rally, file.facts, days, 'snodrift-today');
  assert.equal(moved.rally.startDate, '2026-12-06');
  assert.equal(moved.rally.legs[0]?.date, '2026-12-06');
  const rules = resolveRules(file.rally.rules).rules;
  const a = classify(score(file.rally, rules, file.facts));
  const b = classify(score(moved.rally, rules, moved.facts));
  assert.deepEqual(b.rows.map((r) => [r.car, r.position, r.totalMs]), a.rows.map((r) => [r.car, r.position, r.totalMs]));
});
