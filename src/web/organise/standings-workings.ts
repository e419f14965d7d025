// A round's points working as the season page shows it (a cell's tooltip):
// the same lines as `rallyhq standings --workings` (each leg's bonus named by
// its leg), then the notes that say why points were scaled or not awarded.
import { lineText, type PointsLine } from '../../core/championship/round-points.ts';

export interface RoundDetail {
  lines: Pick<PointsLine, 'source' | 'place' | 'points' | 'rule' | 'leg' | 'legLabel' | 'confirmed'>[];
  notes?: string[];
}

export function roundWorkings(detail: RoundDetail | undefined): string | undefined {
  if (!detail) return undefined;
  const lines = detail.lines.map((l) => `${lineText(l)} (${l.rule}${l.confirmed ? '' : ', unconfirmed'})`);
  return [...lines, ...(detail.notes ?? [])].join('\n') || undefined;
}
