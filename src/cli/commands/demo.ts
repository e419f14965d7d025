// `rallyhq demo`: replays the demo rally against a running server as if it
// were happening now, so a newcomer can watch times arrive, positions change
// and a car go overdue (journeys §1). Reads the rally file (default: the
// Sno*Drift 2026 fixture) and the server's log of the rally; writes, over
// HTTP, the facts the server does not have yet. Idempotent on fact ids: a
// second run continues where the first stopped.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand, CliIO } from '../command.ts';
import { EXIT, parseFlags, stringFlag, usageError } from '../args.ts';
import type { Fact } from '../../core/facts.ts';
import type { Control, RallyDefinition } from '../../core/model.ts';
import { parseRallyFile } from '../../core/rallyfile/parse.ts';
import { daysBetween, shiftRally } from './demo-shift.ts';
import { formatDuration, formatGap, formatLocalDateTime, formatTimeOfDay, parseLocalDateTime } from '../../core/time/index.ts';
import { toRallyLocalMs } from '../../server/live/clock.ts';
import { newTokenSecret, sha256Hex } from '../../server/auth.ts';
import { openStore } from '../../store/open.ts';

const DEFAULT_FILE = fileURLToPath(new URL('../../../fixtures/ara-2026-sno-drift.rally.json', import.meta.url));

export interface PlannedFact {
  fact: Fact;
  /** When it happened, rally-local ms (carried forward for facts without a time of day). */
  atLocalMs: number;
  /** When to send it, ms after the replay starts. */
  sendAfterMs: number;
}

/**
 * Paces facts by their times of day: `speed` 30 = thirty times real time.
 * Quiet spells longer than `maxGapMs` of replay time (the night between legs)
 * are shortened to `maxGapMs`. Facts keep their order (the file is chronological).
 */
export function planReplay(facts: readonly Fact[], speed: number, maxGapMs: number, timeZone = 'UTC'): PlannedFact[] {
  const own = facts.map((f) => ownTime(f, timeZone));
  // A fact without a time of day (a restart, a decision) goes with the fact before it, or, first of all, the next one.
  const firstKnown = own.find((t) => t !== null) ?? 0;
  const out: PlannedFact[] = [];
  let prevAt: number | null = null;
  let clock = 0;
  facts.forEach((fact, i) => {
    const at: number = own[i] ?? prevAt ?? firstKnown;
    if (prevAt !== null && at > prevAt) clock += Math.min((at - prevAt) / speed, maxGapMs);
    prevAt = prevAt === null ? at : Math.max(prevAt, at);
    out.push({ fact, atLocalMs: at, sendAfterMs: Math.round(clock) });
  });
  return out;
}

/** When a fact happened, rally-local ms: a control time's `at`, else when it was recorded; null when unknown. */
function ownTime(f: Fact, timeZone: string): number | null {
  if (f.type === 'controlTime') return parseLocalDateTime(f.at);
  const recorded = f.recordedAt ? Date.parse(f.recordedAt) : NaN;
  return Number.isFinite(recorded) ? toRallyLocalMs(recorded, timeZone) : null;
}

/** Stage start times by `car|stage`, to print a finish as the stage time people read. */
export function startTimes(def: RallyDefinition, facts: readonly Fact[]): Map<string, number> {
  const controls = controlIndex(def);
  const starts = new Map<string, number>();
  for (const f of facts) {
    if (f.type !== 'controlTime') continue;
    const c = controls.get(f.control);
    const at = parseLocalDateTime(f.at);
    if (c?.kind === 'SS_START' && c.stage && at !== null) starts.set(`${f.car}|${c.stage}`, at);
  }
  return starts;
}

export function controlIndex(def: RallyDefinition): Map<string, Control> {
  return new Map(def.legs.flatMap((l) => l.sections.flatMap((s) => s.controls.map((c) => [c.id, c] as const))));
}

