import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open.ts';
import { buildApp } from './app.ts';
import { ensureAdminToken } from './bootstrap.ts';
const file = JSON.parse(readFileSync('fixtures/snodrift-2026.rally.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const store = await openStore(`sqlite:${join(dir, 'x.db')}`);
await ensureAdminToken(store, 'a-long-admin-token-123456', new Date());
const times: Record<string, number> = {};
for (const k of ['appendFacts', 'readFacts', 'findTokenByHash', 'getRally', 'audit', 'latestSeq']) {
  const orig = (store as any)[k].bind(store);
  (store as any)[k] = async (...a: unknown[]) => { const t0 = performance.now(); try { return await orig(...a); } finally { times[k] = (times[k] ?? 0) + performance.now() - t0; } };
}
const app = await buildApp({ store });
const H = { authorization: 'Bearer a-long-admin-token-123456' };
let r = await app.inject({ method: 'POST', url: '/api/rallies/import', headers: H, payload: { ...file, facts: [] } });
console.log(r.statusCode);
const facts = file.facts.filter((f: any) => f.type === 'controlTime');
const mode = process.argv[2] ?? 'http';
let t = performance.now();
let n = 0;
for (let i = 0; i + 100 <= 3500; i += 100) {
  const batch = facts.slice(i, i + 100);
  if (mode === 'store') await store.appendFacts(file.rally.id, batch.map((f: any) => ({ fact: f, principal: 'x', receivedAt: 'now' })));
  else {
    r = await app.inject({ method: 'POST', url: `/api/rallies/${file.rally.id}/facts`, headers: H, payload: { facts: batch } });
    if (r.statusCode !== 201) console.log(r.body.slice(0, 300));
  }
  n += 100;
}
const ms = performance.now() - t;
console.log(mode, n, 'facts', ms.toFixed(0), 'ms', (n / ms * 1000).toFixed(0), 'facts/s');
console.log(times); await app.close();
