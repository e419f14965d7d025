// Series, seasons, rounds, championships and registrations. A season is data
// (seeds/*.json or the store); round results come from a scored rally or are
// entered as external results. Every calendar fact carries its source and
// whether it was confirmed.

export interface Series {
  id: string;
  name: string;
  /** Sanctioning body, e.g. `ARA`, `FIA`. */
  body: string;
}

export type ChampionshipKind = 'drivers' | 'codrivers' | 'manufacturers';

export interface Championship {
  /** Unique within the season, e.g. `drivers`, `l4wd-drivers`, `manufacturers`. */
  id: string;
  name: string;
  kind: ChampionshipKind;
  /** Points scheme id (see schemes.ts) or a custom scheme given in the season. */
  scheme: string;
  /** Registration code crews must carry (`Entry.eligibility`), e.g. `ara-national`; absent = every crew. */
  eligibility?: string;
  /** Class championships: only crews of this class, placed among themselves. */
  class?: string;
  /** Best N results count (dropped rounds); absent = every round counts. */
  countBest?: { value: number; rule: string; confirmed: boolean; note?: string };
  /**
   * Whose places the count-back weighs when rounds are dropped: every round's (`all`) or the counted
   * rounds' only (`counted`). Absent = `all`, flagged [NF] (FMU26 Art 8.1 does not say); a series' regulations set it.
   */
  countBackRounds?: { value: 'all' | 'counted'; rule: string; confirmed: boolean; note?: string };
  /** Manufacturers: how many nominated cars of a make score per round (WRCM08: two). */
  carsPerMake?: number;
  /**
   * Manufacturers: which cars score for their make — only nominated ones (`nominated`, WRCM08) or every
   * eligible car (`every-car`) — and the rule that says so. Absent = `nominated`.
   */
  makeCars?: { value: 'nominated' | 'every-car'; rule: string; confirmed: boolean; note?: string };
  /**
   * A regional championship: only rounds in this region count (a regional event there, or a national
   * round's regional category there), and the rule that says so. Absent = every round not marked
   * `level: 'regional'`. SEE: rally-rules §6.2 (ARA18, ARA23).
   */
  region?: { value: string; rule: string; confirmed: boolean; note?: string };
  /**
   * Only crews of this category score (a rally classifying several on the same roads: ARA `National`,
   * `Regional`). A crew of a rally without categories is in every category.
   */
  category?: string;
}

export interface CalendarRound {
  /** Unique within the season, e.g. `snodrift`. */
  id: string;
  /** 1-based order in the season. */
  round: number;
  name: string;
  /** Local dates, `2026-02-06`; null when not announced. */
  startDate: string | null;
  endDate: string | null;
  location?: string;
  /** Rally id when rallyhq scores the round itself. */
  rally?: string;
  /** Region the event is run in (ARA: `East`, `Central`, `West`): it counts for that region's regional championships. */
  region?: string;
  /** `regional`: a regional event, counting only for its region's championships; absent = `national` (counts for every championship of its region and for those without a region). */
  level?: 'national' | 'regional';
  /** Rally file under the repository, relative, when there is one (`fixtures/snodrift-2026.rally.json`). */
  rallyFile?: string;
  confirmed: boolean;
  source: string;
  note?: string;
  /** Places set by hand for a round scored from its rally (they win over the derived ones). */
  positionOverrides?: PositionOverride[];
}

/**
 * A place given by hand for one crew (matched by car, else by driver), e.g. a
 * stewards' decision the rally facts do not hold. `null` = no place.
 */
export interface PositionOverride {
  car?: number;
  driver?: string;
  saturday?: number | null;
  sunday?: number | null;
  powerStage?: number | null;
  /** Who decided it and why (e.g. `Stewards decision 12`). */
  rule: string;
}

export interface Registration {
  championship: string;
  driver?: string;
  codriver?: string;
  make?: string;
  /** Manufacturers: the car is nominated to score for its make. */
  nominated?: boolean;
}

