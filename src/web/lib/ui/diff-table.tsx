// Before → after for crews whose place or time changes (the what-if preview,
// publication diffs): crew, position and total on each side.
import { formatDuration } from '../../../core/time/duration.ts';

export interface DiffSide { position: number | null; totalMs: number; status: string }
export interface DiffRow { car: number; crew: string; before: DiffSide | null; after: DiffSide | null }

function side(s: DiffSide | null): string {
  if (!s) return '—';
  const pos = s.position === null ? (s.status === 'finished' || s.status === 'running' ? 'NC' : s.status) : `P${s.position}`;
  return `${pos} · ${formatDuration(s.totalMs, 1)}`;
}

function moved(r: DiffRow): string {
  const a = r.before?.position ?? null;
  const b = r.after?.position ?? null;
  if (a === null || b === null || a === b) return '';
  return b < a ? `▲${a - b}` : `▼${b - a}`;
}

export function DiffTable(p: { caption: string; rows: DiffRow[]; empty?: string }) {
  if (p.rows.length === 0) return <p class="muted small">{p.empty ?? `${p.caption}: no change.`}</p>;
  return (
    <div class="scroll">
      <table class="diff">
        <caption>{p.caption}</caption>
        <thead><tr><th scope="col" class="num">Car</th><th scope="col">Crew</th><th scope="col">Before</th><th scope="col">After</th><th scope="col"><span class="sr-only">Moved</span></th></tr></thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.car} data-car={r.car}>
              <td class="num">{r.car}</td>
              <td class="crew">{r.crew}</td>
              <td>{side(r.before)}</td>
              <td><strong>{side(r.after)}</strong></td>
              <td class={moved(r).startsWith('▲') ? 'up' : 'down'}>{moved(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
