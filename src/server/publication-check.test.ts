// The server's inquiry clock is the core's inquiry window (core/inquiry-window.ts)
// with the publications' ISO times: the same answer, in the API's words.
// SEE: rally-rules §5 (provisional then final, FMU26 Art 64.2; NASA-INQ 30 minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inquiryClock } from './publication-check.ts';
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
