// `rallyhq explain <file> --car 23 [--stage SS3]`: why a crew has the time it
// has: the facts used (who recorded them, when), those superseded and why, the
// rules and rounding applied, each penalty with its reason and rule, and the
// rule values the rule reference could not confirm. Reads the rally file; writes stdout.
import type { CliCommand } from '../command.ts';
import { EXIT, formatFlag, valueError, parseFlags, stringFlag, usageError } from '../args.ts';
import { findEntry, findStage, loadRally, printLoadFailure } from '../load-rally.ts';
import { explain, formatWorkings } from '../../core/scoring/index.ts';
import { workingsHeading, workingsJson } from '../format/workings.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq explain <file> --car 23 [--stage SS3] [--format text|json]

Shows the workings behind one crew's number, on one screen: every fact used
(id, who recorded it, when), the facts superseded by corrections and why, the
rule and rounding applied, each penalty with its reason and rule. Rule values
that the rule reference could not confirm are marked as unconfirmed.

  --car 23        the car (door) number
  --stage SS3     the workings of that stage time; without it, of the crew's total
  --format F      text (default) or json (the structured workings, ms and text)

Reads: <file>. Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid; 2 bad flag, unknown car or stage.

example: rallyhq explain fixtures/snodrift-2026.rally.json --car 23 --stage SS3
`;

export const command: CliCommand = {
  name: 'explain',
  summary: 'the workings of a crew\'s stage time or total: facts, rules, rounding, penalties',
  usage,
  async run(args, io) {
    const flags = parseFlags(args, { car: { type: 'string', short: 'c' }, stage: { type: 'string', short: 's' }, format: { type: 'string', short: 'f' } });
    if (!flags.ok) return usageError(io, command, flags.message);
    const [file, ...extra] = flags.positionals;
    if (!file) return usageError(io, command, 'missing <file>: give the path of a rally file');
    if (extra.length) return usageError(io, command, `unexpected argument '${extra[0]}'`);
    const carArg = stringFlag(flags.values.car);
    if (carArg === undefined) return usageError(io, command, 'missing --car: give the car number, e.g. --car 23');
    const format = formatFlag(flags.values.format, ['text', 'json'] as const);
    if (!format.ok) return usageError(io, command, format.message);

    const loaded = await loadRally(file, io.cwd);
    if (!loaded.ok) {
      printLoadFailure(io, command.name, loaded);
      return EXIT.dataError;
    }
    const { definition, rules, state } = loaded.rally;
    const entry = findEntry(definition, carArg);
    if (!entry.ok) return valueError(io, command, entry.message);
    const stageArg = stringFlag(flags.values.stage);
    let stageCode: string | undefined;
    if (stageArg !== undefined) {
      const found = findStage(definition, stageArg, '--stage');
      if (!found.ok) return valueError(io, command, found.message);
      stageCode = found.value.code;
    }
    const workings = explain(state, entry.value.car, stageCode);
    const ctx = { definition, rules };
    if (format.format === 'json') {
      io.out(toJson(workingsJson(workings, ctx, entry.value)));
    } else {
      // Times in the workings are shown to the stage's precision (a power stage to the thousandth).
      const stage = stageCode ? definition.stages.find((s) => s.code === stageCode) : undefined;
      const unitMs = stage?.precisionMs ?? rules.stagePrecisionMs.value;
      io.out(workingsHeading(workings, ctx, entry.value) + '\n' + formatWorkings(workings, unitMs).trimEnd() + '\n');
    }
    return EXIT.ok;
  },
};
