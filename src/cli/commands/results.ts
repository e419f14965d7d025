// `rallyhq results <file>`: the overall or class classification after a stage.
// Reads the rally file; writes the classification to stdout.
import type { CliCommand } from '../command.ts';
import { EXIT, formatFlag, valueError, outputWidth, parseFlags, stringFlag, usageError } from '../args.ts';
import { findClass, findLeg, findStage, loadRally, printLoadFailure } from '../load-rally.ts';
import { classify, type ClassifyOptions } from '../../core/scoring/index.ts';
import { classificationCsv, classificationJson, classificationTable } from '../format/classification.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq results <file> [--after SS7] [--class L4WD] [--leg 1] [--format table|json|csv]

Scores the rally file and prints the classification: position, car, crew,
class, car, total (1:02:03.4), penalties (0:40), gap to the leader and to the
car ahead (+12.3), places gained or lost since the previous stage (▲2 ▼1);
then the stage winners and the crews retired and excluded, with reasons.

  --after SS7     classification after this stage (default: the last stage with times)
  --class L4WD    only this class; positions are class positions
  --leg 1         only this leg's stages and penalties (leg number, id or name)
  --format F      table (default, fits 80 columns), json (ms and text), csv (one row per crew)

Reads: <file> (a rally file, path relative to the working directory). Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid (every error listed by JSON path);
2 bad flag, or unknown stage, class or leg (the valid ones are listed).

example: rallyhq results fixtures/snodrift-2026.rally.json --after SS7 --class L4WD
`;

export const command: CliCommand = {
  name: 'results',
  summary: 'overall or class classification after any stage (table, json, csv)',
  usage,
  async run(args, io) {
    const flags = parseFlags(args, { after: { type: 'string' }, class: { type: 'string' }, leg: { type: 'string' }, format: { type: 'string', short: 'f' } });
    if (!flags.ok) return usageError(io, command, flags.message);
    const [file, ...extra] = flags.positionals;
    if (!file) return usageError(io, command, 'missing <file>: give the path of a rally file');
    if (extra.length) return usageError(io, command, `unexpected argument '${extra[0]}'`);
    const format = formatFlag(flags.values.format, ['table', 'json', 'csv'] as const);
    if (!format.ok) return usageError(io, command, format.message);

    const loaded = await loadRally(file, io.cwd);
    if (!loaded.ok) {
      printLoadFailure(io, command.name, loaded);
      return EXIT.dataError;
    }
    const { definition, rules, state } = loaded.rally;
    const options: ClassifyOptions = {};
    const after = stringFlag(flags.values.after);
    if (after !== undefined) {
      const found = findStage(definition, after, '--after');
      if (!found.ok) return valueError(io, command, found.message);
      options.after = found.value.code;
    }
    const cls = stringFlag(flags.values.class);
    if (cls !== undefined) {
      const found = findClass(definition, cls);
      if (!found.ok) return valueError(io, command, found.message);
      options.class = found.value.code;
    }
    const leg = stringFlag(flags.values.leg);
    if (leg !== undefined) {
      const found = findLeg(definition, leg);
      if (!found.ok) return valueError(io, command, found.message);
      options.leg = found.value.id;
      if (options.after) {
        const stage = definition.stages.find((s) => s.code === options.after);
        if (stage && stage.leg !== options.leg) return valueError(io, command, `--after ${options.after} is in leg ${stage.leg}, not in --leg ${leg}`);
      }
    }

    const classification = classify(state, options);
    const ctx = { definition, rules };
    if (format.format === 'json') io.out(toJson(classificationJson(classification, ctx)));
    else if (format.format === 'csv') io.out(classificationCsv(classification, ctx));
    else io.out(classificationTable(classification, ctx, outputWidth()));
    return EXIT.ok;
  },
};
