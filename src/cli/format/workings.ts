// Around the scoring core's workings: a heading naming the crew and stage,
// and the JSON form (every ms beside the text people read).
import type { Workings } from '../../core/results.ts';
import type { Entry } from '../../core/model.ts';
import { formatDuration } from '../../core/time/index.ts';
import { workingsStatusLabel } from '../../core/status-labels.ts';
import { confidenceOf } from '../../core/rules/types.ts';
import { crewFull, distanceText, makeModel, stageDecimals } from './cells.ts';
import { totalDecimals } from './context.ts';
import type { RenderContext } from './classification.ts';

function decimalsOf(w: Workings, ctx: RenderContext): number {
  const stage = w.stage ? ctx.definition.stages.find((s) => s.code === w.stage) : undefined;
  return stage ? stageDecimals(stage.precisionMs, ctx.rules.stagePrecisionMs.value) : totalDecimals(ctx.rules);
}

/** Who and what the workings are about: crew, car, stage (with its length) and the rules preset. */
export function workingsHeading(w: Workings, ctx: RenderContext, entry: Entry): string {
  const def = ctx.definition;
  const stage = w.stage ? def.stages.find((s) => s.code === w.stage) : undefined;
  const what = stage ? `${stage.code} ${stage.name} (${distanceText(stage.distanceM, def.distanceUnit)})` : 'total';
  const result = w.resultMs === null ? 'no time' : formatDuration(w.resultMs, decimalsOf(w, ctx));
  const unconfirmed = w.rules.filter((r) => confidenceOf(r) === 'unconfirmed').length;
  const shown = w.rules.filter((r) => confidenceOf(r) === 'shownByResults').length;
  return [
    def.name,
    `Car ${entry.car}, ${crewFull(entry)} (${entry.class}${entry.category ? `, ${entry.category}` : ''}, ${makeModel(entry)})`,
    `${what}: ${result}; rules ${ctx.rules.id} ${ctx.rules.version}` +
      (shown ? `, ${shown} value${shown === 1 ? '' : 's'} used here shown by published results (not the rulebook)` : '') +
      (unconfirmed ? `, ${unconfirmed} value${unconfirmed === 1 ? '' : 's'} used here unconfirmed by the rulebook` : ''),
    // Times of day rebuilt around published stage times are shown with what they are.
    ...(def.illustrativeTimesOfDay ? [`note: ${def.illustrativeTimesOfDay}`] : []),
  ].join('\n') + '\n';
}

export function workingsJson(w: Workings, ctx: RenderContext, entry: Entry): unknown {
  const dec = decimalsOf(w, ctx);
  return {
    rally: { id: ctx.definition.id, name: ctx.definition.name, rules: { preset: ctx.rules.id, version: ctx.rules.version } },
    car: w.car,
    driver: entry.driver.name,
    codriver: entry.codriver?.name ?? null,
    class: entry.class,
    stage: w.stage ?? null,
    status: w.status,
    statusLabel: workingsStatusLabel(w.status, w.stage !== undefined, w.retiredHere),
    resultMs: w.resultMs,
    result: w.resultMs === null ? null : formatDuration(w.resultMs, dec),
    steps: w.steps.map((s) => ({
      label: s.label,
      ms: s.ms ?? null,
      time: s.ms === undefined ? null : (s.ms < 0 ? '-' : '') + formatDuration(Math.abs(s.ms), 3),
      rule: s.rule ?? null,
      confirmed: s.confirmed ?? null,
      confidence: s.rule ? confidenceOf(s) : null,
      shown: s.shown ?? null,
      note: s.note ?? null,
      facts: (s.facts ?? []).map((f) => f.id),
    })),
    factsUsed: w.factsUsed,
    factsSuperseded: w.factsSuperseded,
    rules: w.rules,
  };
}
