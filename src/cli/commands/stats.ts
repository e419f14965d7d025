// `rallyhq stats`: answers from the history database — wins, podiums, starts,
// titles and stage wins by driver, co-driver, make or class; streaks; title
// runs; head-to-head. Reads the history tables of --db; writes nothing.
import type { CliCommand } from '../command.ts';
import { EXIT, formatFlag, parseFlags, stringFlag, usageError } from '../args.ts';
import { renderTable } from '../format/table.ts';
import { toCsv } from '../format/csv.ts';
import { toJson } from '../format/json.ts';
import { DEFAULT_DB_URL } from '../../store/history/open-history.ts';
import { STAT_DIMENSIONS, type StatDimension, type StatMetric } from '../../store/history/types.ts';
import { openDbFlag } from './history.ts';

const METRICS: Record<string, StatMetric> = { wins: 'wins', podiums: 'podiums', starts: 'starts', titles: 'titles', 'stage-wins': 'stageWins' };

const USAGE = `usage: rallyhq stats wins|podiums|starts|titles|stage-wins --by driver|codriver|make|class
                     [--event TEXT] [--class CODE] [--limit N] [--format table|json|csv] [--db URL]
       rallyhq stats streaks --by make|driver|codriver [--event TEXT] [--class CODE] [--min N]
       rallyhq stats title-runs --by driver|codriver|make --min 4 --window 5
       rallyhq stats head-to-head "<driver A>" "<driver B>"

Answers from the history database (fill it with rallyhq history import or
rallyhq history seed). --event matches part of an event name, any case:
  rallyhq stats wins --by make --event "Monte Carlo"     how often each make won it
  rallyhq stats streaks --by make --event Dakar          wins in a row
  rallyhq stats title-runs --by driver --min 4 --window 5   four titles in five seasons
--db URL   sqlite:<path> (default ${DEFAULT_DB_URL}) or postgres://…
`;

function intFlag(v: string | boolean | undefined, name: string, fallback: number): number | string {
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : `--${name} '${String(v)}' must be a whole number ≥ 1`;
}

export const command: CliCommand = {
  name: 'stats',
  summary: 'history statistics: wins, podiums, titles, streaks, head-to-head',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseFlags(args, {
      by: { type: 'string' }, event: { type: 'string' }, class: { type: 'string' }, limit: { type: 'string' },
      min: { type: 'string' }, window: { type: 'string' }, format: { type: 'string' }, db: { type: 'string' },
    });
    if (!parsed.ok) return usageError(io, this, parsed.message);
    const v = parsed.values;
    const [what, ...rest] = parsed.positionals;
    const fmt = formatFlag(v.format, ['table', 'json', 'csv'] as const);
    if (!fmt.ok) return usageError(io, this, fmt.message);
    const limit = intFlag(v.limit, 'limit', 20);
    const min = intFlag(v.min, 'min', what === 'title-runs' ? 4 : 2);
    const window = intFlag(v.window, 'window', 5);
    for (const n of [limit, min, window]) if (typeof n === 'string') return usageError(io, this, n);
    const by = stringFlag(v.by);
    const event = stringFlag(v.event);
    const cls = stringFlag(v.class);
    const isMetric = what !== undefined && what in METRICS;
    if (!what || (!isMetric && !['streaks', 'title-runs', 'head-to-head'].includes(what))) {
      return usageError(io, this, what ? `unknown statistic '${what}': use ${Object.keys(METRICS).join(', ')}, streaks, title-runs or head-to-head` : 'say which statistic: wins, podiums, starts, titles, stage-wins, streaks, title-runs or head-to-head');
    }
    if (what === 'head-to-head' ? rest.length !== 2 : rest.length > 0) {
      return usageError(io, this, what === 'head-to-head' ? 'give two driver names: rallyhq stats head-to-head "Stéphane Peterhansel" "Nani Roma"' : `unexpected argument '${rest[0]}'`);
    }
    if (what !== 'head-to-head') {
      const allowed: readonly string[] = isMetric ? STAT_DIMENSIONS : ['make', 'driver', 'codriver'];
      if (!by) return usageError(io, this, `--by is required: one of ${allowed.join(', ')}`);
      if (!allowed.includes(by)) return usageError(io, this, `unknown --by '${by}': use one of ${allowed.join(', ')}`);
    }
    const store = await openDbFlag(io, 'stats', v.db);
    if (!store) return EXIT.dataError;
    try {
      const emit = (json: unknown, header: string[], rows: (string | number)[][], title: string): void => {
        if (fmt.format === 'json') io.out(toJson(json));
        else if (fmt.format === 'csv') io.out(toCsv(header, rows));
        else io.out(`${title}\n\n${rows.length ? renderTable(header.map((h, i) => ({ header: h, align: i === 0 ? 'left' : 'right', flex: i === 0 })), rows.map((r) => r.map(String))) : '(no results: import history first with rallyhq history import <file.csv>, or rallyhq history seed)\n'}`);
      };
      if (isMetric) {
        const metric = METRICS[what]!;
        const a = await store.stats({ by: by as StatDimension, metric, limit: limit as number, ...(event ? { event } : {}), ...(cls ? { class: cls } : {}) });
        if (event && a.events.length === 0) {
          io.err(`rallyhq stats: no event name contains '${event}'\n`);
          return EXIT.dataError;
        }
        const title = `${what} by ${by}${event ? ` — ${a.events.join(', ')}` : ''}${cls ? ` — class ${cls}` : ''}`;
        emit(a, [by!, 'wins', 'podiums', 'starts', 'titles', 'stage wins'], a.rows.map((r) => [r.key, r.wins, r.podiums, r.starts, r.titles, r.stageWins]), title);
      } else if (what === 'streaks') {
        const s = await store.streaks({ by: by as 'make', min: min as number, limit: limit as number, ...(event ? { event } : {}), ...(cls ? { class: cls } : {}) });
        emit(s, ['winner', 'in a row', 'event', 'class', 'years'], s.map((x) => [x.winner, x.length, x.event, x.class, `${x.from}–${x.to}`]), `wins in a row by ${by}${event ? ` — ${event}` : ''}`);
      } else if (what === 'title-runs') {
        const t = await store.titleRuns({ by: by as 'driver', min: min as number, window: window as number, ...(event ? { championship: event } : {}) });
        emit(t, ['winner', 'titles', 'seasons', 'championship', 'years'], t.map((x) => [x.winner, x.titles, x.window, x.championship, x.years.join(', ')]), `${min} or more titles in ${window} seasons, by ${by}`);
      } else {
        const [a, b] = rest as [string, string];
        const h = await store.headToHead(a, b);
        if (fmt.format === 'json') io.out(toJson(h));
        else if (fmt.format === 'csv') io.out(toCsv(['event', 'year', 'class', a, b, 'ahead'], h.events.map((e) => [e.event, e.year, e.class, e.a, e.b, e.ahead === 'a' ? a : e.ahead === 'b' ? b : ''])));
        else {
          io.out(`${a} ${h.aAhead} – ${h.bAhead} ${b} (${h.meetings} meetings${h.undecided ? `, ${h.undecided} undecided` : ''})\n\n`);
          if (h.events.length) io.out(renderTable([{ header: 'event', flex: true }, { header: 'year', align: 'right' }, { header: 'class' }, { header: a, align: 'right', flex: true }, { header: b, align: 'right', flex: true }],
            h.events.map((e) => [e.event, String(e.year), e.class, e.a, e.b])));
        }
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
