// What every organiser view shares: the rally, the token (kept for this
// browser tab only), the status line, and API calls that report their error
// there instead of throwing at the view.
import { signal } from '@preact/signals';
import { getJson, sendJson } from '../lib/api.ts';

const KEY = 'rallyhq.organise';
const params = new URLSearchParams(location.search);

export const token = signal(sessionStorage.getItem(`${KEY}.token`) ?? '');
export const rallyId = signal(params.get('id') ?? localStorage.getItem(`${KEY}.rally`) ?? '');
export const view = signal(params.get('view') ?? 'entries');
/** The status line: what just happened, or what went wrong and how to fix it. */
export const message = signal<{ text: string; error: boolean }>({ text: '', error: false });

export function say(text: string, error = false): void {
  message.value = { text, error };
}

export function remember(t: string, rally: string): void {
  token.value = t;
  rallyId.value = rally;
  sessionStorage.setItem(`${KEY}.token`, t);
  localStorage.setItem(`${KEY}.rally`, rally);
}

export function forget(): void {
  token.value = '';
  sessionStorage.removeItem(`${KEY}.token`);
}

export function go(v: string): void {
  view.value = v;
  const p = new URLSearchParams(location.search);
  p.set('view', v);
  if (rallyId.value) p.set('id', rallyId.value);
  history.replaceState(null, '', `${location.pathname}?${p.toString()}`);
}

export const rallyPath = (p: string): string => `/api/rallies/${encodeURIComponent(rallyId.value)}${p}`;

export function read<T>(path: string): Promise<T> {
  return getJson<T>(path, token.value);
}

/** Sends a change; on failure the status line says why and null is returned. */
export async function write<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown, done?: string, idempotencyKey?: string): Promise<T | null> {
  try {
    const r = await sendJson<T>(method, path, body, token.value, idempotencyKey);
    if (done) say(done);
    return r;
  } catch (e) {
    say((e as Error).message, true);
    return null;
  }
}

/** Deletes (revokes, cancels); on failure the status line says why and false is returned. */
export async function remove(path: string, done: string): Promise<boolean> {
  try {
    await sendJson('DELETE', path, undefined, token.value);
    say(done);
    return true;
  } catch (e) {
    say((e as Error).message, true);
    return false;
  }
}
