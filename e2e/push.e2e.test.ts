// "Notify me" beside a crew's star, in real Chromium at phone width. Headless
// Chromium has no push service to subscribe with, so the page's PushManager
// and Notification permission are stood in for (the service worker itself is
// the real /push-sw.js, registered for real); the subscription the page makes
// goes to the real server, and a local HTTP server stands in for the push
// service that then receives the crew's stage time, encrypted. What is shown
// on the phone's screen from a push is not tested here (no push service).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchBrowser, loadFixture, phonePage, startServer, type TestServer } from './harness.ts';
import type { ControlTimeRecorded, Fact } from '../src/core/facts.ts';

let browser: Browser | null = null;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });
const shots = mkdtempSync(join(tmpdir(), 'rallyhq-push-'));
after(() => console.log(`screenshots: ${shots}`));

const isLateFinish = (f: Fact): f is ControlTimeRecorded => f.type === 'controlTime' && f.control === 'SS16F' && f.car > 5;

describe('notify me: a followed crew\'s push notifications, subscribed from its page', () => {
  let server: TestServer;
  let service: Server;
  let endpoint = '';
  const received: { path: string; encoding: string | undefined; bytes: number }[] = [];
  before(async () => {
    if (!browser) return;
    service = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => { bytes += c.length; });
      req.on('end', () => { received.push({ path: req.url ?? '', encoding: req.headers['content-encoding'], bytes }); res.writeHead(201).end(); });
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(service.address() as AddressInfo).port}/phone`;
    server = await startServer({ keep: (f) => !isLateFinish(f), push: { subject: 'mailto:results@example.org', allowLoopbackHttp: true } });
  });
  after(async () => { await server?.close(); service?.close(); });

  test('phone: permission asked only on the click; the crew subscribed with the server\'s key; its finish reaches the push service; a second click stops it', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const finish = loadFixture().facts.filter(isLateFinish)[0]!;
    const car = finish.car;
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
    const { context, page, errors } = await phonePage(browser);
    try {
      // A string: the TypeScript loader names inner functions with a helper the page lacks.
      await context.addInitScript(`(() => {
        const endpoint = ${JSON.stringify(endpoint)}, keys = ${JSON.stringify(keys)};
        window.__asked = 0; window.__key = null; window.__sub = null;
        Notification.requestPermission = async () => { window.__asked++; return 'granted'; };
        const sub = { endpoint, toJSON: () => ({ endpoint, expirationTime: null, keys }), unsubscribe: async () => true };
        PushManager.prototype.subscribe = async function (o) {
          window.__key = typeof o?.applicationServerKey === 'string' ? o.applicationServerKey : null;
          window.__sub = sub;
          return sub;
        };
        PushManager.prototype.getSubscription = async function () { return window.__sub; };
      })();`);
      await page.goto(`${server.url}/rally.html?id=${server.rallyId}&view=crew&car=${car}`);
      const notify = page.locator('#notify');
      await notify.waitFor();
      assert.equal(await notify.getAttribute('aria-pressed'), 'false');
      assert.equal(await notify.innerText(), 'Notify me');
      assert.equal(await page.evaluate(() => (window as unknown as { __asked: number }).__asked), 0, 'no permission asked before the click');
      const star = page.locator('#follow');
      assert.ok((await star.boundingBox())!.y <= (await notify.boundingBox())!.y, 'beside the star, not above it');

      await notify.click();
      await page.waitForSelector('#notify[aria-pressed="true"]').catch(async (e: unknown) => { throw new Error(`${String(e)} — note: ${await page.locator('#notify-note').innerText().catch(() => '')} — errors: ${errors.join('; ')}`); });
      assert.equal(await page.evaluate(() => (window as unknown as { __asked: number }).__asked), 1);
      assert.match(await page.locator('#notify-note').innerText(), /stage times, penalties and retirement/);
      const { publicKey } = (await server.api<{ publicKey: string }>('GET', '/api/push')).body;
      assert.equal(await page.evaluate(() => (window as unknown as { __key: string }).__key), publicKey, 'subscribed with the server\'s VAPID key');
      assert.ok(await page.evaluate(() => navigator.serviceWorker.getRegistration('/push/').then((r) => Boolean(r?.active))), 'the push worker is registered for /push/');
      await page.screenshot({ path: join(shots, 'notify-on-phone.png') });

      const { seq: _seq, ...fact } = finish;
      assert.ok((await server.api('POST', `/api/rallies/${server.rallyId}/facts`, fact, server.adminToken)).status < 300);
      const deadline = Date.now() + 8000;
      while (!received.some((r) => r.path === '/phone') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const got = received.find((r) => r.path === '/phone');
      assert.ok(got, 'the push service got the crew\'s stage time');
      assert.equal(got.encoding, 'aes128gcm');
      assert.ok(got.bytes > 86, 'an encrypted payload (header of 86 bytes, then the record)');

      await notify.click();
      await page.waitForSelector('#notify[aria-pressed="false"]');
      assert.match(await page.locator('#notify-note').innerText(), /off/);
      const again = await server.api<{ removed: boolean }>('DELETE', `/api/rallies/${server.rallyId}/crews/${car}/push`, { endpoint });
      assert.equal(again.body.removed, false, 'the page removed it already');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
