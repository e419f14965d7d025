// Every decision the desk can take, as data: the fields it asks for, the rule
// it rests on (shown on the form) and the fact(s) it builds. A form that names
// a fact to correct reads it from the log; building never guesses a missing
// field — it answers with what to fill in, in words.
import { parseDuration } from '../../core/time/duration.ts';
import { allControls, definition, facts } from './state.ts';

export type Kind = 'timeCard' | 'correct' | 'withdraw' | 'penalty' | 'retirement' | 'restart' | 'exclusion' | 'notional' | 'cancel' | 'jumpStart';

export interface FieldSpec {
  name: string;
  label: string;
  type: 'car' | 'text' | 'select' | 'textarea' | 'checkbox' | 'fact';
  hint?: string;
  placeholder?: string;
  options?: () => { value: string; label: string }[];
  optional?: boolean;
}

export type Values = Record<string, string>;
export type FactBody = Record<string, unknown> & { id: string; type: string };

export interface FormSpec {
  kind: Kind;
  title: string;
  /** The rule the decision rests on, shown on the form. */
  rule: string;
  fields: FieldSpec[];
  /** The facts to preview and store, or the problems to fix first (in words). */
  build(v: Values, id: string): FactBody[] | string[];
}

const stageOptions = () => (definition.value?.stages ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }));
const controlOptions = () => allControls().map((c) => ({ value: c.id, label: `${c.id}${c.name ? ` — ${c.name}` : c.stage ? ` (${c.stage} ${c.kind.toLowerCase().replace('ss_', '')})` : ''}` }));
const whereOptions = () => [...stageOptions(), ...controlOptions()];
const sectionOptions = () => (definition.value?.legs ?? []).flatMap((l) => l.sections.map((s) => ({ value: s.id, label: `${s.id}${s.name ? ` — ${s.name}` : ''} (${l.name})` })));

const reasonField: FieldSpec = { name: 'reason', label: 'Reason', type: 'text', placeholder: 'why, e.g. time card shows 09:03', hint: 'Recorded with the decision and shown in the audit, the publication diff and any notice.' };
const carField: FieldSpec = { name: 'car', label: 'Car', type: 'car', placeholder: 'door number' };

function needCar(v: Values, problems: string[]): number {
  const car = Number(v.car);
  const known = definition.value?.entries.some((e) => e.car === car);
  if (!/^\d+$/.test(v.car ?? '')) problems.push('Car: type the door number.');
  else if (!known) problems.push(`Car: ${v.car} is not on the entry list.`);
  return car;
}

function needReason(v: Values, problems: string[]): string {
  const r = (v.reason ?? '').trim();
  if (!r) problems.push('Reason: say why — every decision is recorded with its reason.');
  return r;
}

function need(v: Values, name: string, label: string, problems: string[]): string {
  const x = (v[name] ?? '').trim();
  if (!x) problems.push(`${label}: choose or type one.`);
  return x;
}

/** `09:03`, `9:03:12.4` on the date given, or a full `2026-02-07T09:03:12.4`. */
export function localDateTime(date: string, time: string): string | null {
  const t = time.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(t)) return t;
  const m = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(\.\d{1,3})?)?$/.exec(t);
  if (!m || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const [, hh, mm, ss, frac] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59)) return null;
  return `${date}T${hh!.padStart(2, '0')}:${mm}${ss !== undefined ? `:${ss}${frac ?? ''}` : ''}`;
}

function legDates(): { value: string; label: string }[] {
  return (definition.value?.legs ?? []).map((l) => ({ value: l.date, label: `${l.date} (${l.name})` }));
}

/** The stored fact a correction or withdrawal names, or a problem. */
export function factById(id: string): (typeof facts.value)[number] | undefined {
  return facts.value.find((f) => f.fact.id === id);
}

function withoutEnvelope(f: Record<string, unknown>): Record<string, unknown> {
  const { seq: _s, by: _b, device: _d, recordedAt: _r, raw: _raw, reason: _reason, supersedes: _sup, ...rest } = f;
  return rest;
}

