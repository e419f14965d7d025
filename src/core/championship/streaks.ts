// Streaks and runs from lists of winners: "four Dakar wins in a row" is the
// same make winning consecutive editions of one event; "four titles in five
// seasons" is a window over a championship's seasons. Editions are the years
// an event was held (and has a recorded winner), so a cancelled year (Dakar
// 2008) neither breaks nor extends a streak.

export interface Win {
  event: string;
  class: string;
  year: number;
  /** Who won: a driver, co-driver, make or class, as the query asks. */
  winner: string;
}

export interface Streak {
  event: string;
  class: string;
  winner: string;
  length: number;
  from: number;
  to: number;
  years: number[];
}

/** Consecutive editions of an event (per class) won by the same winner; streaks of at least `min`, longest first. */
export function winStreaks(wins: readonly Win[], min = 2): Streak[] {
  const byEvent = new Map<string, Win[]>();
  for (const w of wins) {
    const key = `${w.event}\u0001${w.class}`;
    let list = byEvent.get(key);
    if (!list) byEvent.set(key, (list = []));
    list.push(w);
  }
  const out: Streak[] = [];
  for (const list of byEvent.values()) {
    // One winner per edition and class; a shared win (two makes) would appear twice: keep both runs.
    const years = [...new Set(list.map((w) => w.year))].sort((a, b) => a - b);
    const winnersByYear = new Map<number, Set<string>>();
    for (const w of list) {
      let s = winnersByYear.get(w.year);
      if (!s) winnersByYear.set(w.year, (s = new Set()));
      s.add(w.winner);
    }
    const running = new Map<string, number[]>();
    const flush = (winner: string): void => {
      const ys = running.get(winner);
      if (ys && ys.length >= min) out.push({ event: list[0]!.event, class: list[0]!.class, winner, length: ys.length, from: ys[0]!, to: ys[ys.length - 1]!, years: ys });
      running.delete(winner);
    };
    for (const y of years) {
      const now = winnersByYear.get(y)!;
      for (const w of [...running.keys()]) if (!now.has(w)) flush(w);
      for (const w of now) running.set(w, [...(running.get(w) ?? []), y]);
    }
    for (const w of [...running.keys()]) flush(w);
  }
  return out.sort((a, b) => b.length - a.length || a.from - b.from || a.winner.localeCompare(b.winner));
}

export interface TitleRun {
  championship: string;
  winner: string;
  titles: number;
  /** Seasons in the window, e.g. 5 for "four titles in five seasons". */
  window: number;
  from: number;
  to: number;
  years: number[];
}

/**
 * Windows of `window` consecutive seasons (of that championship) in which one
 * winner took at least `min` titles; overlapping windows of the same winner
 * are merged into the first, best one.
 */
export function titleRuns(titles: readonly { championship: string; year: number; winner: string }[], min: number, window: number): TitleRun[] {
  const byChamp = new Map<string, { year: number; winner: string }[]>();
  for (const t of titles) {
    let l = byChamp.get(t.championship);
    if (!l) byChamp.set(t.championship, (l = []));
    l.push(t);
  }
  const out: TitleRun[] = [];
  for (const [championship, list] of byChamp) {
    const seasons = [...new Set(list.map((t) => t.year))].sort((a, b) => a - b);
    const winners = new Set(list.map((t) => t.winner));
    for (const winner of winners) {
      const won = new Set(list.filter((t) => t.winner === winner).map((t) => t.year));
      let best: TitleRun | null = null;
      for (let i = 0; i + 1 <= seasons.length; i++) {
        const span = seasons.slice(i, i + window);
        const years = span.filter((y) => won.has(y));
        if (years.length >= min && (!best || years.length > best.titles)) {
          best = { championship, winner, titles: years.length, window, from: span[0]!, to: span[span.length - 1]!, years };
        }
      }
      if (best) out.push(best);
    }
  }
  return out.sort((a, b) => b.titles - a.titles || a.from - b.from);
}
