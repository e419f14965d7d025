// Child process of the durability test: appends single facts as fast as it
// can from several concurrent writers and prints "ack <id> <seq>" for each
// acknowledgment, until its parent kills it with SIGKILL.
//   durability-child.ts <file> <rallyId> [auto|thread|inline]
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
import { controlTime, sampleRally } from '../contract.suite.ts';

const [path, rallyId, mode = 'auto'] = process.argv.slice(2) as [string, string, string?];
const store = new SqliteStore(path, { writer: mode as SqliteStoreOptions['writer'] });
if (!(await store.getRally(rallyId))) await store.createRally(sampleRally(rallyId), new Date().toISOString());
process.stdout.write('ready\n');

async function writer(w: number): Promise<void> {
  for (let i = 0; ; i++) {
    const id = `w${w}-${i}`;
    const [ack] = await store.appendFacts(rallyId, [{ fact: controlTime(id, i), principal: 'child', receivedAt: new Date().toISOString() }]);
    process.stdout.write(`ack ${id} ${ack?.stored.seq}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
