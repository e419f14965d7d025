import { after, describe, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { DEFAULTS, describeConfig, describeDb, liveOptionsOf, loadConfig, maskDbUrl } from './config.ts';
import { DEFAULT_LIVE_OPTIONS } from './live/index.ts';

describe('server settings: defaults < RALLYHQ_* < flags', () => {
  test('nothing given → sqlite:./data/rallyhq.db on 127.0.0.1:3000, demo seeded', () => {
    assert.deepEqual(loadConfig({}, {}), { ok: true, config: DEFAULTS });
    assert.equal(DEFAULTS.db, 'sqlite:./data/rallyhq.db');
    assert.equal(DEFAULTS.port, 3000);
    assert.equal(DEFAULTS.host, '127.0.0.1');
  });

  test('push subject (RFC 8292 §2.1: mailto: or https:): the flag wins over RALLYHQ_PUSH_SUBJECT; http:, localhost and a bare name are errors naming the setting', () => {
    const ok = loadConfig({ 'push-subject': 'https://rally.example.org/contact' }, { RALLYHQ_PUSH_SUBJECT: 'mailto:results@example.org' });
    assert.ok(ok.ok);
    assert.equal(ok.config.pushSubject, 'https://rally.example.org/contact');
    const env = loadConfig({}, { RALLYHQ_PUSH_SUBJECT: 'mailto:results@example.org' });
    assert.ok(env.ok && env.config.pushSubject === 'mailto:results@example.org');
    assert.equal((loadConfig({}, {}) as { config: { pushSubject?: string } }).config.pushSubject, undefined);
    for (const bad of ['http://rally.example.org', 'https://localhost/x', 'results']) {
      const r = loadConfig({ 'push-subject': bad }, {});
      assert.ok(!r.ok, bad);
      assert.match(r.errors[0]!, /^--push-subject: expected the organiser's contact/);
    }
  });

  test('RALLYHQ_PORT=4000 and --port 5000 → 5000 (the flag wins)', () => {
    const r = loadConfig({ port: '5000' }, { RALLYHQ_PORT: '4000' });
    assert.ok(r.ok && r.config.port === 5000);
    const e = loadConfig({}, { RALLYHQ_PORT: '4000' });
    assert.ok(e.ok && e.config.port === 4000);
  });

  test('RALLYHQ_SEED_DEMO=false, then --seed-demo turns it back on', () => {
    const off = loadConfig({}, { RALLYHQ_SEED_DEMO: 'false' });
    assert.ok(off.ok && off.config.seedDemo === false);
    const on = loadConfig({ 'seed-demo': true }, { RALLYHQ_SEED_DEMO: 'false' });
    assert.ok(on.ok && on.config.seedDemo === true);
  });

  test('live streams: RALLYHQ_LIVE_HEARTBEAT_MS=200, --live-ring-size 50 wins over its variable; "fast" and 0 are errors naming the setting', () => {
    const r = loadConfig({ 'live-ring-size': '50' }, { RALLYHQ_LIVE_HEARTBEAT_MS: '200', RALLYHQ_LIVE_RING_SIZE: '9' });
    assert.ok(r.ok);
    assert.deepEqual(liveOptionsOf(r.config), { ...DEFAULT_LIVE_OPTIONS, heartbeatMs: 200, ringSize: 50 });
    const bad = loadConfig({ 'live-retry-ms': '0', 'live-max-buffered-bytes': '1' }, { RALLYHQ_LIVE_HEARTBEAT_MS: 'fast' });
    assert.equal(bad.ok, false);
    const errors = bad.ok ? [] : bad.errors;
    assert.ok(errors.some((e) => e.startsWith('--live-retry-ms:')), errors.join('\n'));
    assert.ok(errors.some((e) => e === '--live-max-buffered-bytes: expected a whole number of at least 65536, got "1"'), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('RALLYHQ_LIVE_HEARTBEAT_MS:')), errors.join('\n'));
  });

  test('the live defaults in the settings are the live streams\' own defaults', () => {
    assert.deepEqual(liveOptionsOf(DEFAULTS), DEFAULT_LIVE_OPTIONS);
  });

  test('every bad value is reported at once, each naming its flag or variable', () => {
    const r = loadConfig({ port: 'eighty', 'log-level': 'loud', 'admin-token': 'short' }, { RALLYHQ_SEED_DEMO: 'maybe' });
    assert.equal(r.ok, false);
    const errors = r.ok ? [] : r.errors;
    assert.equal(errors.length, 4);
    assert.ok(errors.some((e) => e.startsWith('--port:')));
    assert.ok(errors.some((e) => e.startsWith('--log-level:')));
    assert.ok(errors.some((e) => e.startsWith('--admin-token:')));
    assert.ok(errors.some((e) => e.startsWith('RALLYHQ_SEED_DEMO:')));
  });

  test('secrets are masked: the PostgreSQL password and the admin token', () => {
    assert.equal(maskDbUrl('postgres://app:s3cret@db.example:5432/rallyhq'), 'postgres://app:***@db.example:5432/rallyhq');
    const r = loadConfig({ db: 'postgres://app:s3cret@db/x', 'admin-token': 'a-long-enough-admin-token' }, {});
    assert.ok(r.ok);
    const shown = JSON.stringify(describeConfig(r.config));
    assert.ok(!shown.includes('s3cret') && !shown.includes('a-long-enough-admin-token'), shown);
  });

  test('the start-up line names the database kind and place', () => {
    assert.equal(describeDb('sqlite:./data/rallyhq.db'), 'SQLite ./data/rallyhq.db');
    assert.equal(describeDb('postgres://app:pw@db.example:5432/rallyhq'), 'PostgreSQL db.example:5432/rallyhq');
  });
});

describe('--signing-key / RALLYHQ_SIGNING_KEY: the organiser key that signs publications', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-key-'));
  const ed = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, 'organiser-key.pem'), ed.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'organiser.pem'), ed.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'rsa-key.pem'), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('absent → no key (sealed, not signed); an Ed25519 private key file is taken, the flag winning over the variable', () => {
    assert.equal((loadConfig({}, {}) as { config: { signingKey?: string } }).config.signingKey, undefined);
    const env = loadConfig({}, { RALLYHQ_SIGNING_KEY: join(dir, 'organiser-key.pem') });
    assert.ok(env.ok && env.config.signingKey === join(dir, 'organiser-key.pem'));
    const flag = loadConfig({ 'signing-key': join(dir, 'organiser-key.pem') }, { RALLYHQ_SIGNING_KEY: join(dir, 'nowhere.pem') });
    assert.ok(flag.ok);
  });

  test('a missing file, a public key and an RSA key are refused at start, naming the setting and how to make a key', () => {
    const errs = (r: ReturnType<typeof loadConfig>) => (r.ok ? [] : r.errors);
    assert.match(errs(loadConfig({ 'signing-key': join(dir, 'nowhere.pem') }, {}))[0] ?? '', /^--signing-key: cannot read the key file .*ENOENT.*openssl genpkey -algorithm ed25519/);
    assert.match(errs(loadConfig({}, { RALLYHQ_SIGNING_KEY: join(dir, 'organiser.pem') }))[0] ?? '', /^RALLYHQ_SIGNING_KEY: .* is not a PEM private key \(a public key cannot sign\)/);
    assert.match(errs(loadConfig({ 'signing-key': join(dir, 'rsa-key.pem') }, {}))[0] ?? '', /^--signing-key: .* holds a rsa key; publications are signed with Ed25519/);
  });
});
