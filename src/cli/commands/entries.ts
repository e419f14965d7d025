// `rallyhq entries <file>`: the entry list in start order. Reads the rally file; writes stdout.
import { rallyCommand } from '../rally-command.ts';
import { outputWidth } from '../args.ts';
import { findClass } from '../load-rally.ts';
import { entriesCsv, entriesJson, entriesTable, startOrder } from '../format/entries.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq entries <file> [--class L4WD] [--format table|json|csv]

Prints the entry list in the start order of the first leg (its stored start
list when the rally file has one, else by car number): car, driver and
co-driver with nationalities, class, make and model, entrant, and whether the
car is factory-supported or privateer. Entries invented for a fixture are
marked with *.

  --class L4WD    only this class
  --format F      table (default), json, csv

Reads: <file>. Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid; 2 bad flag or unknown class.

example: rallyhq entries fixtures/snodrift-2026.rally.json --format csv > entries.csv
`;

export const command = rallyCommand({
  name: 'entries',
  summary: 'entry list and start order: crews, nationalities, class, car, entrant',
  usage,
  flags: { class: { type: 'string' } },
  formats: ['table', 'json', 'csv'],
  run(r) {
    const { definition } = r.rally;
    const classCode = r.option('class', (t) => findClass(definition, t))?.code;
    const entries = startOrder(definition, classCode);
    return r.print({
      json: () => toJson(entriesJson(definition, entries)),
      csv: () => entriesCsv(entries),
      table: () => entriesTable(definition, entries, outputWidth(), classCode),
    });
  },
});
