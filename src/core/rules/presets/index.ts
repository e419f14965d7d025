// The rules presets rallyhq ships, by id and version. A rally records which
// preset and version it is scored under; a new edition of a rulebook is a new
// version beside the old one, never an edit of it, so past rallies score the same.
import type { RuleSet } from '../types.ts';
import { deepFreeze } from './cite.ts';
import { fia2026 } from './fia.ts';
import { ara2026 } from './ara.ts';
import { ara2026Results } from './ara-results.ts';
import { msuk2026, msuk2026b } from './msuk.ts';

/** Every version of every preset, oldest first within an id. */
const PRESETS: readonly RuleSet[] = [fia2026, ara2026, ara2026Results, msuk2026, msuk2026b].map((p) => deepFreeze(p));

/**
 * The preset `id` at `version`, or its newest version when none is given;
 * null when there is no such preset or version. The result is frozen.
 */
export function getPreset(id: string, version?: string): RuleSet | null {
  const versions = PRESETS.filter((p) => p.id === id);
  if (version === undefined) return versions.at(-1) ?? null;
  return versions.find((p) => p.version === version) ?? null;
}

export function listPresets(): { id: string; version: string; name: string }[] {
  return PRESETS.map((p) => ({ id: p.id, version: p.version, name: p.name }));
}

/** The versions of one preset, oldest first (for error messages that name the choices). */
export function presetVersions(id: string): string[] {
  return PRESETS.filter((p) => p.id === id).map((p) => p.version);
}
