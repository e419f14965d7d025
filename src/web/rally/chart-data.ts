// What the charts draw, from the stage-by-stage grid: for each chosen crew,
// its gap after each stage (to the leader, or to the crew the reader picked
// for rebase) and its overall position. A stage where a crew, the leader or
// the reference crew is not ranked has no point (a gap, not a made-up zero).
import type { GridCell } from '../../core/live/grid.ts';

export interface ChartData {
  stages: string[];
  cars: number[];
  /** Per chosen car, per stage: ms behind the leader or the reference crew (negative: ahead of it). */
  gap: (number | null)[][];
  /** Per chosen car, per stage: overall position. */
  position: (number | null)[][];
}

export function chartData(stages: string[], rows: readonly { car: number; cells: GridCell[] }[], cars: number[], refCar?: number): ChartData {
  const byCar = new Map(rows.map((r) => [r.car, r.cells]));
  const leaderTotal = stages.map((_, k) => {
    for (const r of rows) { const c = r.cells[k]; if (c && c[0] === 1) return c[1]; }
    return null;
  });
  const ref = refCar !== undefined ? byCar.get(refCar) : undefined;
  const base = stages.map((_, k) => {
    if (refCar === undefined) return leaderTotal[k] ?? null;
    const c = ref?.[k];
    return c && c[0] !== null ? c[1] : null;
  });
  const known = cars.filter((c) => byCar.has(c));
  return {
    stages,
    cars: known,
    gap: known.map((car) => stages.map((_, k) => {
      const c = byCar.get(car)![k];
      const b = base[k];
      return c && c[0] !== null && b !== null && b !== undefined ? c[1] - b : null;
    })),
    position: known.map((car) => stages.map((_, k) => { const c = byCar.get(car)![k]; return c && c[0] !== null ? c[0] : null; })),
  };
}
