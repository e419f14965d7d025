// Converts the WRC live-timing data kept in fixtures/real (WRC 2018
// Monte-Carlo and Sweden) into a rally definition and the facts officials
// recorded: stage times (assessed where the data says so), penalties at their
// controls, retirements (permanent or rejoined) and the Super Rally restarts
// that followed a rejoined retirement. Pure: the caller reads the file.
// SEE: fixtures/real/README.md for the shape and the traps.
import type { Fact } from '../facts.ts';
import type { Control, Entry, RallyDefinition, Section, Stage, StageType } from '../model.ts';

export interface WrcStage { code: string; name: string; km: number; type: string; timing: string }
export interface WrcCrew {
  car: number;
  driver: string;
  codriver: string;
  class: string | null;
  group?: string | null;
  eligibility?: string | null;
  vehicle?: string | null;
  entrant?: string | null;
  stageTimes: Record<string, string>;
  stageTimeStatus?: Record<string, string> | null;
  penalties: { seconds: number; reason: string; control: string }[];
  retirements?: { control: string; reason: string; status: string; time: string }[] | null;
  status: string;
  official: { position: number | null; total: string | null; penaltyTotal?: string | null };
}
export interface WrcRallyFile { rally: string; year: number; stages: WrcStage[]; crews: WrcCrew[] }

/** Rules the 2018 events were run under, as overrides of the FIA preset. */
export const WRC_2018_OVERRIDES: NonNullable<RallyDefinition['rules']['overrides']> = {
  // SEE: rally-rules §5 — WRC practice decides a dead heat on the first stage (ACR23).
  tieBreak: { value: 'firstStage', rule: 'WRC practice: dead heat decided on the first stage (ACR23)' },
  // NOTE: the timing data has no leg boundaries, so the import makes one leg; the official classification says which restarts stood.
  restartMaxPerLeg: { value: 99, rule: 'import: the data gives no legs (one leg for the whole rally); restarts as the official classification honoured them' },
};

const STAGE_NUMBER = /^SS(\d+)$/;
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

function stageType(t: string): StageType {
  if (/power/i.test(t)) return 'power';
  if (/super/i.test(t)) return 'superSpecial';
  return 'special';
}

const isAssessed = (status: string | undefined): boolean => status !== undefined && /assessed/i.test(status);