export interface Season {
  id: string;
  series: Series;
  year: number;
  name: string;
  classes: { code: string; name: string }[];
  rounds: CalendarRound[];
  championships: Championship[];
  registrations?: Registration[];
  sources: Record<string, string>;
  note?: string;
}

export type CrewStatus = 'finished' | 'retired' | 'excluded' | 'notStarted';

/** One crew's result at one round, as championship points need it. */
export interface RoundCrewResult {
  car?: number;
  driver: string;
  codriver?: string;
  make: string;
  class: string;
  status: CrewStatus;
  /** Overall final position; null when not classified. */
  position: number | null;
  /** Place in the general classification after the last Saturday stage (WRC 2024). */
  saturdayPosition?: number | null;
  /** Place in the Sunday-only classification (WRC 2025 Super Sunday). */
  sundayPosition?: number | null;
  /** Place on the Power Stage (by stage time). */
  powerStagePosition?: number | null;
  /** Championship codes the crew is registered for. */
  eligibility?: string[];
  /** Nominated to score for its make in manufacturers' championships. */
  nominated?: boolean;
  /** Championship category the crew was classified in (ARA `National` / `Regional`); `position` is within it. */
  category?: string;
  /** Places in each leg's own classification (leg id → place, null = no place), for leg bonus points (ERC20). */
  legPositions?: Record<string, number | null>;
}

export interface RoundResult {
  round: string;
  /** `provisional` until the stewards approve; standings show which. */
  status: 'provisional' | 'final';
  /** Share of the scheduled special-stage distance that was run (0..1); absent = all. SEE: FMU26 Art 3.1. */
  runShare?: number;
  /** The Power Stage was stopped or thrown out: no Power Stage points (ARA22, Ojibwe 2022). */
  powerStageVoid?: boolean;
  crews: RoundCrewResult[];
  source: string;
  /** How the Saturday, Sunday and Power Stage places were derived from the rally, when they were. */
  basis?: { saturday?: string; sunday?: string; powerStage?: string; runShare?: string };
  /** Places set by hand over the derived ones, one line each. */
  overridden?: string[];
  /** Legs of the round in running order, with how their classifications were taken (leg bonus points). */
  legs?: { id: string; label: string; basis: string }[];
}

/** A crew is in a championship when it carries the code (or the season registers it), and in its class for class championships. */
export function isEligible(championship: Championship, crew: RoundCrewResult, registrations: readonly Registration[] = []): boolean {
  if (championship.class && crew.class !== championship.class) return false;
  // A crew of a rally without categories is in whichever category the championship scores.
  if (championship.category && crew.category !== undefined && crew.category !== championship.category) return false;
  if (!championship.eligibility) return true;
  if (crew.eligibility?.includes(championship.eligibility)) return true;
  return registrations.some((r) => r.championship === championship.id
    && (r.driver === undefined || r.driver === crew.driver)
    && (r.codriver === undefined || r.codriver === crew.codriver)
    && (r.make === undefined || r.make === crew.make)
    && (r.driver !== undefined || r.codriver !== undefined || r.make !== undefined));
}

/** Whether a crew's car scores for its make: every car when the championship says so, else nominated in the result or by a season registration. */
export function isNominated(championship: Championship, crew: RoundCrewResult, registrations: readonly Registration[] = []): boolean {
  if (championship.makeCars?.value === 'every-car') return true;
  if (crew.nominated) return true;
  return registrations.some((r) => r.championship === championship.id && r.nominated === true && r.make === crew.make
    && (r.driver === undefined || r.driver === crew.driver));
}

/**
 * The season's rounds that count for a championship, in calendar order: a regional championship counts
 * the rounds of its region (regional events and national rounds there, ARA23 [V]); any other counts every
 * round that is not a regional event.
 */
export function roundsOf(season: Season, championship: Championship): CalendarRound[] {
  const region = championship.region?.value;
  return season.rounds.filter((r) => (region !== undefined ? r.region === region : r.level !== 'regional'));
}

