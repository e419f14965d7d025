// A small SVG line chart of gaps per stage: enough to follow crews without a
// charting library (a phone on one bar should not download one). The gap
// grows downwards, so the crew ahead is on top, as on a timing screen.
import { formatDuration } from '../../core/time/duration.ts';

export interface Series { label: string; points: { x: string; y: number | null }[] }

const COLOURS = ['#c1121f', '#1d4ed8', '#1b7f3b', '#a04f00', '#6b21a8', '#0f766e'];
const NS = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A round step for the gap axis (1 s, 2 s, 5 s, 10 s, … 10 min) giving about four lines. */
function niceStep(maxMs: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600].map((s) => s * 1000);
  return steps.find((s) => maxMs / s <= 4) ?? Math.ceil(maxMs / 4 / 3_600_000) * 3_600_000;
}

export function gapChart(series: Series[], title: string): SVGElement {
  // NOTE: narrow viewBox so text stays legible when a 375 px phone scales it down.
  const W = 420, L = 52, R = 10, T = 14 + 16 * series.length, B = 26;
  const H = T + 200 + B;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))];
  const ys = series.flatMap((s) => s.points.map((p) => p.y).filter((y): y is number => y !== null));
  const step = niceStep(Math.max(1000, ...ys));
  const maxY = step * Math.max(1, Math.ceil(Math.max(1, ...ys) / step));
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  const xAt = (i: number) => L + (xs.length <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (xs.length - 1));
  const yAt = (v: number) => T + (v / maxY) * (H - T - B);
  for (let v = 0; v <= maxY; v += step) {
    svg.append(el('line', { x1: L, x2: W - R, y1: yAt(v), y2: yAt(v), stroke: v === 0 ? '#999' : '#e3e3e3' }));
    svg.append(el('text', { x: L - 4, y: yAt(v) + 4, 'font-size': 11, 'text-anchor': 'end', fill: '#555' }, v === 0 ? '0' : `+${formatDuration(v, 0)}`));
  }
  // Every label when they fit, else every second or third counted from the latest stage (the one people look for).
  const every = Math.max(1, Math.ceil((30 * xs.length) / (W - L - R)));
  xs.forEach((x, i) => { if ((xs.length - 1 - i) % every === 0) svg.append(el('text', { x: xAt(i), y: H - B + 16, 'font-size': 10, 'text-anchor': 'middle', fill: '#555' }, x)); });
  series.forEach((s, si) => {
    const colour = COLOURS[si % COLOURS.length] ?? '#000';
    const pts = s.points.map((p) => ({ i: xs.indexOf(p.x), y: p.y })).filter((p): p is { i: number; y: number } => p.y !== null);
    if (pts.length) svg.append(el('polyline', { points: pts.map((p) => `${xAt(p.i).toFixed(1)},${yAt(p.y).toFixed(1)}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': 2.5, 'stroke-linejoin': 'round', 'data-series': s.label }));
    for (const p of pts) svg.append(el('circle', { cx: xAt(p.i).toFixed(1), cy: yAt(p.y).toFixed(1), r: 3, fill: colour }));
    svg.append(el('rect', { x: L, y: 4 + si * 16, width: 12, height: 4, fill: colour }));
    svg.append(el('text', { x: L + 18, y: 10 + si * 16, 'font-size': 12, fill: colour, 'font-weight': 600 }, s.label));
  });
  return svg;
}