export function importWrc(file: WrcRallyFile): { definition: RallyDefinition; facts: Fact[] } {
  const id = `wrc-${file.year}-${file.rally.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  const stages: Stage[] = file.stages.map((s) => ({
    code: s.code, name: s.name.trim(), distanceM: Math.round(s.km * 1000), type: stageType(s.type), leg: 'L1',
    ...(/thousandth/i.test(s.timing) ? { precisionMs: 1 } : {}),
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
    const n = Number(STAGE_NUMBER.exec(s.code)?.[1] ?? NaN);
    if (!Number.isInteger(n)) continue;
    put(n, 0, { id: `TC${n}`, kind: 'TC' });
    put(n, 1, { id: `SS${n}`, kind: 'SS_START', stage: s.code });
    put(n, 2, { id: `SF${n}`, kind: 'SS_FINISH', stage: s.code });
  }
  for (const cid of extra) {
    const slot = controlSlot(cid);
    if (slot && slot.order >= 10) put(slot.n, slot.order, { id: cid, kind: 'TC' });
  }
  const sections: Section[] = [...bySection.entries()].sort((a, b) => a[0] - b[0]).map(([n, m]) => ({
    id: `S${n}`, name: `Section to and after SS${n}`,
    controls: [...m.values()].sort((a, b) => a.order - b.order || a.control.id.localeCompare(b.control.id)).map((x) => x.control),
  }));

  const classOf = (c: WrcCrew): string => c.class ?? c.group ?? 'NAT';
  const classes = [...new Set(file.crews.map(classOf))].sort().map((code) => ({ code, name: code }));
  // NOTE: the timing data names the model only; the make is read from the model's name (MAKE_OF_MODEL), else 'unknown'.
  const entries: Entry[] = file.crews.map((c) => ({
    car: c.car, driver: { name: c.driver }, codriver: { name: c.codriver }, make: makeOfModel(c.vehicle ?? ''), model: c.vehicle?.trim() || 'unknown', class: classOf(c),
    ...(c.entrant ? { entrant: c.entrant } : {}), ...(c.group ? { group: c.group } : {}), ...(c.eligibility ? { eligibility: [c.eligibility] } : {}),
  }));
  const dates = file.crews.flatMap((c) => (c.retirements ?? []).map((r) => r.time.slice(0, 10))).sort();
  const startDate = dates[0] ?? `${file.year}-01-01`;

  const definition: RallyDefinition = {
    id, name: `${file.rally} ${file.year}`, timeZone: /sweden/i.test(file.rally) ? 'Europe/Stockholm' : 'Europe/Monaco', distanceUnit: 'km', startDate, endDate: dates.at(-1) ?? startDate,
    rules: { preset: 'fia', version: '2026.1', overrides: WRC_2018_OVERRIDES },
    legs: [{ id: 'L1', name: 'Rally', date: startDate, sections }],
    stages, classes, entries,
  };

  const facts: Fact[] = [];
  let seq = 0;
  const positionOf = new Map<string, number>();
  sections.forEach((s, si) => s.controls.forEach((c, ci) => positionOf.set(c.id, si * 1000 + ci)));
  for (const c of file.crews) {
    const status = c.stageTimeStatus ?? {};
    for (const s of file.stages) {
      const time = c.stageTimes[s.code];
      if (time === undefined) continue;
      facts.push({ type: 'stageTime', id: `${c.car}-${s.code}`, seq: ++seq, car: c.car, stage: s.code, time, source: 'official',
        ...(isAssessed(status[s.code]) ? { assessed: true, reason: status[s.code] } : {}) });
    }
    c.penalties.forEach((p, k) => {
      facts.push({ type: 'penalty', id: `${c.car}-pen-${k + 1}`, seq: ++seq, car: c.car, seconds: p.seconds, reason: p.reason.trim(), control: p.control, rule: 'WRC 2018 official penalty table' });
    });
    for (const [k, r] of (c.retirements ?? []).entries()) {
      const permanent = /permanent/i.test(r.status);
      facts.push({ type: 'retirement', id: `${c.car}-ret-${k + 1}`, seq: ++seq, car: c.car, where: r.control, reason: r.reason, permanent, recordedAt: r.time });
      if (permanent) continue;
      const next = (c.retirements ?? []).map((x) => positionOf.get(x.control) ?? Infinity).filter((x) => x > (positionOf.get(r.control) ?? Infinity));
      const section = restartSection(file, c, r.control, Math.min(Infinity, ...next), positionOf);
      if (section) facts.push({ type: 'restart', id: `${c.car}-restart-${k + 1}`, seq: ++seq, car: c.car, section, reason: 'rejoined under Super Rally' });
    }
  }
  return { definition, facts };
}

/**
 * Where a rejoined crew restarted: the first section starting after its
 * retirement whose stage it drove normally (the stages between carry assessed
 * times); failing that, the first section starting after the retirement.
 * A crew that retired again later restarted before that second retirement.
 */
function restartSection(file: WrcRallyFile, c: WrcCrew, control: string, before: number, positionOf: Map<string, number>): string | null {
  const at = positionOf.get(control);
  if (at === undefined) return null;
  const status = c.stageTimeStatus ?? {};
  // A restart is at a section start after the retirement.
  const after = file.stages
    .map((s) => ({ s, n: Number(STAGE_NUMBER.exec(s.code)?.[1] ?? NaN) }))
    .filter(({ n }) => { const p = positionOf.get(`TC${n}`) ?? -1; return p > at && p < before; });
  const first = after.find(({ s }) => s.code in c.stageTimes && status[s.code] === undefined) ?? after[0];
  return first ? `S${first.n}` : null;
}

/**
 * The make of the models that appear in WRC timing data of the period, by the
 * first word of the model's name: a manufacturers' table of an imported rally
 * needs it (the data names "FIESTA WRC", "i20 Coupe WRC", "208 R2" …).
 */
const MAKE_OF_MODEL: Readonly<Record<string, string>> = {
  fiesta: 'Ford', yaris: 'Toyota', i20: 'Hyundai', c3: 'Citroën', c2: 'Citroën', ds3: 'Citroën', fabia: 'Škoda',
  '208': 'Peugeot', clio: 'Renault', twingo: 'Renault', mirage: 'Mitsubishi', evo: 'Mitsubishi', lancer: 'Mitsubishi',
  '124': 'Abarth', polo: 'Volkswagen', impreza: 'Subaru', swift: 'Suzuki', adam: 'Opel',
};

export function makeOfModel(vehicle: string): string {
  const first = vehicle.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return MAKE_OF_MODEL[first] ?? 'unknown';
}
