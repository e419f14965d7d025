// Client-made ids for whatever a page writes: made once when a form opens and
// kept across retries, so a resend after a lost answer is stored once (the
// server is idempotent on fact ids and Idempotency-Key).
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  const text = [...bytes].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 14);
  return `${prefix}-${text}`;
}
