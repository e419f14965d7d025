// Bare baselines for the HTTP benchmarks, run as a child process:
//   node --import tsx bench/baseline-server.ts ingest <port> <sqlite-file>
//     POST /api/rallies/:id/facts: raw better-sqlite3 inserts of the posted
//     facts, WAL, synchronous=FULL — the durability rallyhq promises — with
//     group commit: the requests of one event-loop turn share a transaction.
//   node --import tsx bench/baseline-server.ts sse <port>
//     GET /sse: a bare Server-Sent Events stream; POST /publish broadcasts the
//     posted text as one event to every stream, serialised once.
import Fastify from 'fastify';
import Database from 'better-sqlite3';
import type { ServerResponse } from 'node:http';

const [mode, portText, file] = process.argv.slice(2);
const port = Number(portText);
const app = Fastify({ logger: false, bodyLimit: 8 << 20 });
app.get('/', async () => ({ ok: true }));

if (mode === 'ingest') {
  if (!file) throw new Error('usage: baseline-server.ts ingest <port> <sqlite-file>');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS facts (seq INTEGER PRIMARY KEY AUTOINCREMENT, rally TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (rally, id))');
  const insert = db.prepare('INSERT OR IGNORE INTO facts (rally, id, body) VALUES (?, ?, ?)');
  // Group commit, as rallyhq does: the requests that arrive in one turn of the event loop share one transaction (one fsync).
  type Waiting = { rally: string; facts: { id: string }[]; done: (seqs: number[]) => void; fail: (e: unknown) => void };
  let queue: Waiting[] = [];
  const commit = db.transaction((group: Waiting[]) => group.map((w) => w.facts.map((f) => Number(insert.run(w.rally, f.id, JSON.stringify(f)).lastInsertRowid))));
  const flush = () => {
    const group = queue;
    queue = [];
    try {
      const seqs = commit.immediate(group);
      group.forEach((w, i) => w.done(seqs[i]!));
    } catch (e) {
      for (const w of group) w.fail(e);
    }
  };
  app.post<{ Params: { id: string }; Body: { id: string } | { facts: { id: string }[] } }>('/api/rallies/:id/facts', async (req) => {
    const facts = 'facts' in req.body ? req.body.facts : [req.body];
    const seqs = await new Promise<number[]>((done, fail) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ rally: req.params.id, facts, done, fail });
    });
    return { acknowledged: facts.map((f, i) => ({ id: f.id, seq: seqs[i] })) };
  });
} else if (mode === 'sse') {
  const clients = new Set<ServerResponse>();
  app.get('/sse', (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.socket?.setNoDelay(true);
    reply.raw.write(': hello\n\n');
    clients.add(reply.raw);
    req.raw.on('close', () => clients.delete(reply.raw));
  });
  let seq = 0;
  app.post<{ Body: { data: string } }>('/publish', async (req) => {
    seq++;
    const frame = Buffer.from(`id: ${seq}\nevent: delta\ndata: ${req.body.data}\n\n`);
    for (const c of clients) c.write(frame);
    return { seq, clients: clients.size };
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}

await app.listen({ port, host: '127.0.0.1', backlog: 4096 });
process.stdout.write(`listening ${port}\n`);
