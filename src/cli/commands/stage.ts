// `rallyhq stage <file> SS3`: one stage's times, positions, gaps, markers,
// splits and penalties. Reads the rally file; writes to stdout.
import type { CliCommand } from '../command.ts';
import { EXIT, formatFlag, valueError, outputWidth, parseFlags, stringFlag, usageError } from '../args.ts';
import { findClass, findStage, loadRally, printLoadFailure } from '../load-rally.ts';
import { stageResults } from '../../core/scoring/index.ts';
import { stageCsv, stageJson, stageTable } from '../format/stage.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq stage <file> <stage> [--class L4WD] [--format table|json|csv]

Prints one stage's results: position, car, crew, class, split times (if the
stage has split points), stage time, gap to the fastest and to the car ahead,
penalties incurred on the stage, and a note where the time was not simply
driven: notional (stage interrupted), assessed, restart (Super Rally), max time.
Then the fastest crew and its average speed, and every penalty on the stage
with its reason and rule.

  <stage>         stage code, e.g. SS3 (or just 3)
  --class L4WD    only this class; positions are class positions
  --format F      table (default), json (ms and text), csv (one row per crew)

Reads: <file>. Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid; 2 bad flag, or unknown stage or class.

example: rallyhq stage fixtures/snodrift-2026.rally.json SS3
`;

export const command: CliCommand = {
  name: 'stage',
  summary: 'one stage: times, gaps, splits, notional/assessed/max-time markers, penalties',
  usage,
  async run(args, io) {
    const flags = parseFlags(args, { class: { type: 'string' }, format: { type: 'string', short: 'f' } });
    if (!flags.ok) return usageError(io, command, flags.message);
    const [file, stageArg, ...extra] = flags.positionals;
    if (!file) return usageError(io, command, 'missing <file>: give the path of a rally file');
    if (!stageArg) return usageError(io, command, 'missing <stage>: give a stage code such as SS3');
    if (extra.length) return usageError(io, command, `unexpected argument '${extra[0]}'`);
    const format = formatFlag(flags.values.format, ['table', 'json', 'csv'] as const);
    if (!format.ok) return usageError(io, command, format.message);

    const loaded = await loadRally(file, io.cwd);
    if (!loaded.ok) {
      printLoadFailure(io, command.name, loaded);
      return EXIT.dataError;
    }
    const { definition, rules, state, facts } = loaded.rally;
    const stage = findStage(definition, stageArg, '<stage>');
    if (!stage.ok) return valueError(io, command, stage.message);
    let classCode: string | undefined;
    const cls = stringFlag(flags.values.class);
    if (cls !== undefined) {
      const found = findClass(definition, cls);
      if (!found.ok) return valueError(io, command, found.message);
      classCode = found.value.code;
    }
    const sc = stageResults(state, stage.value.code, classCode ? { class: classCode } : undefined);
    const ctx = { definition, rules };
    if (format.format === 'json') io.out(toJson(stageJson(sc, ctx, facts)));
    else if (format.format === 'csv') io.out(stageCsv(sc, ctx));
    else io.out(stageTable(sc, ctx, facts, outputWidth(), classCode));
    return EXIT.ok;
  },
};
