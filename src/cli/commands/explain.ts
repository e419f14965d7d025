// `rallyhq explain <file> --car 23 [--stage SS3]`: why a crew has the time it
// has: the facts used (who recorded them, when), those superseded and why, the
// rules and rounding applied, each penalty with its reason and rule, and the
// rule values the rule reference could not confirm. Reads the rally file; writes stdout.
import { rallyCommand } from '../rally-command.ts';
import { findEntry, findStage } from '../load-rally.ts';
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

export const command = rallyCommand({
  name: 'explain',
  summary: 'the workings of a crew\'s stage time or total: facts, rules, rounding, penalties',
  usage,
  flags: { car: { type: 'string', short: 'c' }, stage: { type: 'string', short: 's' } },
  formats: ['text', 'json'],
  required: { car: 'missing --car: give the car number, e.g. --car 23' },
  run(r) {
    const { definition, rules, state } = r.rally;
    const entry = r.pick(findEntry(definition, r.flag('car') ?? ''));
    const stageCode = r.option('stage', (t) => findStage(definition, t, '--stage'))?.code;
    const workings = explain(state, entry.car, stageCode);
    const ctx = { definition, rules };
    return r.print({
      json: () => toJson(workingsJson(workings, ctx, entry)),
      text: () => {
        // Times in the workings are shown to the stage's precision (a power stage to the thousandth).
        const stage = stageCode ? definition.stages.find((s) => s.code === stageCode) : undefined;
        const unitMs = stage?.precisionMs ?? rules.stagePrecisionMs.value;
        return workingsHeading(workings, ctx, entry) + '\n' + formatWorkings(workings, unitMs).trimEnd() + '\n';
      },
    });
  },
});
