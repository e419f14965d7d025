import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { factRef, readEntry, sourceFromStates } from './states-source.ts';
import type { StatesChange } from './states-source.ts';
import { parseRallyFile } from '../../core/rallyfile/parse.ts';
import { resolveRules } from '../../core/rules/resolve.ts';
import { classify, score } from '../../core/scoring/index.ts';
import type { LiveChange } from './source.ts';

const file = parseRallyFile(JSON.parse(readFileSync(new URL('../../../fixtures/example-small.rally.json', import.meta.url), 'utf8')) as unknown);

describe('live source over the scored-state cache', () => {
  test('the tracked fixture fixtures/example-small.rally.json parses', () => {
    assert.ok(file.ok, file.ok ? '' : `fixtures/example-small.rally.json does not parse: ${JSON.stringify(file.errors.slice(0, 3))}`);
  });

  test('a snapshot of the cache entry at seq n carries that seq and the classification of the first n facts', async () => {
    assert.ok(file.ok, 'fixtures/example-small.rally.json parses');
    const { rally, facts } = file.file;
    const rules = resolveRules(rally.rules).rules;
    const n = Math.min(10, facts.length);
    const state = score(rally, rules, facts.slice(0, n));
    const states = Object.assign(new EventEmitter(), { get: async (id: string) => (id === rally.id ? { state, seq: n, facts: facts.slice(0, n).map((fact) => ({ fact })) } : null) });
    const source = sourceFromStates(states);
    const snap = await source.snapshot(rally.id);
    assert.ok(snap);
    assert.equal(snap.seq, n);
    assert.deepEqual(snap.classification, classify(state));
    const times = facts.slice(0, n).flatMap((f) => (f.type === 'controlTime' ? [f.at] : [])).sort();
    assert.equal(snap.latestAt?.(), times.at(-1) ?? null);
    assert.equal(await source.snapshot('no-such-rally'), null);
  });

  test('a cache change becomes a live change with short fact refs (car, control, at)', () => {
    const states = new EventEmitter<{ change: [StatesChange] }>();
    const source = sourceFromStates(Object.assign(states, { get: () => null }));
    const seen: LiveChange[] = [];
    const off = source.onChange((c) => seen.push(c));
    const c = { rows: [], after: null, stageWinners: [], retired: [], excluded: [] };
    states.emit('change', { rallyId: 'r', fromSeq: 4, toSeq: 5, facts: [{ seq: 5, fact: { id: 'x', type: 'controlTime', car: 23, control: 'SS1F', at: '2026-02-06T19:03:45.2' } }], before: c, after: c });
    off();
    states.emit('change', { rallyId: 'r', fromSeq: 5, toSeq: 6, facts: [], before: c, after: c });
    assert.deepEqual(seen.map((s) => [s.fromSeq, s.toSeq, s.facts]), [[4, 5, [{ id: 'x', seq: 5, type: 'controlTime', car: 23, control: 'SS1F', at: '2026-02-06T19:03:45.2' }]]]);
  });

  test('readEntry accepts a bare state too, and refuses what is not one', () => {
    assert.equal(readEntry(null), null);
    assert.equal(readEntry({ seq: 3 }), null);
    assert.deepEqual(factRef(7, { id: 'p', type: 'penalty', car: 3, seconds: 10, reason: 'r', stage: 'SS2' }), { id: 'p', seq: 7, type: 'penalty', car: 3, stage: 'SS2' });
  });
});