/**
 * A round by id, or by its number in the championship's own calendar (`1` = the first round that counts
 * for it: Sno*Drift for the ARA national championship, whatever regional events ran before it).
 */
export function findChampionshipRound(season: Season, championship: Championship, text: string): CalendarRound | undefined {
  const own = roundsOf(season, championship);
  return season.rounds.find((r) => r.id === text) ?? (/^\d+$/.test(text) ? own[Number(text) - 1] : undefined);
}

/** Problems with a season document, as text naming the field and the fix. */
export function seasonProblems(season: Season, knownSchemes: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const roundIds = new Set<string>();
  season.rounds.forEach((r, i) => {
    if (roundIds.has(r.id)) problems.push(`rounds[${i}].id: '${r.id}' appears twice; give each round its own id`);
    roundIds.add(r.id);
    if (r.round !== i + 1) problems.push(`rounds[${i}].round: expected ${i + 1}, got ${r.round}; list rounds in calendar order`);
    if (r.level === 'regional' && !r.region) problems.push(`rounds[${i}].region: a regional event counts only for its region's championships; give its region (e.g. Central)`);
    if (r.level !== undefined && r.level !== 'national' && r.level !== 'regional') problems.push(`rounds[${i}].level: must be 'national' or 'regional'`);
    for (const key of ['startDate', 'endDate'] as const) {
      const d = r[key];
      if (d !== null && !isCalendarDate(d)) problems.push(`rounds[${i}].${key}: '${d}' is not a calendar date (YYYY-MM-DD)`);
    }
    (r.positionOverrides ?? []).forEach((o, k) => {
      const at = `rounds[${i}].positionOverrides[${k}]`;
      if (o.car === undefined && !o.driver) problems.push(`${at}: give the crew's car or driver`);
      if (!o.rule) problems.push(`${at}.rule: say who set the place and why`);
      for (const key of ['saturday', 'sunday', 'powerStage'] as const) {
        const v = o[key];
        if (v !== undefined && v !== null && !(Number.isInteger(v) && v >= 1)) problems.push(`${at}.${key}: a place is a whole number ≥ 1 (or null for none), got ${String(v)}`);
      }
    });
  });
  const classes = new Set(season.classes.map((c) => c.code));
  const champIds = new Set<string>();
  season.championships.forEach((c, i) => {
    if (champIds.has(c.id)) problems.push(`championships[${i}].id: '${c.id}' appears twice`);
    champIds.add(c.id);
    if (!knownSchemes.has(c.scheme)) problems.push(`championships[${i}].scheme: unknown scheme '${c.scheme}'; use one of ${[...knownSchemes].join(', ')}`);
    if (c.class && !classes.has(c.class)) problems.push(`championships[${i}].class: unknown class '${c.class}'; add it to classes`);
    if (c.countBest && (!Number.isInteger(c.countBest.value) || c.countBest.value < 1)) problems.push(`championships[${i}].countBest.value: must be a whole number ≥ 1`);
    if (c.countBackRounds && c.countBackRounds.value !== 'all' && c.countBackRounds.value !== 'counted') problems.push(`championships[${i}].countBackRounds.value: must be 'all' or 'counted'`);
    if (c.region && !season.rounds.some((r) => r.region === c.region!.value)) {
      const known = [...new Set(season.rounds.flatMap((r) => (r.region ? [r.region] : [])))];
      problems.push(`championships[${i}].region.value: no round is in region '${c.region.value}'; give rounds a region (${known.length ? `known: ${known.join(', ')}` : 'none has one yet'})`);
    }
    if (c.makeCars && c.kind !== 'manufacturers') problems.push(`championships[${i}].makeCars: only a manufacturers' championship says which cars score for their make; remove it or set kind to manufacturers`);
    if (c.makeCars && c.makeCars.value !== 'nominated' && c.makeCars.value !== 'every-car') problems.push(`championships[${i}].makeCars.value: must be 'nominated' or 'every-car'`);
  });
  return problems;
}

/** `2015-02-30` is not a date; `2015-02-28` is. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}
