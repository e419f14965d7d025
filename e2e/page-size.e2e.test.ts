// The pages stay small: a phone on one bar of signal loads each one, with its
// scripts and styles, in a few kilobytes. Measured as served (gzipped) by the
// real server, not as built, so a lost compression shows up here too.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, type TestServer } from './harness.ts';

/** Bytes on the wire for one URL, asking for gzip as browsers do. */
function wireSize(url: string): Promise<{ bytes: number; encoding: string | undefined; cache: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ bytes: Buffer.concat(chunks).length, encoding: res.headers['content-encoding'], cache: res.headers['cache-control'], body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// NOTE: the budget is about 3× today's size (docs/web.md): room to grow, not to add a framework.
const BUDGET_BYTES = 25_000;
// The officials' desk runs on a laptop at rally HQ (wired or venue network), with every decision form,
// preview, publication, notice board and audit view in one page: its own, larger budget.
// The spectator's page carries the honest table, stage views, grid, predictions and the chart view's
// code (the charting library itself is fetched only when a chart is shown): its budget is the issue's
// 30 kB of spectator JavaScript, here held by its scripts, styles and page together.
const BUDGETS: Record<string, number> = { 'hq.html': 45_000, 'rally.html': 30_000 };

describe('page weight as served', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.close(); });

  for (const page of ['index.html', 'rally.html', 'marshal.html', 'hq.html', 'notices.html']) {
    const budget = BUDGETS[page] ?? BUDGET_BYTES;
    test(`${page} with its scripts and styles is under ${budget / 1000} kB gzipped`, async () => {
      const html = await wireSize(`${server.url}/${page}`);
      assert.equal(html.encoding, 'gzip');
      assert.equal(html.cache, 'no-cache', 'pages revalidate, so a new build is picked up');
      const text = (await fetch(`${server.url}/${page}`)).text();
      const assets = [...(await text).matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
      assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `${page} links its script and style`);
      let total = html.bytes;
      for (const a of new Set(assets)) {
        const r = await wireSize(server.url + a);
        assert.equal(r.encoding, 'gzip', a);
        assert.match(r.cache ?? '', /immutable/, `${a}: hashed assets are cached for good`);
        total += r.bytes;
      }
      console.log(`${page}: ${total} bytes gzipped (${assets.length} assets)`);
      assert.ok(total < budget, `${page} weighs ${total} bytes gzipped`);
    });
  }

  // The public standings are rendered by the server with their stylesheet inlined; the page's script and
  // every module it imports statically count (the chart library is fetched only when a chart is drawn).
  test('standings.html with the ARA drivers\' 60 competitors, its script and the modules it imports is under 25 kB gzipped', async () => {
    const url = `${server.url}/standings.html?rally=${server.rallyId}`;
    const html = await wireSize(url);
    assert.equal(html.encoding, 'gzip');
    const text = (await fetch(url)).text();
    assert.match(await text, /<td class="num pos">60<\/td>|<td class="num pos">59<\/td>/, 'the whole table comes with the page');
    const todo = [...(await text).matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    const seen = new Set<string>();
    let total = html.bytes;
    while (todo.length) {
      const a = todo.pop()!;
      if (seen.has(a)) continue;
      seen.add(a);
      const r = await wireSize(server.url + a);
      total += r.bytes;
      const js = (await (await fetch(server.url + a)).text());
      for (const m of js.matchAll(/from"\.\/([^"]+\.js)"/g)) todo.push(`/assets/${m[1]}`);
    }
    console.log(`standings.html: ${total} bytes gzipped (${seen.size} scripts)`);
    assert.ok(seen.size >= 1, 'the page links its script');
    assert.ok(total < BUDGET_BYTES, `standings.html weighs ${total} bytes gzipped`);
  });

  test('/enroll?code=ABCD-EFGH redirects to the marshal page with the code', async () => {
    const res = await fetch(`${server.url}/enroll?code=ABCD-EFGH`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/marshal.html?code=ABCD-EFGH');
  });
});
