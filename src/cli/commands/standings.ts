// `rallyhq standings`: championship standings after any round, with the
// points of every round, which rounds counted and which were dropped, and the
// title maths. Reads the season (from --db, else seeds/) and its round results
// (stored, or scored from the round's rally file); writes nothing.
import type { CliCommand } from '../command.ts';
import { EXIT, formatFlag, parseFlags, stringFlag, usageError } from '../args.ts';
import { renderTable, type Column } from '../format/table.ts';
import { toCsv } from '../format/csv.ts';
import { toJson } from '../format/json.ts';
import { computeStandings, findChampionshipRound, lineText, roundsOf, titleMaths, POINTS_SCHEMES, type Season, type Standings, type TitleMaths } from '../../core/championship/index.ts';
import { allSeasons, checkSeason, findSeason, roundResults } from '../../store/history/season-source.ts';
import { openDbFlag } from './history.ts';
import type { HistoryStore } from '../../store/history/types.ts';

const USAGE = `usage: rallyhq standings [--season ara-2026] [--championship drivers] [--after ROUND]
                         [--workings] [--format table|json|csv] [--db URL]

Championship standings after a round (default: the last round with results):
points per round ("-" not entered, "(12)" dropped), the total and the
count-back that breaks a tie, then who can still win and what the leader
needs to clinch. --after takes a round id (snodrift) or the round's number in
the championship's own calendar (1; a regional championship counts only the
rounds of its region).
--workings adds each total's working: points by classification and rule.
--championship takes an id of the season (drivers, codrivers, l4wd-drivers, …).
Without --db the season comes from seeds/ and rounds are scored from their
rally files; with --db stored seasons and round results come first.
`;

function points(p: number): string {
  return Number.isInteger(p) ? String(p) : p.toFixed(2);
}

