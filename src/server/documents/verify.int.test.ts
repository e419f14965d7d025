// Verifiable results: a publication's seal names the log prefix, the rules,
// the definition and the classification, chained to the previous one; the
// export of the demo rally (the real Sno*Drift 2026, fixtures/ara-2026-sno-drift)
// verifies with `rallyhq verify`, and a tampered
// export does not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '../../testing/fixtures.ts';
import { pgSkipReason } from '../../testing/pg.ts';
import { runCli } from '../../cli/main.ts';
import { ADMIN_TOKEN, startTestServer, type StoreKind, type TestServer } from '../testing/harness.ts';

const SNODRIFT = fixturePath('fixtures/ara-2026-sno-drift.rally.json');

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const r = { code: 0, out: '', err: '' };
  r.code = await runCli(args, { out: (t) => void (r.out += t), err: (t) => void (r.err += t), cwd });
  return r;
}

describe('verify: the demo rally export against its sealed publications (memory store)', () => {
  let s: TestServer;
  let dir: string;
  let officer: string;
  before(async () => {
    s = await startTestServer('memory');
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-verify-'));
    const file = JSON.parse(readFileSync(SNODRIFT, 'utf8'));
    // Publication 1 after the first half of the log, publication 2 (official) at the end.
    const half = Math.floor(file.facts.length / 2);
    const first = { ...file, facts: file.facts.slice(0, half) };
    assert.equal((await s.call('POST', '/api/rallies/import', first, ADMIN_TOKEN)).statusCode, 201);
    officer = await s.token('officer', 'snodrift-2026');
    assert.equal((await s.call('POST', '/api/rallies/snodrift-2026/publications', { kind: 'provisional', reason: 'after leg 1' }, officer, { 'idempotency-key': 'publish-verify-1' })).statusCode, 201);
    for (let i = half; i < file.facts.length; i += 500) {
      const r = await s.call('POST', '/api/rallies/snodrift-2026/facts', { facts: file.facts.slice(i, i + 500) }, officer);
      assert.equal(r.statusCode, 201, r.body);
    }
    assert.equal((await s.call('POST', '/api/rallies/snodrift-2026/publications', { kind: 'official', reason: 'final classification', override: { reason: 'the inquiry window is not what this test is about' } }, officer, { 'idempotency-key': 'publish-verify-2' })).statusCode, 201);
    writeFileSync(join(dir, 'export.rally.json'), (await s.call('GET', '/api/rallies/snodrift-2026/export')).body);
    for (const n of [1, 2]) writeFileSync(join(dir, `pub${n}.json`), (await s.call('GET', `/api/rallies/snodrift-2026/publications/${n}`)).body);
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('each publication carries a seal chained to the previous one; the list shows the hashes', async () => {
    const p1 = JSON.parse(readFileSync(join(dir, 'pub1.json'), 'utf8'));
    const p2 = JSON.parse(readFileSync(join(dir, 'pub2.json'), 'utf8'));
    assert.match(p1.snapshot.seal.hash, /^[0-9a-f]{64}$/);
    assert.equal(p1.snapshot.seal.previousHash, null);
    assert.equal(p2.snapshot.seal.previousHash, p1.snapshot.seal.hash);
    assert.deepEqual(p2.snapshot.seal.rules, { preset: 'ara', version: p2.snapshot.definition.rules.version, ...(p2.snapshot.definition.rules.overrides ? { overrides: p2.snapshot.definition.rules.overrides } : {}) });
    const list = (await s.call('GET', '/api/rallies/snodrift-2026/publications')).json();
    assert.deepEqual(list.publications.map((p: { hash: string }) => p.hash), [p1.snapshot.seal.hash, p2.snapshot.seal.hash]);
  });

  test('rallyhq verify passes on the export for both publications (saved record), and the route agrees', async () => {
    for (const n of [1, 2]) {
      const r = await cli(['verify', 'export.rally.json', '--publication', String(n), '--record', `pub${n}.json`], dir);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, new RegExp(`publication ${n} \\((provisional|official)\\) of snodrift-2026: VERIFIED`));
      assert.doesNotMatch(r.out, /FAIL/);
      const route = (await s.call('GET', `/api/rallies/snodrift-2026/publications/${n}/verify`)).json();
      assert.equal(route.ok, true, JSON.stringify(route.checks));
      assert.ok(route.checks.some((c: { what: string }) => c.what === 'chain'));
    }
  });

  test('a competitor, with one command: the export downloaded from the running server verifies against the official publication it serves (rallyhq verify --server)', async () => {
    // As docs/documents.md tells a competitor: download the rally file, then one command.
    const url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    const exported = await fetch(`${url}/api/rallies/snodrift-2026/export`);
    assert.equal(exported.status, 200);
    writeFileSync(join(dir, 'snodrift-2026.rally.json'), Buffer.from(await exported.arrayBuffer()));
    const bin = fileURLToPath(new URL('../../../bin/rallyhq.js', import.meta.url));
    const run = (...args: string[]) => new Promise<{ code: number | null; out: string }>((done) => {
      execFile(process.execPath, [bin, 'verify', ...args], { cwd: dir }, (e, stdout, stderr) => done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, out: stdout + stderr }));
    });
    const r = await run('snodrift-2026.rally.json', '--publication', '2', '--server', url);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^publication 2 \(official\) of snodrift-2026: VERIFIED$/m);
    const seal = JSON.parse(readFileSync(join(dir, 'pub2.json'), 'utf8')).snapshot.seal.hash as string;
    assert.ok(r.out.includes(`seal ${seal}`), r.out);
    for (const check of ['log', 'rules', 'classification', 'chain']) assert.match(r.out, new RegExp(`^ {2}ok {4}${check}`, 'm'), `${check} checked:\n${r.out}`);
    // Two categories: the check says which table the seal holds and what else was recomputed.
    assert.match(r.out, /ok {4}classification: recomputed from the file, \d+ classified crews \(National; Regional: \d+ classified crews recomputed from the same sealed log, rules and definition\)/);
    // The same command on an export changed afterwards by one time fails and says so.
    const file = JSON.parse(readFileSync(join(dir, 'snodrift-2026.rally.json'), 'utf8'));
    const i = file.facts.findIndex((f: { type: string; control: string }) => f.type === 'controlTime' && /^SF\d+$/.test(f.control));
    file.facts[i].at = file.facts[i].at.replace(/:(\d\d)(\.\d)?$/, (_m: string, sec: string, frac = '') => `:${String((Number(sec) + 30) % 60).padStart(2, '0')}${frac}`);
    writeFileSync(join(dir, 'changed.rally.json'), JSON.stringify(file));
    const bad = await run('changed.rally.json', '--publication', '2', '--server', url);
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /NOT VERIFIED/);
  });

  test('a tampered export fails: one stage-finish time changed → log and classification checks fail, the car is named', async () => {
    const file = JSON.parse(readFileSync(join(dir, 'export.rally.json'), 'utf8'));
    const i = file.facts.findIndex((f: { type: string; control: string }) => f.type === 'controlTime' && /^SF\d+$/.test(f.control));
    const victim = file.facts[i];
    // Ten seconds faster at a stage finish.
    victim.at = victim.at.replace(/:(\d\d)(\.\d)?$/, (_m: string, sec: string, frac = '') => `:${String(Math.max(0, Number(sec) - 10)).padStart(2, '0')}${frac}`);
    writeFileSync(join(dir, 'tampered.rally.json'), JSON.stringify(file));
    const r = await cli(['verify', 'tampered.rally.json', '--publication', '2', '--record', 'pub2.json'], dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /NOT VERIFIED/);
    assert.match(r.out, /FAIL {2}log: facts 1\.\.\d+ of the file differ/);
    assert.match(r.out, /FAIL {2}classification/);
    assert.match(r.out, new RegExp(`car ${victim.car}: published`));
  });

  test('a tampered publication record fails its seal hash', async () => {
    const p = JSON.parse(readFileSync(join(dir, 'pub2.json'), 'utf8'));
    p.uptoSeq -= 1;
    writeFileSync(join(dir, 'pub2-bad.json'), JSON.stringify(p));
    const r = await cli(['verify', 'export.rally.json', '--publication', '2', '--record', 'pub2-bad.json'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /FAIL {2}seal hash/);
  });

  test('signed with the organiser key: the signature verifies with the public key, and not with another key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519').publicKey;
    // As after a restart with --signing-key (the server reads the key from its context at each publication).
    s.app.rallyhq.ctx.signingKey = privateKey;
    assert.equal((await s.call('POST', '/api/rallies/snodrift-2026/publications', { kind: 'official', reason: 'signed', override: { reason: 'the inquiry window is not what this test is about' } }, officer, { 'idempotency-key': 'publish-verify-3' })).statusCode, 201);
    writeFileSync(join(dir, 'pub3.json'), (await s.call('GET', '/api/rallies/snodrift-2026/publications/3')).body);
    writeFileSync(join(dir, 'organiser.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'other.pem'), other.export({ type: 'spki', format: 'pem' }));
    const good = await cli(['verify', 'export.rally.json', '--publication', '3', '--record', 'pub3.json', '--public-key', 'organiser.pem'], dir);
    assert.equal(good.code, 0, good.out);
    const keyLine = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    assert.ok(good.out.includes(`ok    signature: Ed25519 signature of the seal hash by the key given (${keyLine}) is valid`), good.out);
    const bad = await cli(['verify', 'export.rally.json', '--publication', '3', '--record', 'pub3.json', '--public-key', 'other.pem'], dir);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /FAIL {2}signature/);
  });
});

