// The rally definition: what the route book and the entry list say before the
// first car starts. Distances are stored in metres and shown in the rally's unit.

export type DistanceUnit = 'mi' | 'km';

/** Kinds of control, in the order a car meets them around a special stage. */
export type ControlKind =
  | 'TC'              // time control: check-in to the whole minute
  | 'SS_START'        // stage start: standing start, allotted start time
  | 'SPLIT'           // split point inside a stage
  | 'SS_FINISH'       // flying finish: the stage time is taken here
  | 'STOP'            // stop control after the flying finish
  | 'SERVICE_IN'
  | 'SERVICE_OUT'
  | 'REGROUP_IN'
  | 'REGROUP_OUT'
  | 'PARC_FERME_IN'
  | 'PARC_FERME_OUT'
  | 'PASSAGE';        // stamp only, no time

/** Controls whose arrival is a time-of-day check-in judged against a due time. */
export const TIMED_ARRIVAL_KINDS: ReadonlySet<ControlKind> = new Set([
  'TC', 'SERVICE_IN', 'SERVICE_OUT', 'REGROUP_IN', 'REGROUP_OUT', 'PARC_FERME_IN', 'PARC_FERME_OUT',
]);

export interface Control {
  /** Unique within the rally, e.g. `TC3`, `SS3S`, `SS3F`, `TC3A`. */
  id: string;
  kind: ControlKind;
  name?: string;
  /** For SS_START, SPLIT, SS_FINISH, STOP: the stage this control belongs to. */
  stage?: string;
  /** For SPLIT: distance from the stage start, metres. */
  splitDistanceM?: number;
  /**
   * Road distance from the previous control to this one, metres (the liaison
   * as the route book gives it; a flying finish's distance is its stage's).
   * With the target time it gives the average a crew must hold.
   */
  distanceM?: number;
  /**
   * Target time for the road section that ends at this control, measured from
   * the car's departure at the previous time-of-day control (TC, service out,
   * regroup out, or stage start under the US "from stage start" method). ms.
   */
  targetMs?: number;
  /**
   * Due time of the first car at this control, rally-local ISO (`2026-02-06T16:00`): the start of a
   * leg (car k of the start order is due k × startIntervalMs later); under MSUK scheduled timing the
   * standard time of a notional car 0 (car n is due n × startIntervalMs later).
   */
  firstCarDue?: string;
  /** MSUK scheduled timing: a main time control (OTL here retires the crew; elsewhere it is a fixed penalty, App 14 (a)–(b)). */
  main?: boolean;
}

export interface Section {
  id: string;
  name?: string;
  /** Controls in itinerary order. */
  controls: Control[];
}

export interface Leg {
  id: string;
  name: string;
  /** Local date the leg starts, `2026-02-06`. */
  date: string;
  sections: Section[];
}

export type StageType = 'special' | 'superSpecial' | 'power';

export interface Stage {
  /** MSUK target timing: this stage's bogey time, ms (overrides the rules' stageBogeyTime). */
  bogeyMs?: number;
  /** This stage's maximum time, ms (overrides the rules' stageMaxTime). */
  maximumMs?: number;
  /** `SS1` … */
  code: string;
  name: string;
  /** Competitive length in metres. */
  distanceM: number;
  type: StageType;
  /** Timing precision override for this stage in ms (1 = thousandth, e.g. a WRC power stage). */
  precisionMs?: number;
  /** Leg id the stage belongs to. */
  leg: string;
  /**
   * Championship categories that run this stage (codes of `RallyDefinition.categories`);
   * absent: every category. A stage one category does not run counts for none of its crews.
   */
  runBy?: string[];
}

export interface RallyClass {
  code: string;
  name: string;
}

export interface Person {
  name: string;
  /** ISO 3166-1 alpha-3 or the sport's usual three-letter code, e.g. `USA`, `FIN`. */
  nationality?: string;
  /** Competition licence number, as the licence shows it. */
  licence?: string;
  /** Club or membership number (ARA membership, MSUK club). */
  club?: string;
}

export type Support = 'factory' | 'privateer';

