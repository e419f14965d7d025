// Charts of gap and position by stage for the crews a fan picks, drawn by
// uPlot (uplot-chart.ts), which is fetched only when a chart is on screen.
// Every chart has its numbers as a table too: for a screen reader, without
// JavaScript, and for anyone who wants the figures.
import { useEffect, useRef } from 'preact/hooks';
import { chartData } from './chart-data.ts';
import { crewShort, formatDuration } from './format.ts';
import { grid, gridRows } from './grid.tsx';
import { picture } from './model.ts';
import { route } from './state.ts';
import { nav, RefPicker } from './views.tsx';
import type { ChartSpec } from './uplot-chart.ts';
import { apiPath, TableDownloads } from './table-downloads.tsx';

/** A gap as rally people read it: `+1:02.3` behind, `-4.5` ahead, `0` level. */
export const signedGap = (ms: number): string => (ms === 0 ? '0' : `${ms < 0 ? '-' : '+'}${formatDuration(Math.abs(ms))}`);

/** A chart drawn once the library has arrived; until then (and without JavaScript) its table stands in. */
export function LazyChart({ spec, title, id }: { spec: ChartSpec; title: string; id: string }) {
  const box = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([spec.stages, spec.series, spec.axis]);
  useEffect(() => {
    let gone = false;
    let destroy: (() => void) | null = null;
    void import('./uplot-chart.ts').then((m) => {
      if (gone || !box.current) return;
      box.current.replaceChildren();
      destroy = m.drawChart(box.current, spec);
    });
    return () => { gone = true; destroy?.(); };
  }, [key]);
  const who = spec.series.map((s) => s.label).join(', ');
  return (
    <figure class="chart-fig" id={id}>
      <figcaption>{title}</figcaption>
      <div ref={box} class="uchart" role="img" aria-label={`${title}: ${who}. Every value is in the table below the charts.`} />
    </figure>
  );
}

export function ChartView() {
  const p = picture.value;
  const g = grid.value;
  const r = route.value;
  const entries = [...(p?.entries.values() ?? [])].sort((a, b) => a.car - b.car);
  const pick = (i: number) => (e: Event) => {
    const next = [...r.compare];
    next[i] = (e.target as HTMLSelectElement).value;
    nav.go?.({ compare: next.filter(Boolean) });
  };
  const label = (car: number) => { const e = p?.entries.get(car); return `#${car} ${e ? crewShort(e) : ''}`.trim(); };
  /** Narrow table headers: car and driver's surname. */
  const short = (car: number) => `#${car} ${p?.entries.get(car)?.driver.trim().split(/\s+/).at(-1) ?? ''}`.trim();
  const ref = r.ref ? Number(r.ref) : undefined;
  const d = p && g ? chartData(g.stages, gridRows(p, g), r.compare.slice(0, 3).map(Number), ref) : null;
  const to = ref !== undefined ? `#${ref}` : 'the leader';
  return (
    <>
      <h2 id="chart-title">Compare crews</h2>
      <div class="row">
        {[0, 1, 2].map((i) => (
          <select key={i} id={`compare-${'abc'[i]}`} aria-label={['First crew', 'Second crew', 'Third crew'][i]} value={r.compare[i] ?? ''} onChange={pick(i)}>
            <option value="">{i < 2 ? 'Choose a crew…' : 'A third crew…'}</option>
            {entries.map((e) => <option key={e.car} value={String(e.car)}>#{e.car} {crewShort(e)}</option>)}
          </select>
        ))}
        <RefPicker cars={entries.map((e) => e.car)} />
      </div>
      {!d ? <p class="muted">Loading…</p> : d.cars.length === 0 || d.stages.length === 0
        ? <p class="muted">{d.stages.length === 0 ? 'No stage complete yet.' : 'Choose crews to chart their gap and position stage by stage.'}</p>
        : (
          <>
            <LazyChart id="gap-chart" title={`Gap to ${to} after each stage (minutes:seconds; higher is better)`}
              spec={{ stages: d.stages, series: d.cars.map((car, i) => ({ label: label(car), values: d.gap[i]! })), format: signedGap, axis: `gap to ${to} (m:ss)` }} />
            <LazyChart id="position-chart" title="Overall position after each stage (1 at the top)"
              spec={{ stages: d.stages, series: d.cars.map((car, i) => ({ label: label(car), values: d.position[i]! })), format: (v) => `P${v}`, axis: 'position', whole: true }} />
            <div class="scroll">
              <table id="chart-table">
                <caption>The charts as a table: overall position and gap to {to} after each stage</caption>
                <thead><tr><th scope="col">After</th>{d.cars.map((car) => <th key={car} scope="col" class="num" title={label(car)}>{short(car)}</th>)}</tr></thead>
                <tbody>{d.stages.map((s, k) => (
                  <tr key={s} data-stage={s}>
                    <th scope="row">{s}</th>
                    {d.cars.map((car, i) => {
                      const pos = d.position[i]![k];
                      const gap = d.gap[i]![k];
                      return <td key={car} class="num">{pos === null ? '—' : `P${pos}`}<div class="sub">{gap === null || gap === undefined ? '' : signedGap(gap)}</div></td>;
                    })}
                  </tr>
                ))}</tbody>
              </table>
            </div>
            {g ? <TableDownloads path={apiPath(g.rallyId, `grid${g.category ? `?category=${encodeURIComponent(g.category)}` : ''}`)} what="The charts' figures for every crew (stage by stage grid)" /> : null}
          </>
        )}
    </>
  );
}
