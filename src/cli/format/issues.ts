// Data-quality findings as text or JSON: code, severity, what it is about,
// what was found and what an official should do.
import type { Issue, Severity } from '../../core/issues.ts';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code) || a.subject.localeCompare(b.subject));
}

export function countBySeverity(issues: readonly Issue[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const i of issues) counts[i.severity] += 1;
  return counts;
}

/** One block per issue: a heading line, then the detail, the fix and the facts involved, indented. */
export function issuesText(issues: readonly Issue[]): string {
  return sortIssues(issues).map((i) => [
    `${i.severity.padEnd(7)}  ${i.code}  ${i.subject}`,
    `         ${i.detail}`,
    `         fix: ${i.fix}`,
    ...(i.facts.length ? [`         facts: ${i.facts.join(', ')}`] : []),
  ].join('\n')).join('\n') + (issues.length ? '\n' : '');
}

export function issuesJson(issues: readonly Issue[]): unknown[] {
  return sortIssues(issues).map((i) => ({
    code: i.code, severity: i.severity, subject: i.subject, car: i.car ?? null, stage: i.stage ?? null, control: i.control ?? null,
    facts: i.facts, detail: i.detail, fix: i.fix,
  }));
}
