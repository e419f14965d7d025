// The stage-by-stage grid: every crew's overall position and total after each
// complete stage (GET …/grid, asked when the view opens and when a stage
// completes). The last column follows the live table between those requests,
// so a penalty or a correction shows at once. On a phone the grid scrolls
// sideways with the crew column held in place.
import { signal } from '@preact/signals';
import { CAR_STATUS_SHORT } from '../../core/status-labels.ts';
import { rebased, type GridCell, type StageGrid } from '../../core/live/grid.ts';
import { crewShort, formatDuration } from './format.ts';
import { orderedRows, picture, type LiveRow, type Picture } from './model.ts';
import { followed, route } from './state.ts';
import { Link, RefPicker, relative } from './views.tsx';
import { apiPath, TableDownloads } from './table-downloads.tsx';

/** GET /api/rallies/:id/grid */
export interface GridAnswer extends StageGrid { rallyId: string; seq: number; category?: string; after: string | null }

export const grid = signal<GridAnswer | null>(null);

const cellOf = (r: LiveRow): GridCell => (r.position !== null ? [r.position, r.totalMs] : [null, null, r.status]);

/** Rows of the grid with the live table laid over its last column when both are after the same stage. */
export function gridRows(p: Picture, g: GridAnswer, cls = ''): { car: number; cells: GridCell[] }[] {
  const live = g.stages.length > 0 && g.stages.at(-1) === p.after;
  const byCar = new Map(g.rows.map((r) => [r.car, r.cells]));
  const order = live ? orderedRows(p).map((r) => r.car) : [];
  for (const r of g.rows) if (!order.includes(r.car)) order.push(r.car);
  return order
    .filter((car) => !cls || p.entries.get(car)?.class === cls)
    .map((car) => {
      const cells = [...(byCar.get(car) ?? g.stages.map((): GridCell => [null, null, 'notStarted']))];
      const row = p.rows.get(car);
      if (live && row) cells[cells.length - 1] = cellOf(row);
      return { car, cells };
    });
}

function Cell({ cell, refCell, isRef }: { cell: GridCell | undefined; refCell: GridCell | undefined; isRef: boolean }) {
  if (!cell || cell[0] === null) return <td class="num gcell">{cell ? CAR_STATUS_SHORT[cell[2]] : ''}</td>;
  const d = refCell && !isRef ? rebased(cell, refCell) : null;
  return (
    <td class="num gcell"><strong>{cell[0]}</strong>
      <div class="sub">{isRef ? 'ref.' : d !== null ? relative(d) : refCell ? '' : formatDuration(cell[1])}</div></td>
  );
}

export function GridView() {
  const p = picture.value;
  const g = grid.value;
  const r = route.value;
  if (!p || !g) return <><h2 id="grid-title">Stage by stage</h2><p class="muted">Loading…</p></>;
  const rows = gridRows(p, g, r.cls);
  const f = followed.value;
  const pinnedRows = f.size ? [...rows.filter((x) => f.has(x.car)), ...rows.filter((x) => !f.has(x.car))] : rows;
  const refRow = r.ref ? gridRows(p, g).find((x) => x.car === Number(r.ref)) : undefined;
  const ranked = orderedRows(p).filter((x) => x.position !== null).map((x) => x.car);
  return (
    <>
      <h2 id="grid-title">Stage by stage{g.stages.length ? ` · after ${g.stages.at(-1)}` : ''}</h2>
      <p class="muted small">Overall position after each complete stage, with the total time{refRow ? ` — or, rebased, the gap to #${refRow.car} (− ahead of it, + behind)` : ''}. A stage still being run gets its column when every running crew is through.</p>
      <div class="row"><RefPicker cars={ranked} /></div>
      {g.stages.length === 0 ? <p class="muted">No stage complete yet.</p> : (
        <div class="scroll grid-scroll">
          <table id="grid">
            <caption class="sr">Overall position and {refRow ? `gap to car ${refRow.car}` : 'total time'} after each stage</caption>
            <thead><tr>
              <th scope="col" class="gcrew">Crew</th>
              {g.stages.map((s) => <th key={s} scope="col" class="num"><Link patch={{ view: 'stage', stage: s }}>{s}</Link></th>)}
            </tr></thead>
            <tbody>
              {pinnedRows.map((row) => {
                const e = p.entries.get(row.car);
                return (
                  <tr key={row.car} data-car={row.car} class={f.has(row.car) ? 'fav' : undefined}>
                    <th scope="row" class="gcrew"><span class="car">#{row.car}</span> <Link patch={{ view: 'crew', car: String(row.car) }}>{e ? crewShort(e) : `Car ${row.car}`}</Link></th>
                    {row.cells.map((c, i) => <Cell key={g.stages[i]} cell={c} refCell={refRow?.cells[i]} isRef={refRow?.car === row.car} />)}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {g.stages.length ? <TableDownloads path={apiPath(g.rallyId, `grid${g.category ? `?category=${encodeURIComponent(g.category)}` : ''}`)} what="Stage by stage grid" /> : null}
    </>
  );
}
