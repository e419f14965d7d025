import { startServer } from './harness.ts';
const s = await startServer({ keep: (f) => f.id !== 'SS16F-23' });

const fact = { id: 'x-000001', type: 'controlTime', car: 23, control: 'SS16F', at: '2026-02-07T15:45:00.9', source: 'marshalClock', by: 'p', device: 'p', recordedAt: '2026-02-07T15:45:00-05:00', raw: '23 now' };
console.log(await s.api('POST', `/api/rallies/${s.rallyId}/facts`, { facts: [fact] }, s.officerToken));
console.log(JSON.stringify(await s.api('POST', `/api/rallies/${s.rallyId}/facts`, { facts: [fact] }, s.officerToken)));
await s.close();
