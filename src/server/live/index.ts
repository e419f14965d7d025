// Placeholder: the live plugin (SSE, deltas, heartbeats) lands here.
import type { FastifyInstance } from 'fastify';

export interface LiveDeps {
  [key: string]: unknown;
}

export async function registerLive(_app: FastifyInstance, _deps: LiveDeps): Promise<void> {}
