// A results table's downloads, under the table: the same rows as CSV and
// JSON from the API (?format=csv), so what a reader sees can be taken away.
// Each link's accessible name says which table it is.

/** `/api/rallies/x/results?class=L4WD` → its CSV twin. */
export function csvHref(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}format=csv`;
}

export function TableDownloads({ path, what }: { path: string; what: string }) {
  return (
    <p class="small table-downloads">
      Download: <a href={csvHref(path)} download aria-label={`${what} as CSV`}>CSV</a>
      {' · '}<a href={path} download aria-label={`${what} as JSON`}>JSON</a>
    </p>
  );
}

/** The API path of a rally answer, with the class when one is chosen and the category the page shows (the same rows, never another category's). */
export function apiPath(rallyId: string, tail: string, cls = '', category?: string): string {
  const q = new URLSearchParams();
  if (cls) q.set('class', cls);
  if (category) q.set('category', category);
  const qs = q.toString();
  return `/api/rallies/${encodeURIComponent(rallyId)}/${tail}${qs ? `?${qs}` : ''}`;
}
