// What the public standings page shows: the shapes of the public API v1
// (GET /api/public/v1/seasons/:season and …/standings), and the words it
// puts on them — a round's points with their workings, who can still win.

export interface RoundV1 { id: string; round: number; name: string; startDate: string | null; endDate: string | null; location: string | null; confirmed: boolean; rally: string | null }
export interface ChampionshipV1 { id: string; name: string; kind: string; scheme: string; class: string | null }
export interface SeasonV1 { season: { id: string; name: string; year: number; series: { id: string; name: string; body: string } }; rounds: RoundV1[]; championships: ChampionshipV1[] }

export interface PointsLineV1 { source: string; place: number; points: number; rule: string; leg?: string; crew?: string }
export interface RoundCellV1 { round: string; points: number; counted: boolean; place: number | null; entered: boolean; lines: PointsLineV1[] }
export interface StandingRowV1 { rank: number; competitor: string; total: number; rounds: RoundCellV1[]; dropped: string[]; notEntered: string[]; tieBreak: string | null }
export interface ContenderV1 { competitor: string; current: number; maxPossible: number; chance: 'leader' | 'yes' | 'only-on-count-back' | 'no' }
export interface StandingsV1 {
  championship: ChampionshipV1;
  scheme: { id: string; name: string };
  after: string | null; roundsRun: string[]; roundsRemaining: string[]; provisional: string[];
  rows: StandingRowV1[];
  title: { leader: string | null; clinched: boolean; roundsRemaining: number; note: string; maxPerRound: number; contenders: ContenderV1[]; toClinchNextRound: { rival: string; ifRivalScoresNothing: number | null; outscoreBy: number | null }[] };
  history: { rounds: { round: string; number: number }[]; rows: { competitor: string; ranks: (number | null)[]; totals: (number | null)[] }[] } | null;
  unconfirmed: string[]; notes: string[];
}

/** Everything one view of the page needs: the seasons to choose from, the season, its standings (or why there are none). */
export interface StandingsPageData {
  seasons: { id: string; name: string }[];
  season: SeasonV1 | null;
  standings: StandingsV1 | null;
  /** The choice in the address, as understood (`after` empty = the latest round with results). */
  choice: { season: string; championship: string; after: string };
  error: string;
  /** Why the season shown is not the one asked for (a rally no season counts). */
  note?: string;
}

export const pageHref = (c: { season: string; championship?: string; after?: string }): string => {
  const q = new URLSearchParams({ season: c.season });
  if (c.championship) q.set('championship', c.championship);
  if (c.after) q.set('after', c.after);
  return `/standings.html?${q}`;
};

const SOURCE: Record<string, string> = { final: 'final classification', saturday: 'Saturday classification', sunday: 'Sunday classification', powerStage: 'Power Stage', leg: 'leg bonus' };

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

/** One points line as a person reads it: `final classification 1st → 20`. */
export function lineText(l: PointsLineV1): string {
  return `${l.leg ? `${SOURCE[l.source] ?? l.source} ${l.leg}` : SOURCE[l.source] ?? l.source} ${ordinal(l.place)} → ${l.points}${l.crew ? ` (${l.crew})` : ''}`;
}

/** Dates as `6–7 Feb 2026`; a round without announced dates says so. */
export function roundDates(r: Pick<RoundV1, 'startDate' | 'endDate'>): string {
  if (!r.startDate) return 'date not announced';
  const d = (s: string) => new Date(`${s}T12:00:00Z`);
  const fmt = (s: string, o: Intl.DateTimeFormatOptions) => d(s).toLocaleDateString('en-GB', { timeZone: 'UTC', ...o });
  const end = r.endDate ?? r.startDate;
  if (end === r.startDate) return fmt(r.startDate, { day: 'numeric', month: 'short', year: 'numeric' });
  if (end.slice(0, 7) === r.startDate.slice(0, 7)) return `${fmt(r.startDate, { day: 'numeric' })}–${fmt(end, { day: 'numeric', month: 'short', year: 'numeric' })}`;
  return `${fmt(r.startDate, { day: 'numeric', month: 'short' })} – ${fmt(end, { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

/** Who can still win, in sentences: the leader, each rival still in it, what clinching next round takes. */
export function titleLines(s: StandingsV1): { leader: string; rivals: string[]; out: number; clinch: string[] } {
  const t = s.title;
  if (!t.leader) return { leader: 'No results yet.', rivals: [], out: 0, clinch: [] };
  const lead = t.contenders.find((c) => c.chance === 'leader');
  const reach = `no one can reach them${t.roundsRemaining ? ` with ${t.roundsRemaining} round${t.roundsRemaining === 1 ? '' : 's'} left` : ''}`;
  // Never a title called won on results that are not yet official.
  if (t.clinched && s.provisional.length) return { leader: `${t.leader} wins the title with ${lead?.current ?? ''} points if the provisional results stand: ${reach}.`, rivals: [], out: t.contenders.length - 1, clinch: [] };
  if (t.clinched) return { leader: `${t.leader} has won the title with ${lead?.current ?? ''} points: ${reach}.`, rivals: [], out: t.contenders.length - 1, clinch: [] };
  if (t.roundsRemaining === 0) {
    // Season over, level on points: the count-back already ranked them (the table says how).
    const level = t.contenders.filter((c) => c.chance === 'only-on-count-back').map((c) => `${c.competitor}: level on ${c.current} points, behind on count-back`);
    return { leader: `${t.leader} is ahead after the last round with ${lead?.current ?? ''} points, on count-back${s.provisional.length ? ', if the provisional results stand' : ''}.`, rivals: level, out: t.contenders.filter((c) => c.chance === 'no').length, clinch: [] };
  }
  const rivals = t.contenders.filter((c) => c.chance === 'yes' || c.chance === 'only-on-count-back').map((c) => c.chance === 'yes'
    ? `${c.competitor}: ${c.current} now, can reach ${c.maxPossible}`
    : `${c.competitor}: ${c.current} now, can only draw level at ${c.maxPossible} (then count-back decides)`);
  // Clinching next round means shaking off every rival at once: the most any one of them demands.
  const needs = t.toClinchNextRound.map((n) => n.ifRivalScoresNothing);
  const clinch = t.roundsRemaining === 0 || needs.length === 0 ? []
    : needs.some((n) => n === null) ? [`${t.leader} cannot clinch the title at the next round.`]
    : [`${t.leader} clinches the title at the next round with ${Math.max(...(needs as number[]))} points if no rival scores.`];
  return {
    leader: `${t.leader} leads with ${lead?.current ?? ''} points; ${t.roundsRemaining} round${t.roundsRemaining === 1 ? '' : 's'} left, at most ${t.maxPerRound} points each.`,
    rivals, out: t.contenders.filter((c) => c.chance === 'no').length, clinch,
  };
}
