// Child process of the desk-record test: posts `count` notices to a rally of
// an SQLite file shared with another process, as fast as it can, and prints
// "notice <number>" for each one it added.
//   desk-child.ts <file> <rallyId> <name> <count>
import { SqliteStore } from './sqlite-store.ts';

const [path, rallyId, name, count] = process.argv.slice(2) as [string, string, string, string];
const store = new SqliteStore(path, { writer: 'inline' });
for (let i = 0; i < Number(count); i++) {
  const { record, added } = await store.addDeskRecord({ rallyId, kind: 'notice', key: `notice:${name}-${i}`, at: new Date().toISOString(), principal: name, detail: { i } });
  if (added) process.stdout.write(`notice ${record.number}\n`);
}
await store.close();
