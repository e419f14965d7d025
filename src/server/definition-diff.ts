// What a change of a rally's definition changed, in lines a steward reads in
// the audit view: entries by car, stages by code, controls by id, classes by
// code and the rules choice, each added, removed or with the fields changed.
// Values are compared canonically (object keys in one order), so a client
// that sends the same entry with its keys in another order changes nothing.
import type { RallyDefinition } from '../core/model.ts';

/** JSON with every object's keys sorted: equal values give equal text whatever order their keys came in. */
export function canonicalJson(v: unknown): string | undefined {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : x));
}

function compare<T>(before: readonly T[], after: readonly T[], key: (x: T) => string, label: string, out: string[]): void {
  const a = new Map(before.map((x) => [key(x), x]));
  const b = new Map(after.map((x) => [key(x), x]));
  for (const [k, x] of b) {
    const old = a.get(k);
    if (!old) { out.push(`${label} ${k} added`); continue; }
    const fields = [...new Set([...Object.keys(old as object), ...Object.keys(x as object)])]
      .filter((f) => canonicalJson((old as Record<string, unknown>)[f]) !== canonicalJson((x as Record<string, unknown>)[f]));
    if (fields.length > 0) out.push(`${label} ${k}: ${fields.map((f) => `${f} ${canonicalJson((old as Record<string, unknown>)[f]) ?? '—'} → ${canonicalJson((x as Record<string, unknown>)[f]) ?? '—'}`).join('; ')}`);
  }
  for (const k of a.keys()) if (!b.has(k)) out.push(`${label} ${k} removed`);
}

export function definitionDiff(before: RallyDefinition, after: RallyDefinition): string[] {
  const out: string[] = [];
  compare(before.entries, after.entries, (e) => `car ${e.car}`, 'entry', out);
  compare(before.classes, after.classes, (c) => c.code, 'class', out);
  compare(before.stages, after.stages, (s) => s.code, 'stage', out);
  const controls = (d: RallyDefinition) => d.legs.flatMap((l) => l.sections.flatMap((s) => s.controls));
  compare(controls(before), controls(after), (c) => c.id, 'control', out);
  compare(before.legs.map(({ sections: _s, ...l }) => l), after.legs.map(({ sections: _s, ...l }) => l), (l) => l.id, 'leg', out);
  if (canonicalJson(before.rules) !== canonicalJson(after.rules)) out.push(`rules ${canonicalJson(before.rules)} → ${canonicalJson(after.rules)}`);
  return out;
}
