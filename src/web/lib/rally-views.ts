// The views of the live rally page: overall or class table, one stage's times,
// a crew's own page, and a chart comparing crews. Each takes what the server
// answered and returns DOM; times are shown as rally people read them.
import { formatDuration, formatGap } from '../../core/time/duration.ts';
import { CAR_STATUS_SHORT, carStatusLabel, STAGE_STATUS_LABELS } from '../../core/status-labels.ts';
import { gapChart, type Series } from './chart.ts';
import { h } from './dom.ts';
import type { Classification, CrewAnswer, Entry, RallyDefinition, StageClassification, StageStatus } from './types.ts';

export interface ViewContext {
  definition: RallyDefinition;
  /** Cars whose row changed in the last live update: shown with a short highlight. */
  fresh: ReadonlySet<number>;
  openCrew(car: number): void;
}

const METRES_PER_MILE = 1609.344;

/** A distance in the rally's own unit: Sno*Drift is run in miles. */
export function distanceText(definition: RallyDefinition, metres: number): string {
  return definition.distanceUnit === 'mi' ? `${(metres / METRES_PER_MILE).toFixed(2)} mi` : `${(metres / 1000).toFixed(2)} km`;
}

export const crewName = (e: Entry): string => `${e.driver.name} / ${e.codriver.name}`;
/** Surnames only, as timing screens show a crew in a narrow column: `Sorensen / Lindqvist`. */
const surname = (name: string): string => name.trim().split(/\s+/).at(-1) ?? name;
export const crewShort = (e: Entry): string => `${surname(e.driver.name)} / ${surname(e.codriver.name)}`;

/** A gap where 0 means "this is the leader": shown as a dash, not `+0.0`. */
const gap = (ms: number | null | undefined): string => (ms ? formatGap(ms) : '—');
/** Penalties are whole seconds in every preset in use; show them so (`+1:00`). */
const penalty = (ms: number): string => `+${formatDuration(ms, ms % 1000 === 0 ? 0 : 1)}`;

function change(n: number | null): Node | string {
  if (!n) return '';
  return n > 0 ? h('span', { class: 'up', title: `gained ${n}` }, `▲${n}`) : h('span', { class: 'down', title: `lost ${-n}` }, `▼${-n}`);
}

function crewLink(ctx: ViewContext, e: Entry): HTMLElement {
  return h('a', { href: `?id=${encodeURIComponent(ctx.definition.id)}&view=crew&car=${e.car}`, title: crewName(e), onclick: (ev: Event) => { ev.preventDefault(); ctx.openCrew(e.car); } }, crewShort(e));
}

