// A small SVG line chart of gaps per stage: enough to compare crews without a
// charting library (a phone on one bar should not download one).
import { formatDuration } from '../../core/time/duration.ts';

export interface Series { label: string; points: { x: string; y: number | null }[] }

const COLOURS = ['#c1121f', '#1d4ed8', '#1b7f3b', '#b35c00', '#6b21a8', '#0f766e'];
const NS = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function gapChart(series: Series[], title: string): SVGElement {
  const W = 640, H = 300, L = 64, R = 12, T = 28, B = 36;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))];
  const ys = series.flatMap((s) => s.points.map((p) => p.y).filter((y): y is number => y !== null));
  const maxY = Math.max(1000, ...ys);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(el('text', { x: L, y: 18, 'font-size': 13, 'font-weight': 600 }, title));
  const xAt = (i: number) => L + (xs.length <= 1 ? 0 : (i * (W - L - R)) / (xs.length - 1));
  const yAt = (v: number) => T + (v / maxY) * (H - T - B); // gap grows downwards: leader on top
  for (let k = 0; k <= 4; k++) {
    const v = (maxY * k) / 4;
    svg.append(el('line', { x1: L, x2: W - R, y1: yAt(v), y2: yAt(v), stroke: '#ddd' }));
    svg.append(el('text', { x: L - 6, y: yAt(v) + 4, 'font-size': 11, 'text-anchor': 'end' }, `+${formatDuration(v, 0)}`));
  }
  xs.forEach((x, i) => svg.append(el('text', { x: xAt(i), y: H - B + 16, 'font-size': 10, 'text-anchor': 'middle' }, x)));
  series.forEach((s, si) => {
    const colour = COLOURS[si % COLOURS.length] ?? '#000';
    const pts = s.points.map((p) => ({ i: xs.indexOf(p.x), y: p.y })).filter((p): p is { i: number; y: number } => p.y !== null);
    if (pts.length) svg.append(el('polyline', { points: pts.map((p) => `${xAt(p.i)},${yAt(p.y)}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': 2 }));
    for (const p of pts) svg.append(el('circle', { cx: xAt(p.i), cy: yAt(p.y), r: 3, fill: colour }));
    svg.append(el('text', { x: L + 8 + si * 150, y: H - 4, 'font-size': 12, fill: colour }, s.label));
  });
  return svg;
}
