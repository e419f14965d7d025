// A full disk recovers: on a 3 MiB volume, appends fill it until SQLite
// answers "database or disk is full"; once space is freed (a ballast file is
// removed, as an operator would clear old logs), appends must succeed again,
// the WAL — which on so small a volume holds every commit — is folded into the
// database and truncated, and every acknowledged fact is there after reopening. The volume is a tmpfs
// mounted by the test, which needs root (CAP_SYS_ADMIN); elsewhere the test
// is skipped, loudly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlTime, input, sampleRally } from '../contract.suite.ts';
import { SqliteStore } from './sqlite-store.ts';

const RALLY = 'full';

function mountSmallVolume(dir: string): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `cannot mount a tmpfs (${(e as Error).message.split('\n')[0]})`;
  }
}

describe('SQLite on a full disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'rallyhq-full-'));
  const mounted: string[] = [];
  let skip: string | null = null;
  before(() => {
    mkdirSync(join(root, 'probe'));
    skip = mountSmallVolume(join(root, 'probe'));
    if (skip) console.warn(`\n!!! full-disk test SKIPPED: ${skip} — it needs root to mount a 3 MiB tmpfs\n`);
    else mounted.push(join(root, 'probe'));
  });
  after(() => {
    for (const m of mounted) execFileSync('umount', [m]);
    rmSync(root, { recursive: true, force: true });
  });

  for (const writer of ['thread', 'inline'] as const) {
    test(`${writer} writer: appends fail with SQLITE_FULL, then succeed once space is freed; every acknowledged fact survives a reopen`, async (t) => {
      if (skip) return t.skip(skip);
      // A volume of its own for each writer, so one test's file does not fill the other's.
      const dir = join(root, writer);
      mkdirSync(dir);
      const failed = mountSmallVolume(dir);
      if (failed) throw new Error(failed);
      mounted.push(dir);
      const path = join(dir, `${writer}.db`);
      const ballast = join(dir, `${writer}.ballast`);
      writeFileSync(ballast, Buffer.alloc(1536 * 1024));
      let store = new SqliteStore(path, { writer });
      await store.createRally(sampleRally(RALLY), '2026-01-10T12:00:00.000Z');
      const acknowledged: string[] = [];
      let full: unknown = null;
      const pad = 'x'.repeat(2000);
      for (let i = 0; i < 5000 && !full; i++) {
        const batch = Array.from({ length: 10 }, (_, k) => input({ ...controlTime(`f${i}-${k}`, k), raw: pad } as never));
        try {
          await store.appendFacts(RALLY, batch);
          acknowledged.push(...batch.map((b) => b.fact.id));
        } catch (e) {
          full = e;
        }
      }
      assert.match(String((full as { code?: string })?.code ?? full), /SQLITE_FULL/, `the volume filled up: ${String(full)}`);
      unlinkSync(ballast);
      // After space is freed, writes are accepted again.
      const after = await store.appendFacts(RALLY, [input(controlTime('after-free', 1))]);
      assert.equal(after[0]?.duplicate, false);
      acknowledged.push('after-free');
      // The WAL held the whole log (the automatic checkpoint never triggers on so small a volume); it was folded in and truncated.
      const wal = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
      assert.ok(wal < 64 * 1024, `the WAL was truncated after the full disk (${wal} bytes)`);
      await store.close();
      store = new SqliteStore(path, { writer });
      const ids = new Set((await store.readFacts(RALLY)).map((f) => f.fact.id));
      assert.deepEqual(acknowledged.filter((id) => !ids.has(id)), [], 'no acknowledged fact lost');
      assert.equal(await store.latestSeq(RALLY), acknowledged.length);
      await store.close();
    });
  }
});
