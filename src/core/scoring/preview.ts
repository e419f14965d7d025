// What-if: how proposed facts would change the results, before anything is
// written. The same scoring as the live results, run on the current log plus
// the proposal; the caller's state is never touched (a fresh engine is folded).
import { carOf, type Fact } from '../facts.ts';
import type { Issue } from '../issues.ts';
import type { RallyDefinition } from '../model.ts';
import type { CarStatus, Classification, ClassificationRow, Workings } from '../results.ts';
import type { RuleSet } from '../rules/types.ts';
import { classify, dataIssues, explain, score } from './index.ts';

export interface PreviewStanding { position: number | null; classPosition: number | null; totalMs: number; penaltyMs: number; status: CarStatus }

export interface PreviewRow {
  car: number;
  crew: string;
  class: string;
  /** Null when the crew was not in the classification on that side. */
  before: PreviewStanding | null;
  after: PreviewStanding | null;
}

export interface Preview {
  /** Crews whose overall position, total or status changes, in the new order. */
  overall: PreviewRow[];
  /** Per class touched: crews whose class position, total or status changes. */
  classes: { class: string; rows: PreviewRow[] }[];
  /** The workings of the new total of each crew the proposal is about (at most `maxWorkings`). */
  workings: { car: number; beforeMs: number | null; workings: Workings }[];
  /** Data-quality findings the proposal would add, and those it would clear. */
  newIssues: Issue[];
  clearedIssues: Issue[];
}

const MAX_WORKINGS = 5;

function standing(r: ClassificationRow): PreviewStanding {
  return { position: r.position, classPosition: r.classPosition, totalMs: r.totalMs, penaltyMs: r.penaltyMs, status: r.status };
}

function rowsByCar(c: Classification): Map<number, ClassificationRow> {
  return new Map(c.rows.map((r) => [r.car, r]));
}

function issueKey(i: Issue): string {
  return `${i.code}|${i.subject}|${[...i.facts].sort().join(',')}`;
}

/** The cars a proposal is about: each fact's own car, or the car of the fact it withdraws or corrects. */
export function carsOfProposal(log: readonly Fact[], proposed: readonly Fact[]): number[] {
  const byId = new Map(log.map((f) => [f.id, f]));
  const cars = new Set<number>();
  for (const f of proposed) {
    const own = carOf(f);
    if (own !== null) cars.add(own);
    const old = f.supersedes !== undefined ? byId.get(f.supersedes) : undefined;
    const oldCar = old ? carOf(old) : null;
    if (oldCar !== null) cars.add(oldCar);
    if (f.type === 'stageInterrupted') for (const n of f.notionalTimes) cars.add(n.car);
  }
  return [...cars];
}

/**
 * `before` may be passed when the caller already holds the current
 * classification and issues (the server's memo); otherwise they are computed.
 */
export function previewFacts(
  definition: RallyDefinition,
  rules: RuleSet,
  log: readonly Fact[],
  proposed: readonly Fact[],
  before?: { classification: Classification; issues: Issue[] },
): Preview {
  const was = before ?? (() => {
    const s = score(definition, rules, log);
    return { classification: classify(s), issues: dataIssues(s) };
  })();
  const next = score(definition, rules, [...log, ...proposed]);
  const now = classify(next);
  const a = rowsByCar(was.classification);
  const b = rowsByCar(now);
  const crewOf = (r: ClassificationRow) => `${r.entry.driver.name} / ${r.entry.codriver.name}`;

  const changed: PreviewRow[] = [];
  const order = [...now.rows, ...was.classification.rows.filter((r) => !b.has(r.car))];
  for (const r of order) {
    const x = a.get(r.car);
    const y = b.get(r.car);
    const same = x && y && x.position === y.position && x.classPosition === y.classPosition && x.totalMs === y.totalMs && x.status === y.status;
    if (same) continue;
    changed.push({ car: r.car, crew: crewOf(r), class: r.entry.class, before: x ? standing(x) : null, after: y ? standing(y) : null });
  }
  const overall = changed.filter((r) => r.before?.position !== r.after?.position || r.before?.totalMs !== r.after?.totalMs || r.before?.status !== r.after?.status);
  const classCodes = [...new Set(changed.map((r) => r.class))];
  const classes = classCodes.map((cls) => ({
    class: cls,
    rows: changed.filter((r) => r.class === cls && (r.before?.classPosition !== r.after?.classPosition || r.before?.totalMs !== r.after?.totalMs || r.before?.status !== r.after?.status)),
  })).filter((c) => c.rows.length > 0);

  const about = carsOfProposal(log, proposed);
  // A stage-wide decision (cancellation) is about no one car: show the crews it moves most.
  const cars = about.length > 0 ? about : overall.map((r) => r.car);
  const known = new Set(definition.entries.map((e) => e.car));
  const workings = cars.filter((c) => known.has(c)).slice(0, MAX_WORKINGS).map((car) => ({ car, beforeMs: a.get(car)?.totalMs ?? null, workings: explain(next, car) }));

  const afterIssues = dataIssues(next);
  const beforeKeys = new Set(was.issues.map(issueKey));
  const afterKeys = new Set(afterIssues.map(issueKey));
  return {
    overall,
    classes,
    workings,
    newIssues: afterIssues.filter((i) => !beforeKeys.has(issueKey(i))),
    clearedIssues: was.issues.filter((i) => !afterKeys.has(issueKey(i))),
  };
}
