// Plain-text tables: aligned columns that fit an 80-column terminal. No colour
// codes, so the output reads the same on a screen, in a pipe and in a file.

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** May be shortened (with `…`) to make the table fit; names, makes and models are. */
  flex?: boolean;
  /** Never shorten a flexible column below this width. */
  minWidth?: number;
  /** Flexible columns with a lower number give up their width first (default 1). */
  shrinkOrder?: number;
}

/** Display width of a string: one column per code point (rally names, `▲`, `—`). */
export function displayWidth(text: string): number {
  return [...text].length;
}

/** Shortens `text` to `width` columns, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

function fitWidths(columns: Column[], natural: number[], sep: number, maxWidth: number): number[] {
  const widths = [...natural];
  const total = (): number => widths.reduce((a, b) => a + b, 0) + sep * Math.max(0, widths.length - 1);
  while (total() > maxWidth) {
    // Take one column off the first flexible column in shrink order (the widest among equals) still above its minimum.
    let widest = -1;
    const order = (i: number): number => columns[i]!.shrinkOrder ?? 1;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const min = Math.max(c.minWidth ?? 8, displayWidth(c.header));
      if (!c.flex || widths[i]! <= min) continue;
      if (widest < 0 || order(i) < order(widest) || (order(i) === order(widest) && widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]! -= 1;
  }
  return widths;
}

/**
 * True when column `keep` can be shown uncut within `maxWidth` (columns one
 * space apart) if every other flexible column gives up its width down to its minimum.
 */
export function fitsUncut(columns: Column[], rows: string[][], keep: number, maxWidth = 80): boolean {
  const widths = columns.map((c, i) => {
    const natural = Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? '')));
    return c.flex && i !== keep ? Math.min(natural, Math.max(c.minWidth ?? 8, displayWidth(c.header))) : natural;
  });
  return widths.reduce((a, b) => a + b, 0) + Math.max(0, columns.length - 1) <= maxWidth;
}

/**
 * Renders rows under a header line, right-aligning numbers and times. Columns
 * sit two spaces apart when everything fits; otherwise one space apart, and
 * flexible columns shrink (in shrink order) until the table fits.
 */
export function renderTable(columns: Column[], rows: string[][], maxWidth = 80): string {
  const natural = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const sep = natural.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1) <= maxWidth ? 2 : 1;
  const widths = fitWidths(columns, natural, sep, maxWidth);
  const line = (cells: string[]): string =>
    columns.map((c, i) => pad(truncate(cells[i] ?? '', widths[i]!), widths[i]!, c.align ?? 'left')).join(' '.repeat(sep)).trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}

/** Wraps `text` at spaces to `width` columns, continuation lines indented by `indent` spaces. */
export function wrap(text: string, width: number, indent: number): string {
  // Split on single spaces so runs of spaces (column gaps) survive as empty words.
  const words = text.split(' ');
  const lines: string[] = [];
  let current: string | null = null;
  for (const word of words) {
    const limit = lines.length === 0 ? width : width - indent;
    if (current !== null && word !== '' && current.trim() !== '' && displayWidth(current) + 1 + displayWidth(word) > limit) {
      lines.push(current);
      current = word;
    } else current = current === null ? word : `${current} ${word}`;
  }
  if (current !== null && current.trim() !== '') lines.push(current.trimEnd());
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l)).join('\n');
}
