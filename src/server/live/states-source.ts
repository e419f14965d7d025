// Adapts the server's scored-state cache (RallyStates) to the narrow LiveSource.
import type { LiveSource } from './source.ts';
import type { LiveDeps } from './index.ts';

export function sourceFromDeps(deps: LiveDeps): LiveSource {
  if (!deps.states) throw new Error('registerLive needs `states` (RallyStates) or a `source`');
  throw new Error('RallyStates adapter not wired yet');
}
