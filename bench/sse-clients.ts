// Many Server-Sent Events clients in one process, for bench/sse.bench.ts:
//   node --import tsx bench/sse-clients.ts <url> <count>
// Opens <count> raw TCP connections (127.0.0.1 only), each a GET of the
// stream, and notes when each one first sees every marker `bench-…` (the id
// of a fact, or of a baseline message). Talks to its parent over IPC:
//   → { ready: connected, failed }          once every stream has answered
//   ← { cmd: 'settle' }  → { settled: true }  once nothing has arrived for 300 ms
//   ← { cmd: 'report' }  → { receipts: { marker: [epoch ms, …] } }
//   ← { cmd: 'exit' }
import net from 'node:net';

const [urlText, countText] = process.argv.slice(2);
if (!urlText || !countText || !process.send) throw new Error('usage: sse-clients.ts <url> <count>, started with an IPC channel');
const url = new URL(urlText);
const count = Number(countText);
const MARKER = /bench-[A-Za-z0-9_-]+/g;
const receipts = new Map<string, number[]>();
let connected = 0, failed = 0;
let lastData = 0;
const sockets: net.Socket[] = [];

function now(): number {
  return performance.timeOrigin + performance.now();
}

function open(): Promise<void> {
  return new Promise((resolve) => {
    const seen = new Set<string>();
    let tail = '';
    let answered = false;
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    sockets.push(socket);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      const t = now();
      lastData = t;
      const text = tail + chunk.toString('latin1');
      if (!answered) {
        answered = true;
        if (text.startsWith('HTTP/1.1 200')) connected++;
        else failed++;
        resolve();
      }
      for (const m of text.matchAll(MARKER)) {
        const key = m[0];
        if (seen.has(key)) continue;
        // NOTE: a marker cut at the end of a read is completed by the next one (`tail`).
        if (m.index + key.length === text.length) continue;
        seen.add(key);
        let list = receipts.get(key);
        if (!list) receipts.set(key, (list = []));
        list.push(t);
      }
      tail = text.slice(-120);
    });
    socket.on('error', () => { if (!answered) { answered = true; failed++; resolve(); } });
  });
}

// Connect in batches so the server's accept queue is not overrun.
const BATCH = 250;
for (let i = 0; i < count; i += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, open));
}
process.send({ ready: connected, failed });

process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'settle') {
    // NOTE: the first answer of each stream (rallyhq's init is ~20 KB) must be read before measuring.
    const check = () => (now() - lastData >= 300 ? process.send!({ settled: true }) : setTimeout(check, 100));
    check();
  } else if (msg.cmd === 'report') {
    process.send!({ receipts: Object.fromEntries(receipts) });
    receipts.clear();
  } else if (msg.cmd === 'exit') {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});
