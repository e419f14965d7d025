// Publications signed with the organiser's key (`--signing-key`): the
// signature and the public key are shown where a reader checks a result — the
// verify route, the public API and the printed document — and `rallyhq verify
// --public-key` accepts the organiser's key and refuses another.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from '../testing/harness.ts';

const R = '/api/rallies/lakeshore-2026';
const hasPoppler = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error === undefined;

describe('publications signed with the organiser key', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyLine = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  let s: TestServer;
  let dir: string;
  before(async () => {
    s = await startTestServer('memory', { signingKey: privateKey });
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-signing-'));
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
    const officer = await s.token('officer', 'lakeshore-2026');
    assert.equal((await s.call('POST', `${R}/publications`, { kind: 'provisional', reason: 'after SS4' }, officer, { 'idempotency-key': 'publish-signed-1' })).statusCode, 201);
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the seal hash is signed with Ed25519 by that key; the verify route and the public API show the signature and the key', async () => {
    const rec = (await s.call('GET', `${R}/publications/1`)).json();
    const sig = rec.snapshot.seal.signature;
    assert.equal(sig.algorithm, 'ed25519');
    // Checked with node:crypto directly, not with rallyhq's own verification.
    assert.ok(verify(null, Buffer.from(rec.snapshot.seal.hash, 'utf8'), publicKey, Buffer.from(sig.value, 'base64')));
    assert.equal(createPublicKey(sig.publicKey).export({ type: 'spki', format: 'der' }).toString('base64'), keyLine);
    const v = (await s.call('GET', `${R}/publications/1/verify`)).json();
    assert.equal(v.ok, true, JSON.stringify(v.checks));
    assert.deepEqual([v.signature.algorithm, v.signature.publicKeyLine, v.signature.value], ['ed25519', keyLine, sig.value]);
    assert.ok(v.checks.some((c: { what: string; ok: boolean; detail: string }) => c.what === 'signature' && c.ok && c.detail.includes(keyLine)));
    const pub = (await s.call('GET', '/api/public/v1/rallies/lakeshore-2026/publications')).json().publications[0];
    assert.equal(pub.signed, true);
    assert.deepEqual([pub.signature.publicKeyLine, pub.signature.value], [keyLine, sig.value]);
  });

  test('rallyhq verify --public-key: the organiser key verifies, another key fails the signature check', async () => {
    writeFileSync(join(dir, 'export.rally.json'), (await s.call('GET', `${R}/export`)).body);
    writeFileSync(join(dir, 'pub1.json'), (await s.call('GET', `${R}/publications/1`)).body);
    writeFileSync(join(dir, 'organiser.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'other.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const run = async (key: string) => {
      const r = { code: 0, out: '', err: '' };
      r.code = await runCli(['verify', 'export.rally.json', '--publication', '1', '--record', 'pub1.json', '--public-key', key], { out: (t) => void (r.out += t), err: (t) => void (r.err += t), cwd: dir });
      return r;
    };
    const good = await run('organiser.pem');
    assert.equal(good.code, 0, good.out + good.err);
    assert.ok(good.out.includes(`ok    signature: Ed25519 signature of the seal hash by the key given (${keyLine}) is valid`), good.out);
    const bad = await run('other.pem');
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /NOT VERIFIED/);
    assert.match(bad.out, /FAIL {2}signature: the signature does not verify with the key given/);
    const missing = await run('nowhere.pem');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read --public-key nowhere\.pem/);
  });

  test('the printed classification shows the seal, the organiser key and the signature', { skip: hasPoppler ? false : 'pdftotext (poppler-utils) not installed' }, async () => {
    const r = await s.call('GET', `${R}/publications/1/documents/classification.pdf`);
    assert.equal(r.statusCode, 200);
    writeFileSync(join(dir, 'c.pdf'), r.rawPayload);
    const text = spawnSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).stdout;
    const rec = (await s.call('GET', `${R}/publications/1`)).json();
    assert.ok(text.includes(`Seal (SHA-256): ${rec.snapshot.seal.hash}`), text);
    assert.ok(text.includes(`Signed by the organiser's Ed25519 key: ${keyLine}`), text);
    assert.ok(text.includes(`Signature: ${rec.snapshot.seal.signature.value}`), text);
    assert.match(text, /Check: rallyhq verify <rally file> --publication 1 --server <this results server> --public-key/);
  });
});
