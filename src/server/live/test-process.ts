// For the reliability tests: `rallyhq serve` as a real child process, and a
// small Server-Sent Events reader. Not used by the server itself.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { Fact } from '../../core/facts.ts';
import type { Classification } from '../../core/results.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

import { freePort } from '../../testing/free-port.ts';
import { stopChild } from '../../testing/stop-child.ts';

export { freePort };

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  port: number;
  token: string;
  output(): string;
  /** Ends the process: SIGTERM (then SIGKILL after 5 s) or straight SIGKILL. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServer(db: string, opts: { port?: number; token?: string; env?: NodeJS.ProcessEnv; seedDemo?: boolean } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const args = ['bin/rallyhq.js', 'serve', '--db', db, '--port', String(port), opts.seedDemo ? '--seed-demo' : '--no-seed-demo', `--admin-token=${token}`, '--log-level', 'warn'];
  const proc = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`rallyhq serve exited with ${proc.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/api/rallies`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`rallyhq serve did not answer on ${port}:\n${out}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    proc, url, port, token,
    output: () => out,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(proc, signal),
  };
}

export interface SseEventText {
  id?: string;
  event: string;
  data: string;
  /** performance.now() when the event was read off the stream. */
  at: number;
}

/** A stream read with node:http; events are parsed as they arrive (WHATWG HTML §9.2.6). */
export class SseReader {
  readonly events: SseEventText[] = [];
  comments = 0;
  status = 0;
  /** Resolves when the server ends the response (or the connection drops). */
  ended: Promise<void> = Promise.resolve();
  private buf = '';
  private req: http.ClientRequest | null = null;
  private waiters: (() => void)[] = [];

  static open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const r = new SseReader();
    return new Promise((resolve, reject) => {
      r.req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        r.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (d: string) => r.feed(d));
        r.ended = new Promise((done) => { res.on('end', done); res.on('close', done); res.on('aborted', done); });
        resolve(r);
      });
      r.req.on('error', reject);
    });
  }

  private feed(text: string): void {
    this.buf += text;
    let end: number;
    while ((end = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, end);
      this.buf = this.buf.slice(end + 2);
      const e: SseEventText = { event: 'message', data: '', at: performance.now() };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) { this.comments++; continue; }
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'id') e.id = value;
        else if (field === 'event') e.event = value;
        else if (field === 'data') { e.data += (hasData ? '\n' : '') + value; hasData = true; }
      }
      if (hasData) this.events.push(e);
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `pred` holds, or rejects after `ms`. */
  waitFor(pred: (r: SseReader) => boolean, ms = 5000, what = 'the expected events'): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.event, e.id]))}`)), ms);
      const check = () => { if (pred(this)) { clearTimeout(timer); resolve(); } else this.waiters.push(check); };
      check();
    });
  }

  /** Ids of the facts the `delta` events carried, in order. */
  deltaFactIds(): string[] {
    return this.events.filter((e) => e.event === 'delta').flatMap((e) => (JSON.parse(e.data) as { facts: { id: string }[] }).facts.map((f) => f.id));
  }

  close(): void {
    this.req?.destroy();
  }
}

export interface RallyFileJson { format: string; version: number; rally: { id: string }; facts: Fact[] }

export async function importRally(s: ServerProcess, file: RallyFileJson): Promise<void> {
  const r = await fetch(`${s.url}/api/rallies/import`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...file, facts: [] }) });
  assert.ok(r.ok, `import failed: ${r.status} ${await r.text()}`);
}

/** An authorised JSON request to a server process (admin token). */
export async function call(s: ServerProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${s.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Polls `probe` until it returns a value (not undefined), or fails after `ms` naming `what`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = performance.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (performance.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export { median } from '../../testing/median.ts';

export async function postFact(s: ServerProcess, rallyId: string, fact: Fact): Promise<Response> {
  return fetch(`${s.url}/api/rallies/${rallyId}/facts`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: JSON.stringify(fact) });
}

/** The rows that matter for "equal results": who is where, on what total, in what state. */
export function essence(c: Classification): unknown {
  return {
    after: c.after,
    rows: c.rows.map((r) => [r.car, r.position, r.classPosition, r.status, r.totalMs, r.penaltyMs, r.stagesCounted]),
    retired: c.retired.map((r) => r.car).sort((a, b) => a - b),
    excluded: c.excluded.map((e) => e.car).sort((a, b) => a - b),
  };
}

/** The overall classification in a results answer (bare, or under `classification`). */
export function classificationOf(body: unknown): Classification {
  const o = body as { classification?: Classification; rows?: unknown };
  if (o.classification) return o.classification;
  if (Array.isArray(o.rows)) return body as Classification;
  throw new Error(`no classification in results answer: ${JSON.stringify(body).slice(0, 300)}`);
}