// Publishing is a write path: concurrent publications on SQLite and PostgreSQL keep one unbroken chain.
const pgSkip = await pgSkipReason();
for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  const skip = () => (kind === 'postgres' ? pgSkip : null);
  describe(`verify: concurrent publications keep one chain (${kind})`, () => {
    let s: TestServer | undefined;
    before(async () => { if (!skip()) s = await startTestServer(kind); });
    after(async () => { await s?.close(); });
    test('five publications at once: numbers 1..5, each chained to the one before, each verifies', { skip: skip() ?? false }, async () => {
      const { smallRallyFile } = await import('../testing/harness.ts');
      assert.equal((await s!.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
      const officer = await s!.token('officer', 'lakeshore-2026');
      const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => s!.call('POST', '/api/rallies/lakeshore-2026/publications', { kind: 'provisional', reason: `run ${i}` }, officer, { 'idempotency-key': `publish-run-${i}` })));
      assert.deepEqual(answers.map((a) => a.statusCode), [201, 201, 201, 201, 201]);
      const list = (await s!.call('GET', '/api/rallies/lakeshore-2026/publications')).json().publications as { number: number; hash: string }[];
      assert.deepEqual(list.map((p) => p.number), [1, 2, 3, 4, 5]);
      for (const p of list) {
        const v = (await s!.call('GET', `/api/rallies/lakeshore-2026/publications/${p.number}/verify`)).json();
        assert.equal(v.ok, true, `${p.number}: ${JSON.stringify(v.checks.filter((c: { ok: boolean }) => !c.ok))}`);
      }
    });
  });
}