/** One line per fact, as a timekeeper would say it: `SS7 finish  car 23  3:45.2`. */
export function describeFact(f: Fact, controls: ReadonlyMap<string, Control>, starts: ReadonlyMap<string, number>): string {
  const why = f.supersedes ? `  (corrects ${f.supersedes}: ${f.reason ?? 'no reason given'})` : '';
  switch (f.type) {
    case 'controlTime': {
      const c = controls.get(f.control);
      const at = parseLocalDateTime(f.at);
      const tod = at === null ? f.at : formatTimeOfDay(at, c?.kind === 'SS_START' || c?.kind === 'SS_FINISH' || c?.kind === 'SPLIT' ? 1 : 0);
      const start = c?.stage ? starts.get(`${f.car}|${c.stage}`) : undefined;
      if (c?.kind === 'SS_FINISH' && at !== null && start !== undefined) return `${c.stage} finish  car ${f.car}  ${formatDuration(at - start)}${why}`;
      if (c?.kind === 'SPLIT' && at !== null && start !== undefined) return `${c.stage} split ${c.id}  car ${f.car}  ${formatDuration(at - start)}${why}`;
      if (c?.kind === 'SS_START') return `${c.stage} start  car ${f.car}  ${tod}${why}`;
      return `${f.control}  car ${f.car}  ${tod}${why}`;
    }
    case 'stageTime': return `${f.stage} time  car ${f.car}  ${f.time}${why}`;
    case 'penalty': return `penalty  car ${f.car}  ${formatGap(Math.round(f.seconds * 1000))}  ${f.reason}${f.rule ? ` (${f.rule})` : ''}`;
    case 'jumpStart': return `${f.stage} jump start  car ${f.car}`;
    case 'retirement': return `retired  car ${f.car}  at ${f.where}: ${f.reason}`;
    case 'restart': return `restarts  car ${f.car}  at ${f.section} (Super Rally)`;
    case 'exclusion': return `excluded  car ${f.car}: ${f.reason}`;
    case 'stageInterrupted': return `${f.stage} interrupted: ${f.reason} (notional times for ${f.notionalTimes.length} cars)`;
    case 'stageCancelled': return `${f.stage} cancelled: ${f.reason}`;
    case 'stageMaximumCharged': return `${f.stage} stage maximum  car ${f.car}: ${f.reason}`;
    case 'delayedStart': return `${f.stage} delayed start  car ${f.car}: ${f.reason}`;
    case 'retraction': return `retracted ${f.supersedes}: ${f.reason}`;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Http {
  url: string;
  token: string | undefined;
}

async function call(http: Http, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = {};
  if (http.token) headers.authorization = `Bearer ${http.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(http.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json: unknown = text;
  try { json = JSON.parse(text); } catch { /* not JSON: keep the text for the message */ }
  return { status: r.status, json };
}

function detail(json: unknown): string {
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    return String(o.detail ?? o.message ?? o.title ?? JSON.stringify(json)).slice(0, 400);
  }
  return String(json).slice(0, 400);
}

/** Fact ids the server already has for the rally, from its export. */
async function knownIds(http: Http, rallyId: string): Promise<Set<string> | null> {
  const r = await call(http, 'GET', `/api/rallies/${encodeURIComponent(rallyId)}/export`);
  if (r.status === 404) return null;
  if (r.status !== 200) throw new Error(`GET /api/rallies/${rallyId}/export answered ${r.status}: ${detail(r.json)}`);
  const facts = (r.json as { facts?: { id: string }[] }).facts ?? [];
  return new Set(facts.map((f) => f.id));
}

const USAGE = `usage: rallyhq demo [--url http://127.0.0.1:3000] [--speed 30] [--rally <id>] [--token <token>]
                    [--file fixtures/ara-2026-sno-drift.rally.json] [--max-gap 20] [--today]

Replays the demo rally against a running rallyhq server as if it were happening
now: the facts of the rally file that the server's log does not have yet are
posted in order, paced by their times of day (--speed 30 = thirty times real
time; quiet spells such as the night between legs last at most --max-gap
seconds). Each fact is printed as it goes. Re-running continues where the last
run stopped (facts are idempotent on their ids). Open the printed live page to
watch times arrive, positions change and a car go overdue.

reads   the rally file (default: the Sno*Drift 2026 demo, as ARA published it) and
        GET <url>/api/rallies/<id>/export
writes  POST <url>/api/rallies/<id>/facts (and, if the server does not know the
        rally, POST <url>/api/rallies/import with its definition)

  --url      server address (env RALLYHQ_URL; default http://127.0.0.1:3000)
  --speed    how many times faster than real time (default 30)
  --rally    rally id on the server (default: the id in the rally file)
  --token    administrator or results-officer token (env RALLYHQ_TOKEN, else
             RALLYHQ_ADMIN_TOKEN as given to \`rallyhq serve\`);
             printed by \`rallyhq serve\` the first time it starts; without one,
             a demo token is minted in the local SQLite database (--db)
  --db       the server's SQLite database for that (env RALLYHQ_DB;
             default sqlite:./data/rallyhq.db)
  --file     rally file to replay (default: fixtures/ara-2026-sno-drift.rally.json)
  --max-gap  longest pause between two facts, seconds (default 20)
  --today    move the rally to today (in its time zone) under the id
             <id>-<date>, every time of day unchanged: try the marshal page,
             overdue crews and the desk on any date

exit codes: 0 done, 1 server or data problem, 2 bad command line`;

/** A results-officer token for the demo rally, written straight into a local SQLite database; undefined when there is none. */
async function localDemoToken(db: string, io: CliIO): Promise<string | undefined> {
  if (/^postgres(ql)?:/.test(db)) return undefined;
  const file = resolve(io.cwd, db.replace(/^sqlite:/, ''));
  if (!existsSync(file)) return undefined;
  const store = await openStore(`sqlite:${file}`);
  try {
    const secret = newTokenSecret();
    const hash = sha256Hex(secret);
    await store.createToken({ id: `tok_demo_${hash.slice(0, 12)}`, hash, role: 'admin', label: 'demo replay', createdAt: new Date().toISOString(), createdBy: 'rallyhq demo (local database)' });
    io.out(`using a demo token minted in ${db} (pass --token to use your own)\n`);
    return secret;
  } finally {
    await store.close();
  }
}

export const command: CliCommand = {
  name: 'demo',
  summary: 'replay the demo rally against a running server, live, at --speed',
  usage: USAGE,
  async run(args: string[], io: CliIO) {
    const parsed = parseFlags(args, { url: { type: 'string' }, speed: { type: 'string' }, rally: { type: 'string' }, token: { type: 'string' }, file: { type: 'string' }, 'max-gap': { type: 'string' }, db: { type: 'string' }, today: { type: 'boolean' } });
    if (!parsed.ok) return usageError(io, command, parsed.message);
    const v = parsed.values;
    const speed = Number(stringFlag(v.speed) ?? 30);
    if (!Number.isFinite(speed) || speed <= 0) return usageError(io, command, `--speed must be a number above 0 (30 = thirty times real time), got '${String(v.speed)}'`);
    const maxGap = Number(stringFlag(v['max-gap']) ?? 20);
    if (!Number.isFinite(maxGap) || maxGap < 0) return usageError(io, command, `--max-gap must be a number of seconds ≥ 0, got '${String(v['max-gap'])}'`);
    const url = (stringFlag(v.url) ?? process.env.RALLYHQ_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
    if (!/^https?:\/\//.test(url)) return usageError(io, command, `--url must start with http:// or https://, got '${url}'`);
    const http: Http = { url, token: stringFlag(v.token) ?? process.env.RALLYHQ_TOKEN ?? process.env.RALLYHQ_ADMIN_TOKEN };
    if (!http.token) {
      // A newcomer runs `npx rallyhq demo` beside `npm start`: whoever can write the
      // server's own SQLite file is its administrator anyway, so mint a demo token there.
      http.token = await localDemoToken(stringFlag(v.db) ?? process.env.RALLYHQ_DB ?? 'sqlite:./data/rallyhq.db', io);
    }

    const path = stringFlag(v.file) ? resolve(io.cwd, String(v.file)) : DEFAULT_FILE;
    let text: string;
    try { text = await readFile(path, 'utf8'); } catch (e) {
      io.err(`rallyhq demo: cannot read the rally file ${path}: ${(e as Error).message}\n`);
      return EXIT.dataError;
    }
    const file = parseRallyFile(JSON.parse(text) as unknown);
    if (!file.ok) {
      io.err(`rallyhq demo: ${path} is not a valid rally file:\n${file.errors.slice(0, 20).map((e) => `  ${e.path}: ${e.message}`).join('\n')}\n`);
      return EXIT.dataError;
    }
    let def = file.file.rally;
    let facts = file.file.facts;
    if (v.today === true) {
      // The rally as if it started today (in its own time zone), under its own id so the original stays.
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: def.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
      const moved = shiftRally(def, facts, daysBetween(def.startDate, today), `${def.id}-${today}`);
      def = moved.rally;
      facts = moved.facts;
      io.out(`moved ${def.name} to ${def.startDate}…${def.endDate} as '${def.id}' (times of day unchanged)\n`);
    }
    const rallyId = stringFlag(v.rally) ?? def.id;

    let known: Set<string> | null;
    try { known = await knownIds(http, rallyId); } catch (e) {
      io.err(`rallyhq demo: cannot reach the server at ${url}: ${(e as Error).message}\nStart it with \`npm start\` (or pass --url).\n`);
      return EXIT.dataError;
    }
    if (known === null) {
      const r = await call(http, 'POST', '/api/rallies/import', { ...JSON.parse(text) as object, rally: { ...def, id: rallyId }, facts: [] });
      if (r.status >= 300) {
        io.err(`rallyhq demo: the server has no rally '${rallyId}' and importing it failed (${r.status}): ${detail(r.json)}\n${r.status === 401 || r.status === 403 ? 'Pass the administrator token printed by `rallyhq serve` with --token.\n' : ''}`);
        return EXIT.dataError;
      }
      io.out(`imported ${def.name} as '${rallyId}' (no facts yet)\n`);
      known = new Set();
    }
    const remaining = facts.filter((f) => !known.has(f.id));
    const total = facts.length;
    io.out(`${def.name}: ${total - remaining.length} of ${total} facts already on the server; replaying ${remaining.length} at ${speed}× real time\n`);
    io.out(`watch it: open ${url}/ in a browser (live events: ${url}/api/rallies/${encodeURIComponent(rallyId)}/live)\n`);
    // The times of day of a rally rebuilt around published stage times are not the real ones: say so beside them.
    if (def.illustrativeTimesOfDay) io.out(`note: ${def.illustrativeTimesOfDay}\n`);
    if (remaining.length === 0) return EXIT.ok;

    const controls = controlIndex(def);
    const starts = startTimes(def, facts);
    const plan = planReplay(remaining, speed, maxGap * 1000, def.timeZone);
    const began = Date.now();
    let done = 0, rejected = 0;
    for (let i = 0; i < plan.length;) {
      const wait = began + plan[i]!.sendAfterMs - Date.now();
      if (wait > 0) await sleep(wait);
      // Everything due by now goes in one batch (at high speeds many facts fall due together).
      const batch: PlannedFact[] = [];
      while (i < plan.length && batch.length < 100 && began + plan[i]!.sendAfterMs <= Date.now()) batch.push(plan[i++]!);
      if (batch.length === 0) continue;
      const result = await postWithRetry(http, rallyId, batch.map((b) => b.fact), io);
      if (result === 'auth') return EXIT.dataError;
      if (result === 'unreachable') {
        io.err(`rallyhq demo: the server at ${url} stopped answering; run the same command again to continue.\n`);
        return EXIT.dataError;
      }
      for (const b of batch) {
        done++;
        const status = result.rejected.has(b.fact.id) ? `  REJECTED: ${result.rejected.get(b.fact.id)}` : '';
        if (status) rejected++;
        io.out(`[${String(total - remaining.length + done).padStart(String(total).length)}/${total}] ${formatLocalDateTime(b.atLocalMs).slice(5, 19).replace('T', ' ')}  ${describeFact(b.fact, controls, starts)}${status}\n`);
      }
    }
    io.out(`done: ${done} facts replayed${rejected ? `, ${rejected} rejected` : ''} in ${Math.round((Date.now() - began) / 1000)} s\n`);
    return rejected ? EXIT.dataError : EXIT.ok;
  },
};

async function postWithRetry(http: Http, rallyId: string, facts: Fact[], io: CliIO): Promise<{ rejected: Map<string, string> } | 'auth' | 'unreachable'> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await call(http, 'POST', `/api/rallies/${encodeURIComponent(rallyId)}/facts`, facts.length === 1 ? facts[0] : { facts });
      if (r.status === 401 || r.status === 403) {
        io.err(`rallyhq demo: the server refused to take facts (${r.status}): ${detail(r.json)}\nPass an administrator or results-officer token with --token (\`rallyhq serve\` prints the administrator token when it first starts).\n`);
        return 'auth';
      }
      if (r.status < 400) return { rejected: new Map() };
      if (r.status >= 500) throw new Error(`${r.status} ${detail(r.json)}`);
      // A batch is atomic: when it is refused, send its facts one by one so only the bad one is lost.
      if (facts.length > 1) {
        const rejected = new Map<string, string>();
        for (const f of facts) {
          const one = await postWithRetry(http, rallyId, [f], io);
          if (typeof one === 'string') return one;
          for (const [k, m] of one.rejected) rejected.set(k, m);
        }
        return { rejected };
      }
      return { rejected: new Map([[facts[0]!.id, `${r.status} ${detail(r.json)}`]]) };
    } catch (e) {
      if (attempt >= 15) return 'unreachable';
      if (attempt === 0) io.err(`server not answering (${(e as Error).message}); retrying…\n`);
      await sleep(Math.min(4000, 250 * 2 ** attempt));
    }
  }
}
