// Thin client for the rallyhq HTTP API: JSON in, JSON out, problem details
// turned into readable errors. ETags make repeated polls cheap on a poor link.

export class ApiError extends Error {
  constructor(public readonly status: number, message: string, public readonly body: unknown) {
    super(message);
  }
}

const etags = new Map<string, { etag: string; body: unknown }>();

function problemText(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const b = body as { detail?: string; title?: string; message?: string; errors?: { path?: string; message?: string }[] };
    const head = b.detail ?? b.message ?? b.title ?? '';
    // NOTE: the detail usually quotes the first error already; list only what it does not say.
    const errs = (Array.isArray(b.errors) ? b.errors : []).filter((e) => !head.includes(e.message ?? '')).map((e) => `${e.path ?? ''}: ${e.message ?? ''}`);
    return [head, ...errs].filter(Boolean).join(' — ') || `HTTP ${status}`;
  }
  return `HTTP ${status}`;
}

export async function getJson<T>(path: string, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const cached = etags.get(path);
  if (cached) headers['if-none-match'] = cached.etag;
  const res = await fetch(path, { headers });
  if (res.status === 304 && cached) return cached.body as T;
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, problemText(body, res.status), body);
  const etag = res.headers.get('etag');
  if (etag) etags.set(path, { etag, body });
  return body as T;
}

/** `idempotencyKey`: made once per intended write and sent again on a retry, so the server does it once. */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload: unknown, token?: string, idempotencyKey?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A DELETE goes without a body (and so without a content type the server would want a body for).
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(path, { method, headers, ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}) });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, problemText(body, res.status), body);
  return body as T;
}

export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
