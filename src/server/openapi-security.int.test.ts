// OpenAPI tells the truth about security on every route: walking the app's
// route table (so routes added later are checked too), a route documented
// with `security` answers 401 to a request without a token, and a route
// documented without it does not. The published document carries the same
// security as the routes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from './testing/harness.ts';

describe('OpenAPI security matches what every route enforces', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('sqlite');
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
  });
  after(async () => { await s.close(); });

  test('every /api route: documented security ⇔ 401 without a token; the OpenAPI document says the same', async () => {
    const doc = (await s.call('GET', '/openapi.json')).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const wrong: string[] = [];
    let checked = 0;
    for (const r of s.app.rallyhq.routes) {
      if (!r.url.startsWith('/api/') || r.method === 'HEAD' || r.method === 'OPTIONS') continue;
      const declared = Array.isArray(r.schema?.security) && (r.schema.security as unknown[]).length > 0;
      // An unknown rally (and "x" for other parameters): a public route answers 404 or 400, never 401; a live stream never opens.
      const url = r.url.replace(':id', 'no-such-rally').replace(/:[A-Za-z]+/g, 'x');
      const res = await s.call(r.method as 'GET', url, ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined);
      checked += 1;
      if (declared !== (res.statusCode === 401)) wrong.push(`${r.method} ${r.url}: documented ${declared ? 'with' : 'without'} security, answered ${res.statusCode} without a token`);
      if (r.schema?.hide) continue;
      const openapiPath = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[openapiPath]?.[r.method.toLowerCase()];
      if (!op) wrong.push(`${r.method} ${r.url}: missing from the OpenAPI document`);
      else if ((Array.isArray(op.security) && op.security.length > 0) !== declared) wrong.push(`${r.method} ${r.url}: the OpenAPI document disagrees about security`);
    }
    assert.ok(checked >= 30, `walked the route table (${checked} routes)`);
    assert.deepEqual(wrong, []);
  });

  test('GET /api/tokens documents its ?rally= filter', async () => {
    const doc = (await s.call('GET', '/openapi.json')).json() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string; description?: string }[] }>> };
    const rally = doc.paths['/api/tokens']?.get?.parameters?.find((p) => p.name === 'rally' && p.in === 'query');
    assert.ok(rally, 'rally query parameter documented');
    assert.match(rally.description ?? '', /rally/i);
  });
});