export interface Entry {
  /** Car (door) number; unique within the rally. */
  car: number;
  driver: Person;
  codriver: Person;
  make: string;
  model: string;
  class: string;
  entrant?: string;
  support?: Support;
  /** Championship codes this crew is registered for, e.g. `ara-national`, `ara-l4wd`. */
  eligibility?: string[];
  /** FIA priority group or seeding note (e.g. `P1`). */
  group?: string;
  /** True for entries invented for fixtures; shown as such. */
  fictional?: boolean;
  /** Homologation or technical group of the car (e.g. `Rally2`, `RC2`), beside the rally's own class. */
  carGroup?: string;
  /** Registration plate of the car. */
  registration?: string;
  /** Accepted after the entry list closed; the when and who are in the entry changes. */
  late?: boolean;
  /** Driver or co-driver changes approved since the entry was accepted, oldest first. */
  substitutions?: Substitution[];
  /** Set when the crew withdrew (before the start the entry moves to `withdrawn` of the rally). */
  withdrawal?: Withdrawal;
  /**
   * The championship category the crew is classified in (a code of
   * `RallyDefinition.categories`), when one event runs several classifications on
   * the same roads (ARA National and Regional).
   */
  category?: string;
}

/** A crew member replaced after the entry was accepted (who, when, approved by whom). */
export interface Substitution {
  role: 'driver' | 'codriver';
  from: string;
  to: string;
  /** UTC ISO time the change was recorded. */
  at: string;
  approvedBy: string;
  reason: string;
}

export interface Withdrawal {
  reason: string;
  /** UTC ISO time it was recorded. */
  at: string;
  by: string;
  /** The crew had already started (its times stay and it is retired where it withdrew). */
  afterStart: boolean;
}

/** One of the classifications an event runs on the same roads, e.g. ARA `National` and `Regional`. */
export interface Category {
  code: string;
  name: string;
}

/** Which preset and version a rally is scored under, plus its supplementary-regulation overrides. */
export interface RulesChoice {
  preset: string;
  version: string;
  /** Per-value overrides by rule key (see rules/types.ts), each with the SR article that sets it. */
  overrides?: Record<string, { value: unknown; rule: string }>;
}

export interface RallyDefinition {
  id: string;
  name: string;
  /** IANA zone the times are written in, e.g. `America/Detroit`. */
  timeZone: string;
  distanceUnit: DistanceUnit;
  startDate: string;
  endDate: string;
  rules: RulesChoice;
  legs: Leg[];
  /** Stages in running order. */
  stages: Stage[];
  classes: RallyClass[];
  entries: Entry[];
  /** Crews withdrawn before they started: off the entry list and out of the results, kept with the reason. */
  withdrawn?: Entry[];
  /**
   * Categories classified apart over their own stages (`Stage.runBy`), each
   * crew in one (`Entry.category`), each with its own class bests; absent: one classification.
   */
  categories?: Category[];
  /**
   * Set when the times of day at the controls are not the real ones (e.g. built
   * from a plausible itinerary around real stage times): the words every page
   * that shows those times displays beside them.
   */
  illustrativeTimesOfDay?: string;
  /** Stored start lists, one per leg: the order and each car's due time at the leg's first control. */
  startLists?: StoredStartList[];
  /** Gap between consecutive cars at the start, ms (for due times). */
  startIntervalMs?: number;
  country?: string;
  championshipRound?: string;
}

export const METRES_PER_MILE = 1609.344;

export function distanceIn(unit: DistanceUnit, metres: number): number {
  return unit === 'mi' ? metres / METRES_PER_MILE : metres / 1000;
}

/**
 * A leg's start list as the organiser stored it (SEE: core/startlists/start-list.ts): part of the
 * definition, so the scoring's due times at the leg start (core/start-order.ts) stay a function of
 * definition + facts + rules, and a rally file carries it.
 */
export interface StoredStartList {
  leg: string;
  /** The leg's first control, where the due times apply. */
  control: string;
  /** How it was seeded, in words. */
  method: string;
  rows: { order: number; car: number; due: string; why: string }[];
  /** 1 for the leg's first stored list, one more for each list that replaces it (the version a notice cites). */
  version?: number;
  notStarting: { car: number; why: string }[];
  reason: string;
  /** UTC ISO time it was stored. */
  at: string;
  by: string;
}
