import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countBySeverity, issuesText } from './issues.ts';
import type { Issue } from '../../core/issues.ts';

const issue = (code: Issue['code'], severity: Issue['severity'], subject: string): Issue => ({ code, severity, subject, facts: ['f1', 'f2'], detail: 'what was found', fix: 'what to do' });

test('errors first, then warnings, then info; each with detail, fix and facts', () => {
  const text = issuesText([issue('overdue', 'info', 'car 9 on SS4'), issue('stage-time-too-fast', 'error', 'car 3 on SS1'), issue('jump-start-not-penalised', 'warning', 'car 7 on SS2')]);
  const headings = text.split('\n').filter((l) => !l.startsWith(' '));
  assert.deepEqual(headings, [
    'error    stage-time-too-fast  car 3 on SS1',
    'warning  jump-start-not-penalised  car 7 on SS2',
    'info     overdue  car 9 on SS4',
    '',
  ]);
  assert.match(text, /^ {9}fix: what to do\n {9}facts: f1, f2$/m);
});
test('counts by severity: 1 error, 2 warnings, 0 info', () => {
  assert.deepEqual(countBySeverity([issue('conflict', 'error', 'a'), issue('conflict', 'warning', 'b'), issue('conflict', 'warning', 'c')]), { error: 1, warning: 2, info: 0 });
});
