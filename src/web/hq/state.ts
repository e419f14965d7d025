// The desk's shared state: who is signed in, the rally's definition and log,
// and what needs attention. Signals: a component reads what it shows and only
// it re-renders when that changes, so a live refresh never steals focus.
import { signal } from '@preact/signals';
import { getJson, sendJson } from '../lib/api.ts';
import { listOf, type Issue, type OverdueCrew, type Publication, type RallyDefinition } from '../lib/types.ts';
import { localTimeText, zoneDateTime, zoneTime } from '../lib/rally-time.ts';

export interface StoredFactView { seq: number; receivedAt: string; principal: string; device?: string; fact: Record<string, unknown> & { id: string; type: string; car?: number; supersedes?: string; reason?: string } }
export interface ConflictEntry { seq: number; id: string; principal?: string; device?: string; receivedAt?: string; fact: { at?: string; time?: string; control?: string; stage?: string; raw?: string } }
export interface Conflict extends Issue { entries: ConflictEntry[] }

const KEY = 'rallyhq.hq';
export const token = signal(sessionStorage.getItem(`${KEY}.token`) ?? '');
export const rallyId = signal(new URLSearchParams(location.search).get('rally') ?? localStorage.getItem(`${KEY}.rally`) ?? '');
export const signedIn = signal(false);
export const who = signal('');
export const definition = signal<RallyDefinition | null>(null);
export const facts = signal<StoredFactView[]>([]);
export const conflicts = signal<Conflict[]>([]);
export const anomalies = signal<Issue[]>([]);
export const overdue = signal<OverdueCrew[]>([]);
export const publications = signal<Publication[]>([]);
export const liveState = signal('');
/** The desk's last message (read out politely). */
export const message = signal<{ text: string; error: boolean }>({ text: '', error: false });

/** A moment as the desk shows it: rally-local, 24-hour, with the zone (`7 Feb 2026 16:00:05 EST`), never the laptop's zone. */
export const when = (iso: string): string => zoneDateTime(iso, definition.value?.timeZone ?? 'UTC');
/** A fact's rally-local time (`2026-02-07T15:41:35.0`) with its day and zone: `7 Feb 15:41:35.0 EST`. */
export const factTime = (local: string): string => (definition.value ? localTimeText(local, definition.value.timeZone) : local);
/** A time of day of the rally (`16:30 EST`, or with seconds). */
export const clockAt = (iso: string, withSeconds = false): string => zoneTime(iso, definition.value?.timeZone ?? 'UTC', withSeconds);

export function say(text: string, error = false): void {
  message.value = { text, error };
}

export const api = (p: string) => `/api/rallies/${encodeURIComponent(rallyId.value)}${p}`;
export const get = <T>(p: string) => getJson<T>(api(p), token.value);
export const post = <T>(p: string, body: unknown, key?: string) => sendJson<T>('POST', api(p), body, token.value, key);

export function remember(): void {
  sessionStorage.setItem(`${KEY}.token`, token.value);
  localStorage.setItem(`${KEY}.rally`, rallyId.value);
}

export function forget(): void {
  sessionStorage.removeItem(`${KEY}.token`);
}

/** Refreshers other modules add (inquiry, notices…): run with every refresh. */
const extra: (() => Promise<void>)[] = [];
export function onRefresh(f: () => Promise<void>): void {
  extra.push(f);
}

export async function refresh(): Promise<void> {
  const [c, a, o, p, log, rally] = await Promise.all([
    get<unknown>('/conflicts'),
    get<unknown>('/anomalies'),
    get<unknown>('/overdue'),
    get<unknown>('/publications'),
    get<{ facts: StoredFactView[] }>('/facts?limit=10000'),
    get<{ definition: RallyDefinition }>(''),
  ]);
  conflicts.value = listOf<Conflict>(c, 'conflicts');
  anomalies.value = listOf<Issue>(a, 'issues').filter((i) => i.code !== 'conflict' && i.code !== 'two-times-one-control' && i.code !== 'overdue');
  if (!stream) overdue.value = listOf<OverdueCrew>(o, 'overdue');
  publications.value = listOf<Publication>(p, 'publications');
  facts.value = log.facts;
  definition.value = rally.definition;
  await Promise.all(extra.map((f) => f().catch(() => {})));
}

let stream: EventSource | null = null;
export function listen(): void {
  stream?.close();
  stream = new EventSource(`${api('/live/hq')}?token=${encodeURIComponent(token.value)}`);
  stream.addEventListener('overdue', (ev) => { overdue.value = (JSON.parse((ev as MessageEvent<string>).data) as { overdue: OverdueCrew[] }).overdue; });
  let pending: ReturnType<typeof setTimeout> | null = null;
  const later = () => { if (!pending) pending = setTimeout(() => { pending = null; void refresh().catch(() => {}); }, 400); };
  for (const ev of ['delta', 'counts', 'publication', 'reset', 'notice']) stream.addEventListener(ev, later);
  stream.onopen = () => { liveState.value = 'live'; };
  stream.onerror = () => { liveState.value = 'reconnecting…'; };
}

/** Entries as "23 — Semenuk / Lindqvist (L4WD)" for pickers. */
export function crewLabel(car: number): string {
  const e = definition.value?.entries.find((x) => x.car === car);
  return e ? `${car} — ${e.driver.name} / ${e.codriver.name} (${e.class})` : `car ${car} (not on the entry list)`;
}

export function allControls(): { id: string; kind: string; stage?: string; name?: string; section: string }[] {
  return (definition.value?.legs ?? []).flatMap((l) => l.sections.flatMap((s) => s.controls.map((c) => ({ ...c, section: s.id }))));
}
