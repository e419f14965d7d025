// The live stream of a real `rallyhq serve` process: resume with
// Last-Event-ID gets exactly the missed deltas, and heartbeats arrive.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertFixture, fixturePath } from '../testing/fixtures.ts';
import { importRally, postFact, SseReader, startServer } from './live/test-process.ts';
import type { RallyFileJson, ServerProcess } from './live/test-process.ts';

const FIXTURE = fixturePath('fixtures/snodrift-2026.rally.json');

describe('live stream of a real server process (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-live-'));
  let s: ServerProcess;
  let file: RallyFileJson;
  let next = 0;
  const streams: SseReader[] = [];

  before(async () => {
    assertFixture(FIXTURE);
    file = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RallyFileJson;
    s = await startServer(`sqlite:${join(dir, 'live.db')}`, { env: { RALLYHQ_LIVE_HEARTBEAT_MS: '200' } });
    await importRally(s, file);
  });
  after(async () => {
    for (const r of streams) r.close();
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const fact = file.facts[next++]!;
      const r = await postFact(s, file.rally.id, fact);
      assert.ok(r.ok, `fact ${fact.id}: ${r.status} ${await r.text()}`);
      ids.push(fact.id);
    }
    return ids;
  }

  test('away for 5 facts, back with Last-Event-ID → exactly the deltas of those 5 facts, no init', async () => {
    await post(2);
    const first = await SseReader.open(`${s.url}/api/rallies/${file.rally.id}/live`);
    streams.push(first);
    await first.waitFor((r) => r.events.some((e) => e.event === 'init'), 5000, 'init');
    const seen = first.events.at(-1)!.id!;
    first.close();

    const missed = await post(5);
    const back = await SseReader.open(`${s.url}/api/rallies/${file.rally.id}/live`, { 'last-event-id': seen });
    streams.push(back);
    await back.waitFor((r) => missed.every((id) => r.deltaFactIds().includes(id)), 5000, 'the missed deltas');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(back.events.map((e) => e.event).filter((e) => e !== 'delta'), []);
    assert.deepEqual(back.deltaFactIds(), missed);
    // Ids increase and the first delta starts where the client left off.
    const deltas = back.events.map((e) => JSON.parse(e.data) as { fromSeq: number; seq: number });
    assert.equal(deltas[0]!.fromSeq, Number(seen));
    for (let i = 1; i < deltas.length; i++) assert.equal(deltas[i]!.fromSeq, deltas[i - 1]!.seq);
  });

  test('?lastEventId=0 after 7 facts → a reset or all 7 deltas, never a gap', async () => {
    const r = await SseReader.open(`${s.url}/api/rallies/${file.rally.id}/live?lastEventId=0`);
    streams.push(r);
    await r.waitFor((x) => x.events.some((e) => e.event === 'reset') || x.deltaFactIds().length >= 7, 5000, 'reset or the deltas');
    const kinds = new Set(r.events.map((e) => e.event));
    assert.ok(kinds.has('reset') || r.deltaFactIds().length === 7);
  });

  test('heartbeats (interval 200 ms) arrive on an idle stream', async () => {
    const r = await SseReader.open(`${s.url}/api/rallies/${file.rally.id}/live`);
    streams.push(r);
    await r.waitFor((x) => x.comments >= 3, 3000, 'three heartbeats');
  });
});
