// JSON output: two-space indented, keys in the order the command builds them,
// every absent value written as `null` so a reader always finds every key.

/** Serialises `value`; `undefined` and non-finite numbers become `null` rather than vanishing. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v), 2) + '\n';
}
