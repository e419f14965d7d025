// `rallyhq results <file>`: the overall or class classification after a stage.
// Reads the rally file; writes the classification to stdout.
import { rallyCommand } from '../rally-command.ts';
import { outputWidth } from '../args.ts';
import { findCategory, findClass, findLeg, findStage } from '../load-rally.ts';
import { classify, type ClassifyOptions } from '../../core/scoring/index.ts';
import { classificationCsv, classificationJson, classificationTable } from '../format/classification.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq results <file> [--after SS7] [--class L4WD] [--category Regional] [--leg 1] [--format table|json|csv]

Scores the rally file and prints the classification: position, car, crew,
class, car, total (1:02:03.4), penalties (0:40), gap to the leader and to the
car ahead (+12.3), places gained or lost since the previous stage (▲2 ▼1);
then the stage winners, the crews restarted under Super Rally, and the crews
retired and excluded, with where and why. In json and csv an excluded crew
has no total, and its status gives the reason.

  --after SS7     classification after this stage (default: the last stage with times)
  --class L4WD    only this class; positions are class positions
  --category C    a rally with categories (ARA National and Regional on the same roads):
                  this category's crews over the stages it runs (default: the first declared)
  --leg 1         only this leg's stages and penalties (leg number, id or name)
  --format F      table (default, fits 80 columns), json (ms and text), csv (one row per crew)

Reads: <file> (a rally file, path relative to the working directory). Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid (every error listed by JSON path);
2 bad flag, or unknown stage, class, category or leg (the valid ones are listed).

example: rallyhq results fixtures/snodrift-2026.rally.json --after SS7 --class L4WD
`;

export const command = rallyCommand({
  name: 'results',
  summary: 'overall or class classification after any stage (table, json, csv)',
  usage,
  flags: { after: { type: 'string' }, class: { type: 'string' }, category: { type: 'string' }, leg: { type: 'string' } },
  formats: ['table', 'json', 'csv'],
  run(r) {
    const { definition, rules, state } = r.rally;
    const after = r.option('after', (t) => findStage(definition, t, '--after'))?.code;
    const cls = r.option('class', (t) => findClass(definition, t))?.code;
    const leg = r.option('leg', (t) => findLeg(definition, t))?.id;
    const category = r.option('category', (t) => findCategory(definition, t))?.code;
    const afterLeg = definition.stages.find((s) => s.code === after)?.leg;
    if (leg && afterLeg && afterLeg !== leg) r.fail(`--after ${after ?? ''} is in leg ${afterLeg}, not in --leg ${r.flag('leg') ?? ''}`);
    const options: ClassifyOptions = { after, class: cls, leg, ...(category ? { category } : {}) };
    const classification = classify(state, options);
    const ctx = { definition, rules };
    return r.print({
      json: () => toJson(classificationJson(classification, ctx)),
      csv: () => classificationCsv(classification, ctx),
      table: () => classificationTable(classification, ctx, outputWidth()),
    });
  },
});
