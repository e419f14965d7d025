// `rallyhq stage <file> SS3`: one stage's times, positions, gaps, markers,
// splits and penalties. Reads the rally file; writes to stdout.
import { rallyCommand } from '../rally-command.ts';
import { outputWidth } from '../args.ts';
import { findClass, findStage } from '../load-rally.ts';
import { classify, stageResults } from '../../core/scoring/index.ts';
import { retiredOnStage, stageCsv, stageJson, stagePenalties, stageTable } from '../format/stage.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq stage <file> <stage> [--class L4WD] [--format table|json|csv]

Prints one stage's results: position, car, crew, class, split times (if the
stage has split points), stage time, gap to the fastest and to the car ahead,
penalties incurred on the stage, and a note where the time was not simply
driven: notional (stage interrupted), assessed, Super Rally charge, max time.
Then the fastest crew and its average speed, every penalty charged on the
stage with its amount, reason and rule (as the scoring charged it), and the
jump starts a timing device recorded that no official has decided yet
(listed as recorded, not decided: no amount). A crew excluded from the rally
keeps its stage time and place, marked excluded.

  <stage>         stage code, e.g. SS3 (or just 3)
  --class L4WD    only this class; positions are class positions
  --format F      table (default), json (ms and text), csv (one row per crew)

Reads: <file>. Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid; 2 bad flag, or unknown stage or class.

example: rallyhq stage fixtures/snodrift-2026.rally.json SS3
`;

export const command = rallyCommand({
  name: 'stage',
  summary: 'one stage: times, gaps, splits, notional/assessed/max-time markers, penalties',
  usage,
  flags: { class: { type: 'string' } },
  formats: ['table', 'json', 'csv'],
  positionals: [{ missing: 'missing <stage>: give a stage code such as SS3' }],
  run(r) {
    const { definition, rules, state, facts } = r.rally;
    const stage = r.pick(findStage(definition, r.args[0] ?? '', '<stage>'));
    const classCode = r.option('class', (t) => findClass(definition, t))?.code;
    const sc = stageResults(state, stage.code, classCode ? { class: classCode } : undefined);
    const ctx = { definition, rules };
    // Excluded crews keep their stage times (docs/scoring.md, "Exclusion"); the view marks them, and the crews that retired on the stage.
    const c = classify(state);
    const marks = { excluded: new Set(c.excluded.map((x) => x.car)), retiredHere: retiredOnStage(definition, stage.code, c.retired) };
    return r.print({
      csv: () => stageCsv(sc, ctx, marks),
      json: () => toJson(stageJson(sc, ctx, stagePenalties(state, sc, facts), marks)),
      table: () => stageTable(sc, ctx, stagePenalties(state, sc, facts), outputWidth(), classCode, marks),
    });
  },
});
