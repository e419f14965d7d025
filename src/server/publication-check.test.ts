// The server's inquiry clock is the core's inquiry window (core/inquiry-window.ts)
// with the publications' ISO times: the same answer, in the API's words.
// SEE: rally-rules §5 (provisional then final, FMU26 Art 64.2; NASA-INQ 30 minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRallyFile } from '../core/rallyfile/index.ts';
import { resolveRules } from '../core/rules/resolve.ts';
import { score } from '../core/scoring/index.ts';
import { inquiryClock, officialBlockers } from './publication-check.ts';
import type { DeskState } from './desk-records.ts';
import type { RallyEntry } from './rally-states.ts';
import type { PublicationRecord } from '../store/contract.ts';
import { getPreset } from '../core/rules/presets/index.ts';

test('a provisional published at 18:00Z under a 30-minute window: open at 18:10Z, ends at 18:30Z', () => {
  const e = { rules: getPreset('msuk')! } as unknown as RallyEntry;
  const pubs: PublicationRecord[] = [{ rallyId: 'r', number: 4, kind: 'provisional', publishedAt: '2026-02-07T18:00:00.000Z', principal: 'results', uptoSeq: 9, snapshot: {} }];
  const c = inquiryClock(e, pubs, Date.parse('2026-02-07T18:10:00Z'));
  assert.deepEqual(c, {
    windowMin: 30, rule: getPreset('msuk')!.inquiryWindowMin.rule, confirmed: false, provisional: 4,
    startedAt: '2026-02-07T18:00:00.000Z', endsAt: '2026-02-07T18:30:00.000Z', open: true, remainingMs: 20 * 60_000,
  });
});

// The demo rally (the real Sno*Drift 2026) once complete: crews of the Regional
// category who retired on a stage (cars 337 on SS10, 111 and 983 on SS14, as
// published) hold no stage open, so nothing but the publication steps stands
// in the way of the official classification (FMU26 Art 64.2).
test('the complete demo rally: no stage is running, whichever category its retired crews are in; without car 337\'s retirement, SS10 is', () => {
  const read = parseRallyFile(JSON.parse(readFileSync(new URL('../../fixtures/ara-2026-sno-drift.rally.json', import.meta.url), 'utf8')));
  assert.ok(read.ok);
  const { rally, facts } = read.file;
  const rules = resolveRules(rally.rules).rules;
  const entry = (f: typeof facts) => ({ definition: rally, rules, state: score(rally, rules, f) }) as unknown as RallyEntry;
  const pubs: PublicationRecord[] = [{ rallyId: rally.id, number: 1, kind: 'provisional', publishedAt: '2026-02-07T23:00:00.000Z', principal: 'results', uptoSeq: facts.length, snapshot: {} }];
  const after = Date.parse('2026-02-08T01:00:00Z');
  const codes = (f: typeof facts) => officialBlockers(entry(f), pubs, { protests: [] } as unknown as DeskState, after).map((b) => b.code);
  assert.deepEqual(codes(facts).filter((c) => c === 'stage-running'), []);
  const without = facts.filter((f) => !(f.type === 'retirement' && f.car === 337));
  const blockers = officialBlockers(entry(without), pubs, { protests: [] } as unknown as DeskState, after);
  assert.deepEqual(blockers.filter((b) => b.code === 'stage-running').map((b) => b.detail), ['SS10 is still running: car 337 started and has no finish (record the finish or the retirement).']);
});
