// A small HTTP load generator: N clients on keep-alive connections, each
// posting one request after another and waiting for its answer, for a while.
import http from 'node:http';

export interface LoadOptions {
  url: string;
  path: string;
  headers?: Record<string, string>;
  clients: number;
  durationMs: number;
  /** The body of request number `i` of client `client`, how many facts it carries, and its path when not `path`. */
  body(client: number, i: number): { json: string; facts: number; path?: string };
}

export interface LoadResult {
  /** Facts acknowledged with a 2xx. */
  facts: number;
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  factsPerSecond: number;
}

function post(agent: http.Agent, url: URL, path: string, headers: Record<string, string>, json: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(json);
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.clients });
  let facts = 0, requests = 0, errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + o.durationMs;
  await Promise.all(Array.from({ length: o.clients }, async (_, client) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const b = o.body(client, i);
      try {
        const r = await post(agent, url, b.path ?? o.path, o.headers ?? {}, b.json);
        requests++;
        if (r.status >= 200 && r.status < 300) facts += b.facts;
        else { errors++; firstError ??= `${r.status} ${r.text.slice(0, 300)}`; }
      } catch (e) {
        errors++;
        firstError ??= String(e);
      }
    }
  }));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return { facts, requests, errors, firstError, elapsedMs, factsPerSecond: (facts / elapsedMs) * 1000 };
}
