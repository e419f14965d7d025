// Converts ARA published results kept in fixtures/real (the 2025 national
// rounds and Sno*Drift 2026) into a rally definition and the facts officials
// recorded: driven stage times, the one time given to every crew on a stopped
// stage, cancelled stages, penalties at their controls with their RCR article,
// retirements (permanent or rejoined), the restarts that followed, and
// exclusions. Restart (Super Rally) charges are NOT imported: the engine
// computes them under the ARA preset, except the cells listed in
// PUBLISHED_CHARGES, which no consistent rule reproduces and which come in as
// the officials' assessed time with the reason. Pure: the caller reads the file.
// SEE: fixtures/real/README.md for the shape; docs/rules.md (ARA) for the rules.
import type { Fact, StageInterrupted } from '../facts.ts';
import type { Control, Entry, RallyDefinition, Section, Stage } from '../model.ts';
import { METRES_PER_MILE } from '../model.ts';

export interface AraStage {
  code: string;
  name: string;
  miles: number;
  type: string;
  timing: string;
  runBy: string[];
  status: string;
  sharedTime?: { time: string; crews: number; slowerOwnTimes: number };
}
export interface AraCrew {
  car: number;
  driver: string;
  codriver: string;
  category: string;
  class: string;
  vehicle?: string | null;
  stageTimes: Record<string, string>;
  stageTimeStatus?: Record<string, string>;
  penalties: { seconds: number; reason: string; control: string; stage?: string; rule?: string }[];
  retirements?: { control: string; stage: string; reason: string; status: string }[];
  status: string;
  result: { position: number | null; classPosition: number | null; total: string | null; penaltyTotal: string | null };
  official?: { position: number | null; total: string | null; penalty: string | null };
}
export interface AraRallyFile {
  rally: string;
  year: number;
  championship: string;
  startDate: string;
  finishDate: string;
  distanceUnit: string;
  totalMiles: number;
  stages: AraStage[];
  crews: AraCrew[];
}

export const ARA_CATEGORIES = [
  { code: 'National', name: 'National' },
  { code: 'Regional', name: 'Regional' },
] as const;

/** A restart charge as ARA published it, imported as the officials' assessed time because no consistent rule gives it. */
export interface PublishedCharge { car: number; stages: string[]; why: string }

/**
 * The charged cells of the 2025 national rounds (and Sno*Drift 2026) that the
 * ARA rule (class-and-category best, tenths dropped, + 10:00 then + 7:00)
 * does not give, by rally id. Every other charged cell is computed.
 * SEE: ara-evidence "Restart charges", exceptions and whole-minute bases.
 */
export const PUBLISHED_CHARGES: Readonly<Record<string, readonly PublishedCharge[]>> = {
  'ara-2025-sno-drift': [
    { car: 243, stages: ['SS1', 'SS2', 'SS3', 'SS4', 'SS5', 'SS6', 'SS7', 'SS8'], why: 'no other RC2 crew of the National category had a time on these stages: the officials gave a whole-minute base (7:00, 12:00, 12:00, 9:00 by road) that is in no data' },
  ],
  'ara-2025-100-acre-wood': [
    { car: 352, stages: ['SS4', 'SS5', 'SS6'], why: 'no crew of its class and category had a time on these stages: the officials gave a whole-minute base (9:00, 7:00, 13:00) that is in no data' },
    { car: 407, stages: ['SS3'], why: 'published as the class best with nothing added (6:01.0), where the rule gives + 10:00 for the first missed stage' },
  ],
  'ara-2025-olympus': [
    { car: 523, stages: ['SS6'], why: 'the first stage missed was charged base + 7:00 (28:39.0), where the rule gives + 10:00' },
  ],
  'ara-2025-ojibwe': [
    { car: 12, stages: ['SS4', 'SS5', 'SS6', 'SS7', 'SS8', 'SS9', 'SS10'], why: 'no other NA4WD crew of the National category had a time of its own on these stages: the officials gave a whole-minute base (16:00 Crossroads, 19:00 Steamboat, 6:00 Spur, 7:00 Refuge) that is in no data' },
    { car: 460, stages: ['SS2'], why: 'no O4WD crew of the Regional category had a time on SS2 Soo Pass: the officials gave a whole-minute base (1:00)' },
    { car: 522, stages: ['SS5', 'SS6'], why: 'SS5 published as the stopped stage\'s shared time with the tenths dropped and nothing added (14:26.0); SS6 as the whole-minute base 6:00 + 7:00 (13:00.0) although its class had the shared time 3:53.2 there (car 824 on the same stage: 3:53 + 7:00)' },
    { car: 211, stages: ['SS10'], why: 'published as base + 14:00 (18:57.0), where the rule gives + 7:00 for a further missed stage' },
  ],
};