export const FORMS: Record<Kind, FormSpec> = {
  timeCard: {
    kind: 'timeCard', title: 'Time card: enter a time',
    rule: 'The time card is the record at a time control; a divergence between card and official records is decided by the Clerk of the Course (FMU26 Art 19.3.4).',
    fields: [carField, { name: 'control', label: 'Control', type: 'select', options: controlOptions }, { name: 'date', label: 'Day', type: 'select', options: legDates }, { name: 'time', label: 'Time of day', type: 'text', placeholder: '09:03 or 09:03:12.4', hint: 'Rally-local time, as written on the card.' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const car = needCar(v, p);
      const control = need(v, 'control', 'Control', p);
      const at = localDateTime(v.date ?? '', v.time ?? '');
      if (!at) p.push('Time of day: write it as 09:03 or 09:03:12.4.');
      const reason = needReason(v, p);
      return p.length ? p : [{ id, type: 'controlTime', car, control, at: at as string, source: 'timecard', reason }];
    },
  },
  correct: {
    kind: 'correct', title: 'Correct a time (supersede)',
    rule: 'Nothing is overwritten: the correction supersedes the wrong fact, with a reason (FMU26 Art 19.3.4: divergences are decided by the Clerk of the Course).',
    fields: [{ name: 'supersedes', label: 'Fact to correct', type: 'fact', hint: 'The id from the anomaly, conflict or audit list.' }, { name: 'car', label: 'Car', type: 'car', optional: true, hint: 'Leave as it is unless the car number was wrong.' }, { name: 'time', label: 'Right time', type: 'text', placeholder: '09:03:12.4 (time of day) or 3:45.2 (stage time)' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const old = factById((v.supersedes ?? '').trim());
      if (!old) p.push('Fact to correct: no fact with this id in the log.');
      const reason = needReason(v, p);
      if (!old) return p;
      const base = withoutEnvelope(old.fact);
      const carText = (v.car ?? '').trim();
      if (carText && carText !== String(old.fact.car ?? '')) base.car = needCar(v, p);
      const time = (v.time ?? '').trim();
      if (old.fact.type === 'controlTime') {
        const date = String(old.fact.at ?? '').slice(0, 10);
        const at = time ? localDateTime(date, time) : String(old.fact.at);
        if (!at) p.push('Right time: write it as 09:03:12.4.');
        else base.at = at;
      } else if (old.fact.type === 'stageTime') {
        if (time && parseDuration(time) === null) p.push('Right time: write a stage time as 3:45.2.');
        else if (time) base.time = time;
      } else if (time) {
        p.push(`Right time: a ${old.fact.type} has no time; withdraw it instead, or correct it with the form for its kind.`);
      }
      if (!time && !carText) p.push('Right time: give the right time (or the right car).');
      return p.length ? p : [{ ...base, id, type: old.fact.type, supersedes: old.fact.id, source: old.fact.type === 'controlTime' || old.fact.type === 'stageTime' ? 'official' : base.source, reason } as FactBody];
    },
  },
  withdraw: {
    kind: 'withdraw', title: 'Withdraw a fact',
    rule: 'A withdrawal keeps the fact in the log and stops it counting; its reason is recorded (FMU26 Art 19.3.4).',
    fields: [{ name: 'supersedes', label: 'Fact to withdraw', type: 'fact' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const old = factById((v.supersedes ?? '').trim());
      if (!old) p.push('Fact to withdraw: no fact with this id in the log.');
      const reason = needReason(v, p);
      return p.length ? p : [{ id, type: 'retraction', supersedes: (old as { fact: { id: string } }).fact.id, reason }];
    },
  },
  penalty: {
    kind: 'penalty', title: 'Time penalty',
    rule: 'A time penalty is a decision of the stewards or the Clerk of the Course (FMU26 Art 2.0, scale of penalties); give the article it applies.',
    fields: [carField, { name: 'seconds', label: 'Penalty', type: 'text', placeholder: '10, 1:00 or 5:00', hint: 'Seconds, or minutes:seconds.' },
      { name: 'at', label: 'Where it counts', type: 'select', options: () => [{ value: '', label: 'at the end (after the last stage)' }, ...whereOptions()], hint: 'A control or stage decides after which stage the penalty shows.' },
      { name: 'rule', label: 'Rule or article', type: 'text', placeholder: 'e.g. FMU26 Art 44.2 or stewards\' decision 3' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const car = needCar(v, p);
      const s = (v.seconds ?? '').trim();
      const ms = /^\d+(\.\d{1,3})?$/.test(s) ? Number(s) * 1000 : parseDuration(s);
      if (ms === null || !(ms > 0)) p.push('Penalty: write seconds (10) or minutes:seconds (1:00).');
      const rule = (v.rule ?? '').trim();
      if (!rule) p.push('Rule or article: name the rule the penalty applies.');
      const reason = needReason(v, p);
      const at = (v.at ?? '').trim();
      const where = at ? (definition.value?.stages.some((x) => x.code === at) ? { stage: at } : { control: at }) : {};
      return p.length ? p : [{ id, type: 'penalty', car, seconds: (ms as number) / 1000, rule, reason, ...where }];
    },
  },
  retirement: {
    kind: 'retirement', title: 'Retirement',
    rule: 'A crew that does not complete a section is retired where it stopped (FMU26 Art 19.3.3); it may restart under Art 54 unless the retirement is permanent.',
    fields: [carField, { name: 'where', label: 'Where', type: 'select', options: whereOptions }, { name: 'permanent', label: 'Permanent (no restart)', type: 'checkbox' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const car = needCar(v, p);
      const where = need(v, 'where', 'Where', p);
      const reason = needReason(v, p);
      return p.length ? p : [{ id, type: 'retirement', car, where, reason, permanent: v.permanent === 'true' }];
    },
  },
  restart: {
    kind: 'restart', title: 'Super Rally restart',
    rule: 'Restart after retirement at the start of the next section, at most once per leg, on written notice to the Clerk (FMU26 Art 54); the missed stages are charged by the preset\'s Super Rally rule.',
    fields: [carField, { name: 'section', label: 'Restarts at section', type: 'select', options: sectionOptions }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const car = needCar(v, p);
      const section = need(v, 'section', 'Restarts at section', p);
      const reason = needReason(v, p);
      return p.length ? p : [{ id, type: 'restart', car, section, reason }];
    },
  },
  exclusion: {
    kind: 'exclusion', title: 'Exclusion',
    rule: 'Exclusion is a penalty of the stewards (FMU26 Art 2.0, scale of penalties); name the article breached.',
    fields: [carField, { name: 'rule', label: 'Rule or article', type: 'text', placeholder: 'e.g. FMU26 Art 53.6' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const car = needCar(v, p);
      const rule = (v.rule ?? '').trim();
      if (!rule) p.push('Rule or article: name the rule breached.');
      const reason = needReason(v, p);
      return p.length ? p : [{ id, type: 'exclusion', car, rule, reason }];
    },
  },
  notional: {
    kind: 'notional', title: 'Stage interrupted: notional times',
    rule: 'The Clerk of the Course gives each affected crew the time judged fairest; a crew responsible for the stoppage may not benefit (FMU26 Arts 52.1–52.4; MSUK 4.37).',
    fields: [{ name: 'stage', label: 'Stage', type: 'select', options: stageOptions }, { name: 'times', label: 'Notional times', type: 'textarea', placeholder: '23 4:12.0\n19 4:12.0', hint: 'One crew a line: car, then the time (4:12.0). Filled with the times the rules propose; change a line to override, and say why in the reason.' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const stage = need(v, 'stage', 'Stage', p);
      const notionalTimes: { car: number; time: string }[] = [];
      const lines = (v.times ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length === 0) p.push('Notional times: give at least one crew and its time.');
      lines.forEach((line, i) => {
        const m = /^(\d+)[\s,;:]+(\S+)$/.exec(line);
        if (!m || parseDuration(m[2] as string) === null) { p.push(`Notional times, line ${i + 1}: write "23 4:12.0".`); return; }
        if (!definition.value?.entries.some((e) => e.car === Number(m[1]))) p.push(`Notional times, line ${i + 1}: car ${m[1]} is not on the entry list.`);
        notionalTimes.push({ car: Number(m[1]), time: m[2] as string });
      });
      const reason = needReason(v, p);
      // Confirming supersedes the interruption in effect and keeps when the stage stopped and who caused it.
      const old = factById((v.supersedes ?? '').trim())?.fact;
      const keep = old && old.type === 'stageInterrupted' && old.stage === stage
        ? { supersedes: old.id, ...(typeof old.at === 'string' ? { at: old.at } : {}), ...(typeof old.restartedAt === 'string' ? { restartedAt: old.restartedAt } : {}), ...(Array.isArray(old.responsible) ? { responsible: old.responsible } : {}) }
        : {};
      return p.length ? p : [{ id, type: 'stageInterrupted', stage, notionalTimes, reason, ...keep }];
    },
  },
  cancel: {
    kind: 'cancel', title: 'Stage cancelled',
    rule: 'No rule text found for removing a cancelled stage [NF]; rallyhq drops it from every total (docs/rules.md).',
    fields: [{ name: 'stage', label: 'Stage', type: 'select', options: stageOptions }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const stage = need(v, 'stage', 'Stage', p);
      const reason = needReason(v, p);
      return p.length ? p : [{ id, type: 'stageCancelled', stage, reason }];
    },
  },
  jumpStart: {
    kind: 'jumpStart', title: 'Jump start: decide',
    rule: 'Jump start: 10 s, then 1 min, then 3 min, further offences at the stewards\' discretion (FMU26 Art 48.6; MSUK adds the time jumped). The penalty follows from the preset once an official confirms it.',
    fields: [carField, { name: 'stage', label: 'Stage', type: 'select', options: stageOptions },
      { name: 'decision', label: 'Decision', type: 'select', options: () => [{ value: 'confirm', label: 'confirm the jump start (penalty applies)' }, { value: 'dismiss', label: 'dismiss it (the detector was wrong)' }] },
      { name: 'jumpedMs', label: 'Time jumped (ms)', type: 'text', optional: true, placeholder: 'e.g. 300', hint: 'Only where the rules add it (MSUK).' },
      { name: 'supersedes', label: 'Detector record', type: 'fact', optional: true, hint: 'The id of the detector\'s jump start, to dismiss it.' }, reasonField],
    build(v, id) {
      const p: string[] = [];
      const reason = needReason(v, p);
      if (v.decision === 'dismiss') {
        const old = factById((v.supersedes ?? '').trim());
        if (!old) p.push('Detector record: give the id of the detector\'s jump start to dismiss.');
        return p.length ? p : [{ id, type: 'retraction', supersedes: (old as { fact: { id: string } }).fact.id, reason }];
      }
      const car = needCar(v, p);
      const stage = need(v, 'stage', 'Stage', p);
      const jumped = (v.jumpedMs ?? '').trim();
      if (jumped && !/^\d+$/.test(jumped)) p.push('Time jumped: whole milliseconds, e.g. 300.');
      return p.length ? p : [{ id, type: 'jumpStart', car, stage, source: 'official', reason, ...(jumped ? { jumpedMs: Number(jumped) } : {}) }];
    },
  },
};

export const FORM_ORDER: Kind[] = ['timeCard', 'correct', 'withdraw', 'penalty', 'retirement', 'restart', 'exclusion', 'notional', 'cancel', 'jumpStart'];

/** The form an anomaly's suggested fix opens, pre-filled; null when the fix is not a decision (e.g. edit the rules). */
export function fixFor(i: { code: string; car?: number; stage?: string; control?: string; facts: string[] }): { kind: Kind; values: Values; label: string } | null {
  const first = i.facts[0] ?? '';
  const old = factById(first);
  const car = i.car !== undefined ? String(i.car) : '';
  switch (i.code) {
    case 'jump-start-not-penalised':
      return { kind: 'jumpStart', values: { car, stage: i.stage ?? '', decision: 'confirm', supersedes: first }, label: 'Decide the jump start' };
    case 'max-lateness-exceeded':
      return { kind: 'retirement', values: { car, where: i.control ?? '' }, label: 'Record the retirement' };
    case 'start-interval-missing':
      return null; // fixed in the rally's definition (start interval or start list), not by a decision
    case 'restart-not-allowed':
    case 'restart-limit-exceeded':
    case 'superseded-fact-missing':
      return { kind: 'withdraw', values: { supersedes: first }, label: 'Withdraw it' };
    default:
      if (!old) return null;
      if (old.fact.type === 'controlTime' || old.fact.type === 'stageTime') {
        return { kind: 'correct', values: { supersedes: first, car: String(old.fact.car ?? '') }, label: 'Correct the time' };
      }
      return { kind: 'withdraw', values: { supersedes: first }, label: 'Withdraw it' };
  }
}
