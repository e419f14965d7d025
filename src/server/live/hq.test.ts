import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { countIssues, HqHub } from './hq.ts';
import { RallyClock, toRallyLocalMs } from './clock.ts';
import { classification, definition, FakeSink, snapshot } from './test-helpers.ts';
import { parseLocalDateTime } from '../../core/time/index.ts';
import type { Issue } from '../../core/issues.ts';
import type { OverdueCrew } from '../../core/results.ts';

const local = (t: string) => parseLocalDateTime(t)!;

describe('rally clock', () => {
  test('16:30:00.250Z on 7 Feb 2026 is 11:30:00.250 in Detroit (EST = UTC−5)', () => {
    assert.equal(toRallyLocalMs(Date.UTC(2026, 1, 7, 16, 30, 0, 250), 'America/Detroit'), local('2026-02-07T11:30:00.250'));
  });

  test('during the rally dates the server clock is used', () => {
    let now = Date.UTC(2026, 1, 6, 23, 0, 0);
    const clock = new RallyClock(definition, () => now);
    clock.observe('2026-02-06T12:00:00');
    assert.equal(clock.nowLocalMs(), local('2026-02-06T18:00:00'));
    now += 60_000;
    assert.equal(clock.nowLocalMs(), local('2026-02-06T18:01:00'));
  });

  test('outside the rally dates (a replay in November): latest recorded 19:32:05 + 90 s elapsed → 19:33:35; an earlier time does not turn it back', () => {
    let now = Date.UTC(2026, 10, 26, 17, 0, 0);
    const clock = new RallyClock(definition, () => now);
    clock.observe('2026-02-06T19:32:05');
    now += 90_000;
    clock.observe('2026-02-06T19:20:00');
    assert.equal(clock.nowLocalMs(), local('2026-02-06T19:33:35'));
  });
});

function issue(code: Issue['code'], severity: Issue['severity']): Issue {
  return { code, severity, subject: 'car 3', facts: [], detail: '', fix: '' };
}

describe('HQ stream', () => {
  test('counts: 2 conflicts, 1 error + 2 warnings, overdue not counted as an anomaly', () => {
    const counts = countIssues([
      issue('conflict', 'error'), issue('conflict', 'error'), issue('stage-time-too-fast', 'error'),
      issue('controls-out-of-order', 'warning'), issue('controls-out-of-order', 'warning'), issue('overdue', 'warning'),
    ]);
    assert.deepEqual(counts, { conflicts: 2, anomalies: { error: 1, warning: 2, info: 0 }, byCode: { 'stage-time-too-fast': 1, 'controls-out-of-order': 2 } });
  });

  test('overdue list is sent at once, again only when the set of crews changes (not as seconds grow)', () => {
    let overdue: OverdueCrew[] = [];
    const crew = (ms: number): OverdueCrew => ({ car: 9, stage: 'SS2', startedAt: '2026-02-06T19:00:00', expectedByLocalMs: 0, overdueMs: ms, detail: '' });
    const s = snapshot(4, classification([]), {}, { overdue: () => overdue });
    const hq = new HqHub(() => Date.UTC(2026, 1, 7, 1, 0, 0), 1 << 20);
    const sink = new FakeSink();
    hq.subscribe(s, sink);
    assert.deepEqual(sink.events().map((e) => e.event), ['overdue', 'counts']);
    hq.tick(() => s);
    assert.equal(sink.events().length, 2);
    overdue = [crew(60_000)];
    hq.tick(() => s);
    overdue = [crew(120_000)];
    hq.tick(() => s);
    const events = sink.events();
    assert.deepEqual(events.map((e) => e.event), ['overdue', 'counts', 'overdue']);
    assert.deepEqual((events[2]?.data as { overdue: OverdueCrew[] }).overdue.map((c) => c.car), [9]);
  });
});
