// The SQLite writer thread: owns its own connection to the file and writes
// the append groups the main thread sends it, so the commit and its fsync
// never block the main thread's event loop. SEE: docs/store.md "Writer thread".
//   in:  { id, group: WireItem[] } | { close: true }
//   out: { ready: true } once open | { id, result: WriteResult } | { id, fatal: WireError }
import { parentPort, workerData } from 'node:worker_threads';
import { FactWriter, openSqlite, toWireError, type WireItem } from './fact-writer.ts';

const port = parentPort;
if (!port) throw new Error('writer-thread.ts runs as a worker thread');
const db = openSqlite((workerData as { path: string }).path);
const writer = new FactWriter(db);

port.on('message', (m: { id: number; group: WireItem[] } | { close: true }) => {
  if ('close' in m) {
    db.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ id: m.id, result: writer.write(m.group) });
  } catch (e) {
    port.postMessage({ id: m.id, fatal: toWireError(e) });
  }
});
port.postMessage({ ready: true });