function tableText(season: Season, s: Standings, t: TitleMaths, workings: boolean, notes: string[]): string {
  const number = new Map(s.calendar.map((c) => [c.round, c.number]));
  const rounds = season.rounds.filter((r) => s.roundsRun.includes(r.id));
  const cols: Column[] = [{ header: 'pos', align: 'right' }, { header: s.championship.kind === 'manufacturers' ? 'make' : s.championship.kind === 'codrivers' ? 'co-driver' : 'driver', flex: true, minWidth: 12 },
    { header: 'pts', align: 'right' }, ...rounds.map((r) => ({ header: `R${number.get(r.id) ?? r.round}`, align: 'right' as const }))];
  const rows = s.rows.map((row) => [String(row.rank), row.competitor, points(row.total),
    ...row.rounds.map((c) => (!c.entered ? '-' : c.counted ? points(c.points) : `(${points(c.points)})`))]);
  const out: string[] = [];
  out.push(`${season.name} — ${s.championship.name}`);
  out.push(`after ${s.after ? `round ${number.get(s.after)} ${season.rounds.find((r) => r.id === s.after)!.name}` : 'no round'}; scheme ${s.scheme.name}${s.provisional.length ? `; provisional: ${s.provisional.join(', ')}` : ''}`);
  out.push('');
  out.push(rows.length ? renderTable(cols, rows, 100).trimEnd() : '(no results yet)');
  if (workings) {
    out.push('', 'workings:');
    for (const row of s.rows) {
      out.push(`  ${row.rank}. ${row.competitor}: ${points(row.total)} = ${row.counted.length ? row.counted.map((id) => points(row.rounds.find((c) => c.round === id)!.points)).join(' + ') : '0'}${row.dropped.length ? ` (dropped: ${row.dropped.join(', ')})` : ''}${row.notEntered.length ? ` (not entered: ${row.notEntered.join(', ')})` : ''}${row.tieBreak ? ` — ${row.tieBreak}` : ''}`);
      for (const cell of row.rounds) {
        for (const l of cell.detail?.lines ?? []) out.push(`      ${cell.round}: ${lineText(l)} (${l.crew}; ${l.rule}${l.confirmed ? '' : ' — UNCONFIRMED'})${l.note ? ` [${l.note}]` : ''}`);
        for (const n of cell.detail?.notes ?? []) out.push(`      ${cell.round}: ${n}`);
      }
    }
  }
  out.push('', `title: ${t.note}`);
  if (!t.clinched && t.leader && t.toClinchNextRound.length) {
    const nearest = t.toClinchNextRound[0]!;
    out.push(`  to clinch next round, ${t.leader} must outscore ${nearest.rival} by ${nearest.outscoreBy === null ? '— (not possible next round)' : nearest.outscoreBy}${nearest.ifRivalScoresNothing !== null ? ` (or score ${nearest.ifRivalScoresNothing} if ${nearest.rival} scores nothing)` : ''}`);
  }
  const still = t.contenders.filter((c) => c.chance === 'yes' || c.chance === 'only-on-count-back');
  if (still.length) out.push(`  can still win: ${still.slice(0, 8).map((c) => `${c.competitor} (max ${points(c.maxPossible)}${c.chance === 'only-on-count-back' ? ', on count-back' : ''})`).join(', ')}${still.length > 8 ? `, … ${still.length - 8} more` : ''}`);
  if (s.unconfirmed.length) out.push('', 'unconfirmed rules these totals rely on:', ...s.unconfirmed.map((u) => `  - ${u}`));
  if (notes.length) out.push('', ...notes.map((n) => `note: ${n}`));
  return out.join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'standings',
  summary: 'championship standings after a round, with workings and title maths',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseFlags(args, { season: { type: 'string' }, championship: { type: 'string' }, after: { type: 'string' }, workings: { type: 'boolean' }, format: { type: 'string' }, db: { type: 'string' } });
    if (!parsed.ok) return usageError(io, this, parsed.message);
    if (parsed.positionals.length) return usageError(io, this, `unexpected argument '${parsed.positionals[0]}'`);
    const fmt = formatFlag(parsed.values.format, ['table', 'json', 'csv'] as const);
    if (!fmt.ok) return usageError(io, this, fmt.message);
    let store: HistoryStore | null = null;
    if (parsed.values.db !== undefined) {
      store = await openDbFlag(io, 'standings', parsed.values.db);
      if (!store) return EXIT.dataError;
    }
    try {
      const seasonId = stringFlag(parsed.values.season) ?? 'ara-2026';
      const season = await findSeason(seasonId, store);
      if (!season) {
        const ids = (await allSeasons(store)).map((s) => s.id);
        return usageError(io, this, `unknown --season '${seasonId}': known seasons are ${ids.join(', ') || '(none)'}`);
      }
      const problems = checkSeason(season);
      if (problems.length) {
        io.err(`rallyhq standings: season ${season.id} has errors:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
        return EXIT.dataError;
      }
      const champId = stringFlag(parsed.values.championship) ?? season.championships[0]?.id ?? '';
      const champ = season.championships.find((c) => c.id === champId);
      if (!champ) return usageError(io, this, `unknown --championship '${champId}': ${season.id} has ${season.championships.map((c) => c.id).join(', ')}`);
      const afterText = stringFlag(parsed.values.after);
      let after: string | undefined;
      if (afterText !== undefined) {
        const r = findChampionshipRound(season, champ, afterText);
        if (!r) return usageError(io, this, `unknown --after '${afterText}': rounds of ${champ.id} are ${roundsOf(season, champ).map((x, i) => `${i + 1} (${x.id})`).join(', ')}`);
        after = r.id;
      }
      const { results, notes } = await roundResults(season, store);
      const scheme = POINTS_SCHEMES[champ.scheme]!;
      const s = computeStandings(season, champ, scheme, results, after);
      const t = titleMaths(s, scheme);
      if (fmt.format === 'json') io.out(toJson({ standings: s, title: t, notes }));
      else if (fmt.format === 'csv') {
        const rounds = season.rounds.filter((r) => s.roundsRun.includes(r.id));
        io.out(toCsv(['rank', 'competitor', 'total', ...rounds.map((r) => r.id), 'dropped', 'final', 'power_stage', 'sunday', 'saturday', 'leg_bonus'],
          s.rows.map((row) => [row.rank, row.competitor, row.total, ...row.rounds.map((c) => (c.entered ? c.points : null)), row.dropped.join(' '), row.bySource.final, row.bySource.powerStage, row.bySource.sunday, row.bySource.saturday, row.bySource.leg])));
      } else io.out(tableText(season, s, t, parsed.values.workings === true, notes));
      return EXIT.ok;
    } finally {
      await store?.close();
    }
  },
};
