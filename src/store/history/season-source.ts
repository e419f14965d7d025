// Where a season and its round results come from: the store when it has them,
// else the seed file (seeds/<id>-season.json). A round with a rally file and no
// stored result is scored from that file; rounds not yet run have no result.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { RoundResult, Season } from '../../core/championship/season.ts';
import { seasonProblems } from '../../core/championship/season.ts';
import { POINTS_SCHEMES } from '../../core/championship/schemes.ts';
import { roundFromScoredRally } from '../../core/championship/from-classification.ts';
import { parseRallyFile } from '../../core/rallyfile/parse.ts';
import { resolveRules } from '../../core/rules/resolve.ts';
import { score } from '../../core/scoring/index.ts';
import type { HistoryStore } from './types.ts';

/** The repository root (seeds/ and fixtures/ resolve against it). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Seasons shipped as seed data. */
export async function seedSeasons(): Promise<Season[]> {
  const out: Season[] = [];
  for (const file of ['ara-2026-season.json']) {
    const path = join(REPO_ROOT, 'seeds', file);
    if (existsSync(path)) out.push(JSON.parse(await readFile(path, 'utf8')) as Season);
  }
  return out;
}

/** A season by id: stored first, then seeds. */
export async function findSeason(id: string, store: HistoryStore | null): Promise<Season | null> {
  const stored = store ? await store.getSeason(id) : null;
  if (stored) return stored;
  return (await seedSeasons()).find((s) => s.id === id) ?? null;
}

/** Every season: stored ones, plus seeds not stored. */
export async function allSeasons(store: HistoryStore | null): Promise<Season[]> {
  const stored = store ? await store.listSeasons() : [];
  const ids = new Set(stored.map((s) => s.id));
  return [...stored, ...(await seedSeasons()).filter((s) => !ids.has(s.id))];
}

export function checkSeason(season: Season): string[] {
  return seasonProblems(season, new Set(Object.keys(POINTS_SCHEMES)));
}

export interface RoundResultsOutcome {
  results: RoundResult[];
  /** Why a round with a rally file has no result (file missing, invalid, …). */
  notes: string[];
}

/** Scores a rally file into a round result, with the Power Stage, Saturday and Sunday places its facts give. */
export async function scoreRallyFile(roundId: string, relPath: string): Promise<RoundResult | string> {
  const path = join(REPO_ROOT, relPath);
  if (!existsSync(path)) return `${relPath}: no such file`;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return `${relPath}: not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  const parsed = parseRallyFile(json);
  if (!parsed.ok) return `${relPath}: not a valid rally file (${parsed.errors.length} errors; run rallyhq validate ${relPath})`;
  const { rally, facts } = parsed.file;
  const resolved = resolveRules(rally.rules);
  if (resolved.errors.length) return `${relPath}: rules choice not valid`;
  const state = score(rally, resolved.rules, facts);
  // Power Stage, Saturday and Sunday places from the rally's facts too (WRC24, WRC25).
  return roundFromScoredRally(state, {
    round: roundId,
    // NOTE: a rally file carries no publication; its round stays provisional until a final result is stored.
    status: 'provisional',
    source: `${relPath} scored by rallyhq`,
  });
}

/** Round results of a season: stored results win; rounds with a rally file are scored from it. */
export async function roundResults(season: Season, store: HistoryStore | null): Promise<RoundResultsOutcome> {
  const stored = store ? await store.roundResults(season.id) : [];
  const byRound = new Map(stored.map((r) => [r.round, r]));
  const notes: string[] = [];
  for (const round of season.rounds) {
    if (byRound.has(round.id) || !round.rallyFile) continue;
    const r = await scoreRallyFile(round.id, round.rallyFile);
    if (typeof r === 'string') notes.push(`round ${round.round} ${round.name}: ${r}`);
    else byRound.set(round.id, r);
  }
  return { results: season.rounds.flatMap((r) => (byRound.has(r.id) ? [byRound.get(r.id)!] : [])), notes };
}
