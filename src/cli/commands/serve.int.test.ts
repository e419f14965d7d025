// `rallyhq serve` as a real process: first start on an empty SQLite file
// (URL printed, admin token printed once, demo rally seeded with leg 1 only),
// second start (nothing printed twice), and an unreachable database (one line, exit 1).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../testing/stop-child.ts';

const BIN = fileURLToPath(new URL('../../../bin/rallyhq.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../fixtures/ara-2026-sno-drift.rally.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rallyhq-serve-'));
const env = { ...process.env, RALLYHQ_ADMIN_TOKEN: '', RALLYHQ_DB: '', RALLYHQ_PORT: '' };

/** Starts the server and waits for the "listening" line; returns the URL and everything printed until then. */
function start(args: string[]): Promise<{ child: ChildProcess; url: string; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'warn', ...args], { cwd: dir, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /rallyhq listening on (http:\/\/\S+)/.exec(out);
      // The token line (if any) is written right after the listening line.
      if (m && (out.includes('administrator token') || out.split('\n').length > 1)) setTimeout(() => resolve({ child, url: m[1] as string, out }), 300);
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit'); // the start-up's "exited early" rejection no longer applies
  return stopChild(child);
}

describe('rallyhq serve', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('first start: URL and database named, token printed once, demo seeded with leg 1 facts only; second start prints no token', async () => {
    const first = await start(['--db', 'sqlite:./data/rallyhq.db']);
    try {
      assert.match(first.out, /rallyhq listening on http:\/\/127\.0\.0\.1:\d+ \(SQLite \.\/data\/rallyhq\.db\)/);
      const token = /administrator token[^:]*: (\S+)/.exec(first.out)?.[1];
      assert.ok(token && /^rhq_[A-Za-z0-9_-]{43}$/.test(token), first.out);
      // Where to use it from the browser alone: the desk and the organiser's page, both served.
      const pages = [...first.out.matchAll(/(http:\/\/\S+\/(?:hq|organise)\.html)/g)].map((m) => m[1] as string);
      assert.deepEqual(pages, [`${first.url}/hq.html`, `${first.url}/organise.html`], first.out);
      for (const page of pages) assert.equal((await fetch(page)).status, 200, page);
      // The pages the server renders itself, started from a folder outside the checkout (as `npx rallyhq serve` is):
      // their JSX must compile under rallyhq's own settings, not whatever the working folder has.
      for (const path of ['/rally.html?id=snodrift-2026', '/standings.html', '/standings.html?rally=snodrift-2026', '/history.html', '/notices.html?rally=snodrift-2026']) {
        const res = await fetch(`${first.url}${path}`);
        assert.equal(res.status, 200, `${path}: ${res.status} ${res.status >= 500 ? await res.text() : ''}`);
      }
      const rallies = await (await fetch(`${first.url}/api/rallies`)).json() as { rallies: { id: string }[] };
      assert.deepEqual(rallies.rallies.map((r) => r.id), ['snodrift-2026']);
      const log = await (await fetch(`${first.url}/api/rallies/snodrift-2026/facts?limit=10000`)).json() as { facts: { fact: { control?: string; stage?: string } }[] };
      // Leg 2's controls and stages, read from the fixture itself.
      const file = JSON.parse(readFileSync(FIXTURE, 'utf8'));
      const leg2 = new Set<string>([
        ...file.rally.stages.filter((s: { leg: string }) => s.leg !== file.rally.legs[0].id).map((s: { code: string }) => s.code),
        ...file.rally.legs.slice(1).flatMap((l: { sections: { controls: { id: string }[] }[] }) => l.sections.flatMap((s) => s.controls.map((c) => c.id))),
      ]);
      assert.ok(log.facts.length > 100 && log.facts.length < file.facts.length, `seeded ${log.facts.length} of ${file.facts.length}`);
      assert.ok(!log.facts.some((f) => leg2.has(f.fact.control ?? '') || leg2.has(f.fact.stage ?? '')), 'no leg 2 fact seeded');
      const who = await (await fetch(`${first.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } })).json() as { role: string };
      assert.equal(who.role, 'admin');
    } finally {
      await stop(first.child);
    }
    const second = await start(['--db', 'sqlite:./data/rallyhq.db']);
    try {
      assert.ok(!second.out.includes('administrator token'), second.out);
      assert.ok(!second.out.includes('seeded'), second.out);
    } finally {
      await stop(second.child);
    }
  });

  test('PostgreSQL unreachable at start → one line naming it, exit 1, no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--db', 'postgres://postgres@127.0.0.1:1/rallyhq', '--port', '0'], { cwd: dir, env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1, err);
    assert.match(err, /cannot open the database PostgreSQL 127\.0\.0\.1:1\/rallyhq/);
    assert.ok(!/\n\s+at /.test(err), `no stack trace: ${err}`);
  });

  test('a bad setting → exit 2 naming the flag', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'eighty'], { cwd: dir, env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /--port: expected a port number/);
  });
});
