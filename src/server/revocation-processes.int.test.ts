// Revocation closes what is open in every process: two real server processes
// on one PostgreSQL database; a token revoked through process A ends the HQ
// live stream it holds on process B at once, and B refuses the token from then
// on — also a marshal's timekeeper token B had just accepted (B caches tokens
// for a few seconds; the revocation clears that cache). Another officer's
// stream on B stays open and keeps receiving changes.
// NOTE: the marshal page has no live stream of its own (it sends its outbox
// every few seconds); for it, "closed at once" is its next request's 401.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../testing/pg.ts';
import { call, importRally, postFact, SseReader, startServer, type RallyFileJson, type ServerProcess } from './live/test-process.ts';
import { SMALL_FIXTURE } from './testing/harness.ts';

const skip = (await pgSkipReason()) ?? false;
/** Generous for a loaded machine: NOTIFY arrives in milliseconds. */
const DEADLINE_MS = 10_000;

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe('revoking a token on one process closes what it holds open on another (PostgreSQL)', { skip }, () => {
  let db: TestDatabase;
  let a: ServerProcess, b: ServerProcess;
  let file: RallyFileJson;
  let rallyId: string;
  const streams: SseReader[] = [];

  before(async () => {
    db = await createTestDatabase('rallyhq_revoke');
    file = JSON.parse(readFileSync(SMALL_FIXTURE, 'utf8')) as RallyFileJson;
    rallyId = file.rally.id;
    a = await startServer(db.url);
    b = await startServer(db.url, { token: a.token });
    await importRally(a, file);
  });
  after(async () => {
    for (const s of streams) s.close();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  async function issue(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
    const r = await call(a, 'POST', '/api/tokens', { rallyId, ...body }, { 'idempotency-key': randomUUID() });
    assert.equal(r.status, 201, await r.clone().text());
    return (await r.json()) as { id: string; token: string };
  }

  async function hqStream(on: ServerProcess, token: string): Promise<SseReader> {
    const s = await SseReader.open(`${on.url}/api/rallies/${rallyId}/live/hq?token=${token}`);
    streams.push(s);
    assert.equal(s.status, 200);
    await s.waitFor((r) => r.events.some((e) => e.event === 'counts'), DEADLINE_MS, `the HQ stream's first counts from ${on.url}`);
    return s;
  }

  const asToken = (s: ServerProcess, token: string): ServerProcess => ({ ...s, token });

  test('officer revoked on A: its HQ stream on B ends, B answers 401 to it and to a marshal revoked just before; another officer\'s stream on B keeps receiving', async () => {
    const doomed = await issue({ role: 'officer', label: 'Results desk 1' });
    const kept = await issue({ role: 'officer', label: 'Results desk 2' });
    const marshal = await issue({ role: 'timekeeper', controls: ['TC0'], label: 'TC0 marshal' });
    const doomedStream = await hqStream(b, doomed.token);
    const keptStream = await hqStream(b, kept.token);

    // B has just accepted (and cached) the marshal's token.
    const [first, second] = file.facts.filter((f) => f.type === 'controlTime' && (f as { control?: string }).control === 'TC0');
    const ok = await postFact(asToken(b, marshal.token), rallyId, first!);
    assert.equal(ok.status, 201, await ok.text());

    for (const t of [marshal, doomed]) {
      const r = await call(a, 'DELETE', `/api/tokens/${t.id}`);
      assert.equal(r.status, 200, await r.text());
    }
    // NOTIFY delivers in commit order: once the officer's stream has ended, B has heard both revocations.
    await within(doomedStream.ended, DEADLINE_MS, 'the revoked officer\'s HQ stream on B ended');

    const refused = await postFact(asToken(b, marshal.token), rallyId, second!);
    assert.equal(refused.status, 401, 'B refuses the revoked marshal token at once, not when its cache expires');
    assert.equal(((await refused.json()) as { code: string }).code, 'token-revoked');
    const again = await fetch(`${b.url}/api/rallies/${rallyId}/live/hq?token=${doomed.token}`);
    assert.equal(again.status, 401);
    await again.arrayBuffer();

    // The other officer's stream is open and live: a fact posted on A reaches it.
    const next = { ...second!, id: `${second!.id}-hq` };
    const posted = await postFact(a, rallyId, next);
    assert.equal(posted.status, 201, await posted.text());
    await keptStream.waitFor((r) => r.deltaFactIds().includes(next.id), DEADLINE_MS, 'the kept stream receives the next fact');
  });
});
