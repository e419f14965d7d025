// The shapes of the server's answers the pages read. Type-only imports of the
// core contracts: nothing of the core is bundled that the page does not call.
import type { RallyDefinition, Entry } from '../../core/model.ts';
import type { CarStatus, Classification, OverdueCrew, StageClassification, StageStatus, Workings } from '../../core/results.ts';
import type { Issue } from '../../core/issues.ts';

export type { RallyDefinition, Entry, Classification, StageClassification, StageStatus, Workings, Issue, OverdueCrew };

/** GET /api/rallies */
export interface RallySummary { id: string; name: string; startDate: string; endDate: string; entries: number; stages: number; country?: string }

/** GET /api/rallies/:id */
export interface RallyInfo { id: string; name: string; version: number; lastSeq: number; definition: RallyDefinition }

/** GET /api/rallies/:id/results */
export interface ResultsAnswer { rallyId: string; seq: number; classification: Classification }

/** GET /api/rallies/:id/stages/:stage */
export interface StageAnswer { rallyId: string; seq: number; stage: StageClassification }

/** GET /api/rallies/:id/crews/:car */
export interface CrewAnswer {
  rallyId: string;
  seq: number;
  entry: Entry;
  current: { position: number | null; classPosition: number | null; status: CarStatus; totalMs: number; penaltyMs: number; gapToLeaderMs: number | null } | null;
  stages: { stage: string; name: string; cancelled: boolean; status: StageStatus; timeMs: number | null; position: number | null; classPosition: number | null; penaltyMs: number; gapToWinnerMs: number | null }[];
  progression: { after: string; position: number | null; classPosition: number | null; totalMs: number | null; gapToClassLeaderMs: number | null }[];
  penalties: { id: string; seconds: number; reason: string; rule?: string; control?: string; stage?: string; withdrawn: boolean }[];
  workings: Workings;
}

/** A publication as the list route answers it (the snapshot left out). */
export interface Publication { number: number; kind: 'provisional' | 'official'; publishedAt: string; reason?: string; principal?: string; uptoSeq?: number; hash?: string | null }

/** The parts of the `init` and `reset` events (docs/live.md) that come from the rally's definition. */
export interface LiveInit {
  stages: { code: string; name: string; distanceM: number }[];
  entries: { car: number; driver: string; codriver: string; class: string; make: string; model: string }[];
}

/** The `delta` event of GET /api/rallies/:id/live (docs/live.md). */
export interface LiveDelta {
  rallyId: string;
  fromSeq: number;
  seq: number;
  rows: { car: number }[];
  stageTimes: { stage: string; car: number }[];
  facts: { id: string; seq: number; type: string; car?: number }[];
}

/** The `overdue` event of GET /api/rallies/:id/live/hq. */
export interface HqOverdue { rallyId: string; seq: number; now: string; overdue: OverdueCrew[] }

/** Lists come bare or wrapped (`{ publications: [...] }`); the pages accept both. */
export function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    const v = (body as Record<string, unknown>)[key];
    if (Array.isArray(v)) return v as T[];
  }
  return [];
}