export function overallView(ctx: ViewContext, c: Classification, cls: string): Node[] {
  const rows = c.rows.map((r) => {
    const pos = cls ? r.classPosition : r.position;
    return h('tr', { class: ctx.fresh.has(r.car) ? 'flash' : undefined, 'data-car': r.car },
      h('td', { class: 'num pos' }, pos ?? CAR_STATUS_SHORT[r.status] ?? r.status, r.positionChange ? h('div', { class: 'sub' }, change(r.positionChange)) : null),
      h('td', { class: 'num car' }, r.car),
      h('td', { class: 'crew' }, crewLink(ctx, r.entry), h('div', { class: 'sub' }, `${r.entry.make} ${r.entry.model}`, cls ? '' : ` · ${r.entry.class}`)),
      h('td', { class: 'num total' }, r.status === 'excluded' || r.status === 'retired' || (r.position === null && r.stagesCounted === 0) ? '' : formatDuration(r.totalMs)),
      h('td', { class: 'num gap' }, r.position === null ? '' : gap(r.gapToLeaderMs)),
      h('td', { class: 'num wide' }, r.position === null ? '' : gap(r.gapToPrevMs)),
      h('td', { class: 'num wide' }, r.penaltyMs ? penalty(r.penaltyMs) : ''));
  });
  const className = ctx.definition.classes.find((x) => x.code === cls)?.name;
  const out = c.retired.filter((r) => !r.restartedAt);
  const back = c.retired.filter((r) => r.restartedAt);
  return [
    h('p', { class: 'muted', id: 'after' }, c.after ? `After ${c.after}` : 'No stage run yet', className ? ` · ${className}` : ''),
    h('table', { id: 'leaderboard' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Pos'), h('th', { class: 'num' }, 'Car'), h('th', {}, 'Crew'), h('th', { class: 'num' }, 'Total'), h('th', { class: 'num' }, 'Gap'), h('th', { class: 'num wide' }, 'Diff'), h('th', { class: 'num wide' }, 'Pen.'))),
      h('tbody', {}, rows)),
    // A crew back under Super Rally is still in the rally: it is listed apart from the crews out for good.
    out.length ? h('section', {}, h('h3', {}, 'Retired'), h('ul', { class: 'list', id: 'retired' }, out.map((r) => h('li', {}, `#${r.car} at ${r.where}: ${r.reason}`)))) : null,
    back.length ? h('section', {}, h('h3', {}, 'Restarted under Super Rally'), h('ul', { class: 'list', id: 'restarted' }, back.map((r) => h('li', {}, `#${r.car} retired at ${r.where} (${r.reason}), restarted at ${r.restartedAt}`)))) : null,
    c.excluded.length ? h('section', {}, h('h3', {}, 'Excluded'), h('ul', { class: 'list' }, c.excluded.map((r) => h('li', {}, `#${r.car}: ${r.reason}${r.rule ? ` (${r.rule})` : ''}`)))) : null,
  ].filter((n): n is HTMLElement => n !== null);
}

/** The note beside a stage time: none for a time simply driven, nor where there is no time at all. */
const stageNote = (status: StageStatus): string => (status === 'ok' || status === 'notRun' ? '' : STAGE_STATUS_LABELS[status]);

export function stageView(ctx: ViewContext, s: StageClassification): Node[] {
  const rows = [...s.rows].sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.car - b.car);
  return [
    h('h2', {}, `${s.stage.code} ${s.stage.name} `, h('span', { class: 'muted' }, distanceText(ctx.definition, s.stage.distanceM)), s.cancelled ? h('span', { class: 'pill' }, STAGE_STATUS_LABELS.cancelled) : null, s.interrupted ? h('span', { class: 'pill' }, 'interrupted') : null),
    h('table', { id: 'stage-table' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Pos'), h('th', { class: 'num' }, 'Car'), h('th', {}, 'Crew'), h('th', { class: 'num' }, 'Time'), h('th', { class: 'num' }, 'Gap'), h('th', {}, ''))),
      h('tbody', {}, rows.filter((r) => r.status !== 'notRun').map((r) => h('tr', { class: ctx.fresh.has(r.car) ? 'flash' : undefined, 'data-car': r.car },
        h('td', { class: 'num pos' }, r.position ?? ''),
        h('td', { class: 'num car' }, r.car),
        h('td', { class: 'crew' }, crewLink(ctx, r.entry)),
        h('td', { class: 'num time' }, r.timeMs === null ? '—' : formatDuration(r.timeMs)),
        h('td', { class: 'num gap' }, gap(r.gapToWinnerMs)),
        h('td', {}, stageNote(r.status) ? h('span', { class: 'pill' }, stageNote(r.status)) : '', r.penaltyMs ? h('span', { class: 'pill' }, `${penalty(r.penaltyMs)} pen.`) : ''))))),
  ];
}

/** Penalties as the workings list them: road lateness, jump starts and officials' decisions, each with its rule. */
function penaltyItems(c: CrewAnswer): { label: string; ms: number; rule?: string }[] {
  const steps = c.workings.steps.filter((s) => s.kind === 'penalty' && (s.ms ?? 0) > 0);
  return steps.map((s) => ({ label: s.label.replace(/^penalty: /, ''), ms: s.ms ?? 0, ...(s.rule ? { rule: s.rule } : {}) }));
}

export function crewView(ctx: ViewContext, c: CrewAnswer): Node[] {
  const after = new Map(c.progression.map((p) => [p.after, p]));
  const pens = penaltyItems(c);
  const withdrawn = c.penalties.filter((p) => p.withdrawn);
  const cur = c.current;
  return [
    h('h2', { id: 'crew-title' }, `#${c.entry.car} ${crewName(c.entry)}`),
    h('p', { class: 'muted' }, `${c.entry.make} ${c.entry.model} · ${ctx.definition.classes.find((x) => x.code === c.entry.class)?.name ?? c.entry.class}`),
    cur && cur.position !== null
      ? h('p', { class: 'big-line' }, h('strong', {}, `P${cur.position}`), ` overall · P${cur.classPosition ?? '—'} in class · `, h('strong', {}, formatDuration(cur.totalMs)), cur.gapToLeaderMs ? ` (${formatGap(cur.gapToLeaderMs)})` : '')
      : cur ? h('p', { class: 'big-line' }, h('strong', {}, carStatusLabel(cur.status))) : null,
    h('section', { id: 'penalties' }, h('h3', {}, 'Penalties'),
      pens.length
        ? h('ul', { class: 'list' }, pens.map((p) => h('li', {}, h('strong', {}, penalty(p.ms)), ` ${p.label}`, p.rule ? h('div', { class: 'rule' }, `Rule: ${p.rule}`) : null)))
        : h('p', { class: 'muted' }, 'None.'),
      withdrawn.length ? h('p', { class: 'muted' }, `Withdrawn: ${withdrawn.map((p) => `+${p.seconds} s ${p.reason}`).join('; ')}`) : null),
    h('div', { class: 'scroll' }, h('table', { id: 'crew-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Stage'), h('th', { class: 'num' }, 'Time'), h('th', { class: 'num', title: 'Position on the stage' }, 'Pos'), h('th', { class: 'num', title: 'Overall position after the stage' }, 'Overall'), h('th', { class: 'num', title: 'Gap to the class leader after the stage' }, 'Class gap'))),
      h('tbody', {}, c.stages.filter((s) => s.status !== 'notRun' || after.has(s.stage)).map((s) => {
        const p = after.get(s.stage);
        return h('tr', { 'data-stage': s.stage },
          h('td', { class: 'crew' }, h('span', {}, s.stage), h('div', { class: 'sub' }, s.name)),
          h('td', { class: 'num' }, s.timeMs === null ? (stageNote(s.status) || '—') : formatDuration(s.timeMs), s.penaltyMs ? h('div', { class: 'sub' }, `${penalty(s.penaltyMs)} pen.`) : null),
          h('td', { class: 'num' }, s.position ?? ''),
          h('td', { class: 'num' }, p?.position ?? '', p?.classPosition ? h('div', { class: 'sub' }, `class ${p.classPosition}`) : null),
          h('td', { class: 'num' }, p ? gap(p.gapToClassLeaderMs) : ''));
      })))),
    h('h3', {}, 'Gap to the class leader'),
    gapChart([{ label: `#${c.entry.car} ${c.entry.driver.name}`, points: c.progression.map((p) => ({ x: p.after, y: p.gapToClassLeaderMs })) }], 'Gap to the class leader after each stage'),
  ].filter((n): n is HTMLElement | SVGElement => n !== null);
}

/**
 * Head to head: after each stage, each crew's total minus the best total of
 * the crews compared (the one ahead sits on the zero line).
 */
export function compareSeries(crews: CrewAnswer[]): Series[] {
  const best = new Map<string, number>();
  for (const c of crews) {
    for (const p of c.progression) {
      if (p.totalMs === null || p.position === null) continue;
      best.set(p.after, Math.min(best.get(p.after) ?? Infinity, p.totalMs));
    }
  }
  return crews.map((c) => ({
    label: `#${c.entry.car} ${c.entry.driver.name}`,
    points: c.progression.map((p) => ({ x: p.after, y: p.totalMs === null || p.position === null ? null : p.totalMs - (best.get(p.after) ?? p.totalMs) })),
  }));
}
