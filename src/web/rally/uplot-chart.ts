// The charting library's part of the rally page, loaded only when a chart is
// shown (a dynamic import: the first view and the live table never carry it).
// uPlot draws a line per crew over the stages; its legend gives each crew's
// value at the stage under the pointer or the finger.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSpec {
  /** Stage codes (or round labels) along the x axis. */
  stages: string[];
  /** What the x values are, in the legend (default `Stage`). */
  xLabel?: string;
  series: { label: string; values: (number | null)[] }[];
  /** A value as people read it, with its unit (`+1:02.3`, `P3`). */
  format: (v: number) => string;
  /** The y axis title, with the unit. */
  axis: string;
  /** Whole steps only (positions). */
  whole?: boolean;
}

export const COLOURS = ['#c1121f', '#1d4ed8', '#1b7f3b', '#a04f00'];

/** Draws the chart into `box`, as wide as it; returns how to remove it. */
export function drawChart(box: HTMLElement, spec: ChartSpec): () => void {
  const x = spec.stages.map((_, i) => i);
  const opts: uPlot.Options = {
    width: Math.max(280, box.clientWidth),
    height: 240,
    scales: {
      x: { time: false, range: [-0.3, Math.max(1, x.length - 1) + 0.3] },
      // The best at the top, as on a timing screen: smaller gaps and positions higher up.
      y: { dir: -1, ...(spec.whole ? { range: (_u, min, max) => [Math.max(1, Math.floor(min)), Math.ceil(max)] as [number, number] } : {}) },
    },
    axes: [
      { incrs: [1, 2, 3, 4, 5], values: (_u, splits) => splits.map((i) => spec.stages[i] ?? ''), size: 30 },
      { label: spec.axis, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) || !spec.whole ? spec.format(v) : '')), size: 62, ...(spec.whole ? { incrs: [1, 2, 5, 10, 20] } : {}) },
    ],
    series: [
      { label: spec.xLabel ?? 'Stage', value: (_u, v) => (v === null || v === undefined ? '—' : spec.stages[v] ?? '—') },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        spanGaps: false,
        points: { show: true, size: 6 },
        value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : spec.format(v)),
      })),
    ],
    cursor: { drag: { x: false, y: false }, points: { size: 8 } },
    legend: { live: true },
  };
  const data = [x, ...spec.series.map((s) => s.values)] as uPlot.AlignedData;
  const plot = new uPlot(opts, data, box);
  // A tap on a phone moves the cursor there, as hovering does.
  const over = plot.over;
  const tap = (ev: TouchEvent) => {
    const t = ev.touches[0];
    if (!t) return;
    const r = over.getBoundingClientRect();
    plot.setCursor({ left: t.clientX - r.left, top: t.clientY - r.top });
  };
  over.addEventListener('touchstart', tap, { passive: true });
  over.addEventListener('touchmove', tap, { passive: true });
  const resize = () => plot.setSize({ width: Math.max(280, box.clientWidth), height: 240 });
  addEventListener('resize', resize);
  return () => { removeEventListener('resize', resize); plot.destroy(); };
}
