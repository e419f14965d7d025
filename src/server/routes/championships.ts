// Placeholder: championship and history routes land here.
import type { FastifyInstance } from 'fastify';

export interface ChampionshipDeps {
  [key: string]: unknown;
}

export async function registerChampionshipRoutes(_app: FastifyInstance, _deps: ChampionshipDeps): Promise<void> {}
