// The rally page's state besides the live picture: which view, class, stage,
// crew; the reference crew for gaps (rebase); the latest publication; the
// followed crews. Signals, so the server's first render and the page share it.
import { signal } from '@preact/signals';

export type View = 'overall' | 'grid' | 'stage' | 'crew' | 'chart' | 'entries' | 'timetable';

export interface Route {
  view: View;
  cls: string;
  stage: string;
  car: string;
  compare: string[];
  /** Gaps relative to this car instead of the leader / stage winner (rebase); '' = normal. */
  ref: string;
  /** Category shown (a rally with several on the same roads); '' = the first. */
  cat: string;
}

export const VIEWS: readonly View[] = ['overall', 'grid', 'stage', 'crew', 'chart', 'entries', 'timetable'];

export function routeFrom(params: URLSearchParams): Route {
  const v = params.get('view') ?? 'overall';
  return {
    view: (VIEWS as readonly string[]).includes(v) ? (v as View) : 'overall',
    cls: params.get('class') ?? '',
    stage: params.get('stage') ?? '',
    car: params.get('car') ?? '',
    compare: (params.get('compare') ?? '').split(',').filter(Boolean),
    ref: params.get('ref') ?? '',
    cat: params.get('category') ?? '',
  };
}

export function routeQuery(rallyId: string, r: Route): string {
  const p = new URLSearchParams({ id: rallyId });
  if (r.cat) p.set('category', r.cat);
  if (r.view !== 'overall') p.set('view', r.view);
  if (r.cls) p.set('class', r.cls);
  if (r.view === 'stage' && r.stage) p.set('stage', r.stage);
  if (r.view === 'crew' && r.car) p.set('car', r.car);
  if (r.view === 'chart' && r.compare.length) p.set('compare', r.compare.join(','));
  if (r.ref) p.set('ref', r.ref);
  return `?${p}`;
}

export const route = signal<Route>(routeFrom(new URLSearchParams()));

/** The latest publication's head (GET …/publications), or null while nothing is published. */
export interface PublicationHead { number: number; kind: 'provisional' | 'official'; publishedAt: string; reason?: string; uptoSeq?: number }
export const publication = signal<PublicationHead | null>(null);

/** Connection state of the live stream, for the header. */
export const connection = signal<'live' | 'retrying' | 'offline-reading'>('live');

/** The one polite announcement ("Updated 15:28:03 EST"). */
export const announcement = signal('');

/** Followed crews (kept on the phone), pinned to the top of the tables. */
export const followed = signal<ReadonlySet<number>>(new Set());

/** A stage's times are being fetched (an earlier stage the live picture did not hold). */
export const stageLoading = signal(false);

/** Follows or unfollows a crew; the page keeps the set on the phone (rally.tsx). */
export const follow = { toggle: null as null | ((car: number) => void) };
