// Kill the server with SIGKILL while a client streams facts; after a restart
// on the same SQLite file every acknowledged fact is there, and the results
// equal a clean rescore of the exported log by the core.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classificationOf, essence, importRally, postFact, startServer } from './live/test-process.ts';
import { assertFixture, fixturePath } from '../testing/fixtures.ts';
import type { RallyFileJson, ServerProcess } from './live/test-process.ts';
import { parseRallyFile } from '../core/rallyfile/parse.ts';
import { resolveRules } from '../core/rules/resolve.ts';
import { classify, score } from '../core/scoring/index.ts';

const FIXTURE = fixturePath('fixtures/snodrift-2026.rally.json');

describe('reliability: SIGKILL while facts stream in (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-kill-'));
  const servers: ServerProcess[] = [];
  after(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('every acknowledged fact survives kill -9, and results = a clean rescore of the log', async () => {
    assertFixture(FIXTURE);
    const file = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RallyFileJson;
    const rallyId = file.rally.id;
    const db = `sqlite:${join(dir, 'rally.db')}`;
    const first = await startServer(db);
    servers.push(first);
    await importRally(first, file);

    // 4 clients share the fixture's facts in order; the server is killed after 120 acknowledgments.
    const acked = new Set<string>();
    let next = 0, killed = false;
    const killAt = Math.min(120, Math.floor(file.facts.length / 2));
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (!killed && next < file.facts.length) {
        const fact = file.facts[next++]!;
        try {
          const r = await postFact(first, rallyId, fact);
          if (r.ok) acked.add(fact.id);
          else assert.fail(`fact ${fact.id} refused: ${r.status} ${await r.text()}`);
          await r.arrayBuffer().catch(() => {});
        } catch (e) {
          if (!killed) throw e;
        }
        if (!killed && acked.size >= killAt) {
          killed = true;
          first.proc.kill('SIGKILL');
        }
      }
    }));
    await first.stop('SIGKILL');
    assert.equal(first.proc.signalCode, 'SIGKILL');
    assert.ok(acked.size >= killAt);

    const second = await startServer(db);
    servers.push(second);
    const exported = await (await fetch(`${second.url}/api/rallies/${rallyId}/export`, { headers: { authorization: `Bearer ${second.token}` } })).json() as RallyFileJson;
    const stored = new Set(exported.facts.map((f) => f.id));
    const lost = [...acked].filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], 'acknowledged facts missing after SIGKILL');

    // Clean rescore by the core, from the exported file alone.
    const parsed = parseRallyFile(exported);
    assert.ok(parsed.ok, `export does not parse: ${JSON.stringify(!parsed.ok && parsed.errors.slice(0, 3))}`);
    const rules = resolveRules(parsed.file.rally.rules);
    const expected = classify(score(parsed.file.rally, rules.rules, parsed.file.facts));
    const served = classificationOf(await (await fetch(`${second.url}/api/rallies/${rallyId}/results`)).json());
    assert.deepEqual(essence(served), essence(expected));
  });
});
