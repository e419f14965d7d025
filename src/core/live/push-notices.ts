// What a fan who follows a crew is told by a push notification when facts
// about that crew are committed: a stage time (with the place on the stage
// among the crew's category, "so far" while others are still on it), a
// penalty (how much and why, in the officials' words) or a retirement (where
// and why). Pure: the server finds the subscribers and sends.
import type { Fact } from '../facts.ts';
import type { Entry } from '../model.ts';
import type { RetiredCrew, StageClassification } from '../results.ts';
import { formatDuration, formatGap } from '../time/duration.ts';

export type PushNoticeKind = 'stage-time' | 'penalty' | 'retirement';

/** One notification, as the page's push worker shows it. */
export interface PushNotice {
  car: number;
  kind: PushNoticeKind;
  title: string;
  body: string;
  /** Replaces an earlier notification of the same thing (a corrected time) instead of stacking. */
  tag: string;
  /** The crew's page. */
  url: string;
}

/** What the composer reads about one crew, in the crew's own category. */
export interface CrewLookup {
  entry: Entry;
  /** The stage's results among the crew's category, or null. */
  stage(code: string): StageClassification | null;
  /** True while some crew of the category is still on the stage: places are "so far". */
  stageRunning(code: string): boolean;
  /** The crew's retirement as the classification has it, if retired. */
  retired(): RetiredCrew | undefined;
}

export interface NoticeContext {
  rallyId: string;
  rallyName: string;
  /** The stage a control finishes (SS_FINISH controls only). */
  finishOf(control: string): string | undefined;
  /** Null for a car not in the entry list. */
  crew(car: number): CrewLookup | null;
}

const STATUS_WORDS: Partial<Record<string, string>> = {
  notional: 'notional time',
  assessed: 'time charged',
  restartCharged: 'time charged (Super Rally)',
  maxTime: 'stage maximum charged',
};

/** `1st`, `2nd`, `3rd`, `11th`… */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function crewName(e: Entry): string {
  const surname = (name: string) => name.trim().split(/\s+/).at(-1) ?? name;
  return `#${e.car} ${surname(e.driver.name)} / ${surname(e.codriver.name)}`;
}

function stageTimeNotice(ctx: NoticeContext, crew: CrewLookup, code: string): PushNotice | null {
  const st = crew.stage(code);
  const row = st?.rows.find((r) => r.car === crew.entry.car);
  if (!st || !row || row.timeMs === null || row.status === 'running' || row.status === 'notRun' || row.status === 'cancelled') return null;
  const soFar = crew.stageRunning(code) ? ' so far' : '';
  const place = row.position === null ? '' : row.position === 1 ? `, fastest${soFar}` : `, ${ordinal(row.position)}${soFar} (${formatGap(row.gapToWinnerMs)})`;
  const words = STATUS_WORDS[row.status];
  const pen = row.penaltyMs > 0 ? `; penalty ${formatDuration(row.penaltyMs)}` : '';
  return {
    car: crew.entry.car,
    kind: 'stage-time',
    title: `${crewName(crew.entry)} · ${code} ${st.stage.name}`.trim(),
    body: `${formatDuration(row.timeMs)}${words ? ` (${words})` : ''}${place}${pen}`,
    tag: `${ctx.rallyId}:${crew.entry.car}:${code}`,
    url: crewUrl(ctx, crew.entry.car),
  };
}

function crewUrl(ctx: NoticeContext, car: number): string {
  return `/rally.html?id=${encodeURIComponent(ctx.rallyId)}&view=crew&car=${car}`;
}

/**
 * The notifications for the facts of one committed change, at most one per
 * crew and kind and stage (two split times and a finish give one stage time).
 * Facts about crews no longer in the entry list give none.
 */
export function pushNotices(ctx: NoticeContext, facts: readonly Fact[]): PushNotice[] {
  const out = new Map<string, PushNotice>();
  const add = (n: PushNotice | null) => { if (n) out.set(`${n.kind}:${n.tag}`, n); };
  for (const f of facts) {
    if (!('car' in f) || typeof f.car !== 'number') continue;
    const crew = ctx.crew(f.car);
    if (!crew) continue;
    switch (f.type) {
      case 'controlTime': {
        const stage = ctx.finishOf(f.control);
        if (stage) add(stageTimeNotice(ctx, crew, stage));
        break;
      }
      case 'stageTime':
        add(stageTimeNotice(ctx, crew, f.stage));
        break;
      case 'penalty': {
        const where = f.stage ?? f.control;
        add({
          car: f.car,
          kind: 'penalty',
          title: `${crewName(crew.entry)} · penalty${f.supersedes ? ' corrected' : ''}`,
          body: `${formatDuration(f.seconds * 1000)}${where ? ` at ${where}` : ''}: ${f.reason}`,
          tag: `${ctx.rallyId}:${f.car}:penalty:${f.supersedes ?? f.id}`,
          url: crewUrl(ctx, f.car),
        });
        break;
      }
      case 'retirement': {
        // The classification's word for it: a superseded or retracted retirement says nothing.
        const r = crew.retired();
        if (!r) break;
        add({
          car: f.car,
          kind: 'retirement',
          title: `${crewName(crew.entry)} · retired`,
          body: `Retired at ${r.where}: ${r.reason}`,
          tag: `${ctx.rallyId}:${f.car}:retirement`,
          url: crewUrl(ctx, f.car),
        });
        break;
      }
      default:
        break;
    }
  }
  return [...out.values()];
}
