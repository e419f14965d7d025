// The championship routes over rallies held in memory, for the server tests of
// standings: each rally file's facts imported as they are, the history store
// given by the test (and closed with the app).
import Fastify, { type FastifyInstance } from 'fastify';
import type { Fact } from '../core/facts.ts';
import type { RallyDefinition } from '../core/model.ts';
import { MemoryStore } from '../store/memory/memory-store.ts';
import type { HistoryStore } from '../store/history/types.ts';
import { RallyStates } from '../server/rally-states.ts';
import { registerChampionshipRoutes } from '../server/routes/championships.ts';
import { installProblemHandlers } from '../server/problem.ts';

export async function championshipApp(history: HistoryStore, rallies: { rally: RallyDefinition; facts: Fact[] }[]): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const store = new MemoryStore();
  for (const f of rallies) {
    await store.createRally(f.rally, '2026-02-01T00:00:00.000Z');
    // A rally file's facts may carry their log position; the store gives its own.
    const facts = (f.facts as (Fact & { seq?: number })[]).map(({ seq: _s, ...fact }) => fact as Fact);
    await store.appendFacts(f.rally.id, facts.map((fact) => ({ fact, principal: 'import', receivedAt: '2026-02-08T00:00:00.000Z' })));
  }
  const states = new RallyStates(store);
  const app = Fastify();
  installProblemHandlers(app);
  await registerChampionshipRoutes(app, { history, states });
  return {
    app,
    async close() {
      await app.close();
      states.close();
      await history.close();
      await store.close();
    },
  };
}
