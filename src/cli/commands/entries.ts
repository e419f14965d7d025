// `rallyhq entries <file>`: the entry list in start order. Reads the rally file; writes stdout.
import type { CliCommand } from '../command.ts';
import { EXIT, formatFlag, valueError, outputWidth, parseFlags, stringFlag, usageError } from '../args.ts';
import { findClass, loadRally, printLoadFailure } from '../load-rally.ts';
import { entriesCsv, entriesJson, entriesTable, startOrder } from '../format/entries.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq entries <file> [--class L4WD] [--format table|json|csv]

Prints the entry list in start order (by car number): car, driver and
co-driver with nationalities, class, make and model, entrant, and whether the
car is factory-supported or privateer. Entries invented for a fixture are
marked with *.

  --class L4WD    only this class
  --format F      table (default), json, csv

Reads: <file>. Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid; 2 bad flag or unknown class.

example: rallyhq entries fixtures/snodrift-2026.rally.json --format csv > entries.csv
`;

export const command: CliCommand = {
  name: 'entries',
  summary: 'entry list and start order: crews, nationalities, class, car, entrant',
  usage,
  async run(args, io) {
    const flags = parseFlags(args, { class: { type: 'string' }, format: { type: 'string', short: 'f' } });
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
    const { definition } = loaded.rally;
    let classCode: string | undefined;
    const cls = stringFlag(flags.values.class);
    if (cls !== undefined) {
      const found = findClass(definition, cls);
      if (!found.ok) return valueError(io, command, found.message);
      classCode = found.value.code;
    }
    const entries = startOrder(definition, classCode);
    if (format.format === 'json') io.out(toJson(entriesJson(definition, entries)));
    else if (format.format === 'csv') io.out(entriesCsv(entries));
    else io.out(entriesTable(definition, entries, outputWidth(), classCode));
    return EXIT.ok;
  },
};