/**
 * Rules of a round that differ from the ARA preset, as overrides. Oregon
 * Trail 2025 took the restart base across both categories: all 52 of its
 * charges fit that, and 30 of them fit nothing else.
 */
export const ROUND_OVERRIDES: Readonly<Record<string, NonNullable<RallyDefinition['rules']['overrides']>>> = {
  'ara-2025-oregon-trail': {
    restartBaseScope: { value: 'event', rule: 'Oregon Trail Rally 2025 published results: every restart charge takes the class best across both categories' },
  },
};

const TIME_ZONES: readonly [RegExp, string][] = [
  [/sno\*?drift|lake superior/i, 'America/Detroit'],
  [/100 acre|ojibwe/i, 'America/Chicago'],
  [/olympus|oregon/i, 'America/Los_Angeles'],
  [/southern ohio|overmountain/i, 'America/New_York'],
];

const isRestartMark = (s: string | undefined): boolean => s !== undefined && /^Assessed \(restart/.test(s);
const isShared = (s: string | undefined): boolean => s !== undefined && /^Shared time/.test(s);

/** `TC10`, `TC10C`, `SF9`, `SS4` → the stage number they belong to and their order within its section. */
function controlSlot(id: string): { n: number; order: number } | null {
  let m = /^TC(\d+)([A-Z]?)$/.exec(id);
  if (m) return m[2] ? { n: Number(m[1]), order: 10 + m[2].charCodeAt(0) - 64 } : { n: Number(m[1]), order: 0 };
  m = /^SS(\d+)$/.exec(id);
  if (m) return { n: Number(m[1]), order: 1 };
  m = /^SF(\d+)$/.exec(id);
  if (m) return { n: Number(m[1]), order: 2 };
  return null;
}

/** `2015 Subaru WRX STi` → make Subaru, model `WRX STi (2015)`; a name without a year is split at its first word. */
function makeAndModel(vehicle: string | null | undefined): { make: string; model: string } {
  const words = (vehicle ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { make: 'unknown', model: 'unknown' };
  const year = /^(19|20)\d\d$/.test(words[0]!) ? words.shift()! : null;
  const make = words.shift() ?? 'unknown';
  const model = words.join(' ') || make;
  return { make, model: year ? `${model} (${year})` : model };
}

const SLUGS: readonly [RegExp, string][] = [
  [/sno\*?drift/i, 'sno-drift'], [/100 acre/i, '100-acre-wood'], [/olympus/i, 'olympus'], [/oregon trail/i, 'oregon-trail'],
  [/southern ohio/i, 'southern-ohio'], [/ojibwe/i, 'ojibwe'], [/overmountain/i, 'overmountain'], [/lake superior/i, 'lake-superior'],
];

/** `ara-2025-sno-drift` for Sno*Drift Rally 2025: the id the rally file and PUBLISHED_CHARGES use. */
export function araRallyId(file: Pick<AraRallyFile, 'rally' | 'year'>): string {
  const known = SLUGS.find(([re]) => re.test(file.rally))?.[1];
  const slug = known ?? file.rally.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `ara-${file.year}-${slug}`;
}

export function importAra(file: AraRallyFile): { definition: RallyDefinition; facts: Fact[] } {
  const id = araRallyId(file);
  const both = ARA_CATEGORIES.map((c) => c.code);
  const stages: Stage[] = file.stages.map((s) => ({
    code: s.code, name: s.name.trim(), distanceM: Math.round(s.miles * METRES_PER_MILE), type: /power/i.test(s.type) ? 'power' : 'special', leg: 'L1',
    // A stage one category did not run; a cancelled one (run by nobody) keeps every category and is cancelled by a fact.
    ...(s.status === 'run' && s.runBy.length < both.length ? { runBy: [...s.runBy] } : {}),
  }));

  // The itinerary: one section per stage (TCn, SSn start, SFn finish, then TCnA, TCnB … after it).
  const extra = new Set<string>();
  for (const c of file.crews) {
    for (const p of c.penalties) extra.add(p.control);
    for (const r of c.retirements ?? []) extra.add(r.control);
  }
  const bySection = new Map<number, Map<string, { order: number; control: Control }>>();
  const put = (n: number, order: number, control: Control): void => {
    let m = bySection.get(n);
    if (!m) bySection.set(n, (m = new Map()));
    if (!m.has(control.id)) m.set(control.id, { order, control });
  };
  for (const s of stages) {
    const n = Number(/^SS(\d+)$/.exec(s.code)?.[1] ?? NaN);
    if (!Number.isInteger(n)) continue;
    put(n, 0, { id: `TC${n}`, kind: 'TC' });
    put(n, 1, { id: `SS${n}`, kind: 'SS_START', stage: s.code });
    put(n, 2, { id: `SF${n}`, kind: 'SS_FINISH', stage: s.code });
  }
  for (const cid of extra) {
    const slot = controlSlot(cid);
    if (slot && slot.order >= 10) put(slot.n, slot.order, { id: cid, kind: 'TC' });
    else if (slot && !bySection.get(slot.n)?.has(cid)) put(slot.n, slot.order, { id: cid, kind: 'TC' });
  }
  const sections: Section[] = [...bySection.entries()].sort((a, b) => a[0] - b[0]).map(([n, m]) => ({
    id: `S${n}`, name: `Section to and after SS${n}`,
    controls: [...m.values()].sort((a, b) => a.order - b.order || a.control.id.localeCompare(b.control.id)).map((x) => x.control),
  }));

  const classes = [...new Set(file.crews.map((c) => c.class))].sort().map((code) => ({ code, name: code }));
  const entries: Entry[] = file.crews.map((c) => ({
    car: c.car, driver: { name: c.driver }, codriver: { name: c.codriver }, ...makeAndModel(c.vehicle), class: c.class, category: c.category,
    eligibility: [`ara-${c.category.toLowerCase()}`],
  }));

  const definition: RallyDefinition = {
    id, name: `${file.rally} ${file.year}`,
    timeZone: TIME_ZONES.find(([re]) => re.test(file.rally))?.[1] ?? 'America/Chicago',
    distanceUnit: 'mi', startDate: file.startDate, endDate: file.finishDate,
    rules: {
      preset: 'ara', version: '2026.2',
      overrides: {
        // NOTE: the results give no leg boundaries, so the import makes one leg; the published results say which restarts stood.
        restartMaxPerLeg: { value: 99, rule: 'import: the results give no legs (one leg for the whole rally); restarts as the published results honoured them' },
        ...ROUND_OVERRIDES[id],
      },
    },
    legs: [{ id: 'L1', name: 'Rally', date: file.startDate, sections }],
    stages, classes, entries, categories: ARA_CATEGORIES.map((c) => ({ ...c })),
    country: 'USA', championshipRound: file.championship,
  };

  const facts: Fact[] = [];
  let seq = 0;
  // Cancelled stages (no time for anyone) and stopped ones (one time given to every affected crew).
  for (const s of file.stages) {
    if (s.status !== 'run') facts.push({ type: 'stageCancelled', id: `${s.code}-cancelled`, seq: ++seq, stage: s.code, reason: 'cancelled: no time for anyone (as published)' });
    if (!s.sharedTime) continue;
    const shared = file.crews.filter((c) => isShared(c.stageTimeStatus?.[s.code]) && c.stageTimes[s.code] === s.sharedTime!.time);
    if (shared.length === 0) continue;
    const f: StageInterrupted = {
      type: 'stageInterrupted', id: `${s.code}-stopped`, seq: ++seq, stage: s.code,
      reason: `stage stopped: one time (${s.sharedTime.time}) given to the ${shared.length} crews it affected, as published (ARA RCR 5.14)`,
      notionalTimes: shared.map((c) => ({ car: c.car, time: s.sharedTime!.time })),
    };
    facts.push(f);
  }

  const published = new Map<string, string>();
  for (const p of PUBLISHED_CHARGES[id] ?? []) for (const st of p.stages) published.set(`${p.car}|${st}`, p.why);
  const order = new Map(file.stages.map((s, i) => [s.code, i]));

  for (const c of file.crews) {
    const status = c.stageTimeStatus ?? {};
    const rets = c.retirements ?? [];
    // Where the crew stopped: the first stage it missed, which the results mark (the control is kept in the reason).
    const firstMissed = rets.map((r, k) => firstMarkedAfter(file, c, r, rets[k + 1]));
    for (const s of file.stages) {
      const time = c.stageTimes[s.code];
      if (time === undefined || isShared(status[s.code])) continue;
      if (isRestartMark(status[s.code])) {
        const why = published.get(`${c.car}|${s.code}`);
        const afterGoodbye = !rets.some((r, k) => !/permanent/i.test(r.status) && firstMissed[k] !== null && (order.get(s.code) ?? -1) >= (order.get(firstMissed[k]!) ?? Infinity));
        if (why === undefined && !afterGoodbye) continue; // the engine charges it
        facts.push({
          type: 'stageTime', id: `${c.car}-${s.code}`, seq: ++seq, car: c.car, stage: s.code, time, source: 'official', assessed: true, restartCharge: true,
          reason: why !== undefined ? `restart charge as published: ${why}` : 'restart charge as published, on the stage where the crew retired for good or was excluded (counts in no classification)',
        });
        continue;
      }
      facts.push({ type: 'stageTime', id: `${c.car}-${s.code}`, seq: ++seq, car: c.car, stage: s.code, time, source: 'rallysafe' });
    }
    c.penalties.forEach((p, k) => {
      facts.push({ type: 'penalty', id: `${c.car}-pen-${k + 1}`, seq: ++seq, car: c.car, seconds: p.seconds, reason: p.reason.trim(), control: p.control,
        rule: p.rule ?? (/minutes? (late|early)/i.test(p.reason) ? 'ARA time-control penalty (10 s per minute late, 1 min per minute early, as published)' : 'ARA penalty as published') });
    });
    if (c.status === 'excluded') {
      const r = rets.at(-1);
      facts.push({ type: 'exclusion', id: `${c.car}-excluded`, seq: ++seq, car: c.car, reason: r ? `${r.reason} (at ${r.control}, ${r.stage})` : 'excluded (as published)', rule: 'stewards\' decision (as published)' });
      continue;
    }
    rets.forEach((r, k) => {
      const permanent = /permanent/i.test(r.status);
      const missed = firstMissed[k] ?? null;
      const where = !permanent && missed !== null ? missed : r.control;
      facts.push({ type: 'retirement', id: `${c.car}-ret-${k + 1}`, seq: ++seq, car: c.car, where, reason: `${r.reason} (at ${r.control})`, permanent });
      if (permanent) return;
      const next = rets[k + 1];
      const section = restartSection(file, c, missed ?? r.stage, firstMissed[k + 1] ?? null, next ? controlSlot(next.control)?.n ?? null : null);
      if (section) facts.push({ type: 'restart', id: `${c.car}-restart-${k + 1}`, seq: ++seq, car: c.car, section, reason: 'rejoined (as published)' });
    });
  }
  return { definition, facts };
}

/** The first stage marked as a restart charge at or after the retirement's stage (and before the next retirement's first charge). */
function firstMarkedAfter(file: AraRallyFile, c: AraCrew, r: { stage: string; status: string }, next: { stage: string } | undefined): string | null {
  if (/permanent/i.test(r.status)) return null;
  const codes = file.stages.map((s) => s.code);
  const from = codes.indexOf(r.stage);
  const to = next ? codes.indexOf(next.stage) : codes.length;
  for (let i = Math.max(0, from); i < codes.length; i++) {
    if (i > to) break;
    if (isRestartMark(c.stageTimeStatus?.[codes[i]!])) return codes[i]!;
  }
  return null;
}

/**
 * Where a rejoined crew restarted: at the section of the first stage after the
 * one it missed first where it has a time of its own (not a restart charge),
 * where its next retirement's charges begin, or at the latest at the section
 * of its next retirement (it was running again when it retired there).
 */
function restartSection(file: AraRallyFile, c: AraCrew, missed: string, nextMissed: string | null, nextStop: number | null): string | null {
  const codes = file.stages.map((s) => s.code);
  const from = codes.indexOf(missed);
  for (let i = from + 1; i < codes.length; i++) {
    const code = codes[i]!;
    const n = Number(/^SS(\d+)$/.exec(code)?.[1]);
    const own = c.stageTimes[code] !== undefined && !isRestartMark(c.stageTimeStatus?.[code]);
    if (own || code === nextMissed || (nextStop !== null && n >= nextStop)) return `S${n}`;
  }
  return null;
}
