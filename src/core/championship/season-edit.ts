// Editing a season in small steps — a round added, a round's dates, venue or
// linked rally changed, a championship added or changed — each checked with
// the season's own checks, so a change that would leave the season wrong is
// refused with the field and the fix. Pure: the caller stores the result.
import type { CalendarRound, Championship, Season } from './season.ts';
import { isCalendarDate, seasonProblems } from './season.ts';

export type SeasonEdit = { ok: true; season: Season; line: string } | { ok: false; problems: string[] };

function checked(season: Season, schemes: ReadonlySet<string>, line: string): SeasonEdit {
  const problems = seasonProblems(season, schemes);
  return problems.length ? { ok: false, problems } : { ok: true, season, line };
}

/** Fields of a round the organiser sets; `round` (its number) follows from its place in the calendar. */
export type RoundInput = Omit<CalendarRound, 'round'>;

function datesInOrder(r: Pick<CalendarRound, 'startDate' | 'endDate'>, at: string): string[] {
  if (r.startDate && r.endDate && isCalendarDate(r.startDate) && isCalendarDate(r.endDate) && r.endDate < r.startDate) {
    return [`${at}.endDate: ${r.endDate} is before the start ${r.startDate}`];
  }
  return [];
}

/** Rounds in calendar order: dated rounds by start date, undated ones after them in the order given. */
function inCalendarOrder(rounds: CalendarRound[]): CalendarRound[] {
  const dated = rounds.filter((r) => r.startDate).sort((a, b) => (a.startDate! < b.startDate! ? -1 : a.startDate! > b.startDate! ? 1 : 0));
  const undated = rounds.filter((r) => !r.startDate);
  return [...dated, ...undated].map((r, i) => ({ ...r, round: i + 1 }));
}

export function addRound(season: Season, input: RoundInput, schemes: ReadonlySet<string>): SeasonEdit {
  if (!input.id.trim()) return { ok: false, problems: ['id: give the round a short id, e.g. "ojibwe"'] };
  if (season.rounds.some((r) => r.id === input.id)) return { ok: false, problems: [`id: '${input.id}' is already a round of ${season.id}; pick another id`] };
  if (!input.source.trim()) return { ok: false, problems: ['source: say where the date comes from (the series\' calendar announcement, the rally\'s regulations)'] };
  const bad = datesInOrder(input, 'round');
  if (bad.length) return { ok: false, problems: bad };
  const rounds = inCalendarOrder([...season.rounds, { ...input, round: 0 }]);
  const n = rounds.find((r) => r.id === input.id)!.round;
  return checked({ ...season, rounds }, schemes, `round ${n} ${input.name} added (${input.startDate ?? 'date not announced'})`);
}

export type RoundPatch = Partial<Pick<CalendarRound, 'name' | 'startDate' | 'endDate' | 'location' | 'confirmed' | 'source' | 'note' | 'region' | 'level'>> & { rally?: string | null };

export function updateRound(season: Season, id: string, patch: RoundPatch, schemes: ReadonlySet<string>): SeasonEdit {
  const before = season.rounds.find((r) => r.id === id);
  if (!before) return { ok: false, problems: [`round: no round '${id}' in ${season.id}; rounds are ${season.rounds.map((r) => r.id).join(', ') || '(none)'}`] };
  const after: CalendarRound = { ...before };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null && k === 'rally') delete after.rally;
    else (after as unknown as Record<string, unknown>)[k] = v;
  }
  const bad = datesInOrder(after, `rounds.${id}`);
  if (bad.length) return { ok: false, problems: bad };
  const changed = Object.keys(patch).filter((k) => JSON.stringify((before as unknown as Record<string, unknown>)[k] ?? null) !== JSON.stringify((after as unknown as Record<string, unknown>)[k] ?? null));
  if (changed.length === 0) return { ok: false, problems: [`round '${id}' already reads so; nothing to change`] };
  const rounds = inCalendarOrder(season.rounds.map((r) => (r.id === id ? after : r)));
  const line = `round ${id}: ${changed.map((k) => `${k} ${JSON.stringify((before as unknown as Record<string, unknown>)[k] ?? null)} → ${JSON.stringify((after as unknown as Record<string, unknown>)[k] ?? null)}`).join(', ')}`;
  return checked({ ...season, rounds }, schemes, line);
}

export function putChampionship(season: Season, c: Championship, schemes: ReadonlySet<string>): SeasonEdit {
  const exists = season.championships.some((x) => x.id === c.id);
  const championships = exists ? season.championships.map((x) => (x.id === c.id ? c : x)) : [...season.championships, c];
  return checked({ ...season, championships }, schemes, `championship ${c.id} ${exists ? 'changed' : 'added'} (${c.kind}, scheme ${c.scheme}${c.countBest ? `, best ${c.countBest.value}` : ''})`);
}

/** A new, empty season of a series. */
export function newSeason(input: Pick<Season, 'id' | 'name' | 'year' | 'series'> & { classes?: Season['classes'] }, schemes: ReadonlySet<string>): SeasonEdit {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(input.id)) return { ok: false, problems: ['id: lower-case letters, digits and dashes, e.g. "michigan-2026"'] };
  return checked({ id: input.id, name: input.name, year: input.year, series: input.series, classes: input.classes ?? [], rounds: [], championships: [], sources: {} }, schemes, `season ${input.id} created`);
}
