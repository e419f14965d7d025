// The stage-by-stage grid fans read down and across: for every crew, its
// overall position and total after each stage. Built from the classifications
// after each complete stage (the honest table's rule, docs/live.md): a stage
// still being run has no column, so no half-run ranking appears here either.
import type { CarStatus, Classification } from '../results.ts';

/** One crew after one stage: `[position, totalMs]` when ranked, `[null, null, status]` when not (retired, excluded…). */
export type GridCell = [number, number] | [null, null, CarStatus];

export interface GridRow { car: number; cells: GridCell[] }

export interface StageGrid {
  /** Stage codes, in running order, one per column. */
  stages: string[];
  /** Every crew of the classification, in the order of the last column (ranked first, then as classified). */
  rows: GridRow[];
}

/** Columns from the classifications after each stage, in running order. */
export function stageGrid(columns: readonly { stage: string; classification: Classification }[]): StageGrid {
  const last = columns.at(-1)?.classification;
  const cars = last ? last.rows.map((r) => r.car) : [];
  // A crew classified earlier but missing later (it cannot be, yet a definition change could): listed too.
  for (const col of columns) for (const r of col.classification.rows) if (!cars.includes(r.car)) cars.push(r.car);
  const byCol = columns.map((col) => new Map(col.classification.rows.map((r) => [r.car, r])));
  return {
    stages: columns.map((c) => c.stage),
    rows: cars.map((car) => ({
      car,
      cells: byCol.map((m): GridCell => {
        const r = m.get(car);
        if (!r) return [null, null, 'notStarted'];
        return r.position !== null ? [r.position, r.totalMs] : [null, null, r.status];
      }),
    })),
  };
}

/**
 * A cell relative to a reference crew (rebase): the crew's total minus the
 * reference's after the same stage; null when either is not ranked there.
 */
export function rebased(cell: GridCell | undefined, ref: GridCell | undefined): number | null {
  if (!cell || !ref || cell[0] === null || ref[0] === null) return null;
  return cell[1] - ref[1];
}
