// `rallyhq notional <file> SS5`: the notional times rallyhq proposes for an
// interrupted stage by the rules' method, with the candidate times and the
// basis of each proposal. Reads the rally file; writes to stdout; decides nothing.
import { rallyCommand } from '../rally-command.ts';
import { findStage } from '../load-rally.ts';
import { notionalProposals } from '../../core/scoring/index.ts';
import { formatDuration } from '../../core/time/duration.ts';
import { formatTimeOfDay } from '../../core/time/local-time.ts';
import { toJson } from '../format/json.ts';

const usage = `usage: rallyhq notional <file> <stage> [--format table|json]

Prints the notional times proposed for an interrupted stage by the rules'
notionalTimePolicy: fastestAtInterruption (MSUK 4.37, or 4.38 after a
restart), worstBeforeStoppage (Rally America practice, the ARA preset) or
clerkFairest (FIA: the candidates only). Then the candidate times in the order
the method takes them, and for each affected crew the proposal, the time the
Clerk has given (if any) and why. Crews responsible for the stoppage are
proposed nothing. The Clerk confirms by recording the notional times.

  <stage>         stage code, e.g. SS5 (or just 5)
  --format F      table (default), json (ms)

Reads: <file>. Writes: stdout.
Exit codes: 0 printed; 1 file missing or invalid; 2 bad flag, or unknown stage.

example: rallyhq notional rally.json SS5
`;

const time = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));

export const command = rallyCommand({
  name: 'notional',
  summary: 'notional times proposed for an interrupted stage, with candidates and basis',
  usage,
  formats: ['table', 'json'],
  positionals: [{ missing: 'missing <stage>: give a stage code such as SS5' }],
  run(r) {
    const { definition, state } = r.rally;
    const stage = r.pick(findStage(definition, r.args[0] ?? '', '<stage>'));
    const p = notionalProposals(state, stage.code);
    return r.print({
      json: () => toJson(p),
      table: () => [
        `${p.stage} notional times — method ${p.method.value} (${p.method.rule}${p.method.confirmed ? '' : ', unconfirmed'})`,
        `interrupted ${p.interruptedAt ?? '(time not recorded)'}${p.restartedAt ? `, restarted ${p.restartedAt}` : ''}`,
        '',
        'candidates:',
        ...(p.candidates.length ? p.candidates.map((c) => `  ${c.rank}. car ${c.car}  ${time(c.timeMs)}${c.finishedAtMs !== null ? `  finished ${formatTimeOfDay(c.finishedAtMs)}` : ''}`) : ['  none yet']),
        '',
        'proposals:',
        ...(p.proposals.length ? p.proposals.map((x) => `  car ${x.car}  proposed ${time(x.proposedMs)}  given ${time(x.givenMs)}  — ${x.basis}`) : ['  no crew affected']),
        ...p.notes.map((n) => `note: ${n}`),
        '',
      ].join('\n'),
    });
  },
});
