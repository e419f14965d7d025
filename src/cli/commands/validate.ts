// `rallyhq validate <file>`: is this a rally file rallyhq can score, and what
// in its data needs an official's attention? Reads the rally file; writes stdout.
import { rallyCommand } from '../rally-command.ts';
import { EXIT } from '../args.ts';
import { pathErrorLines } from '../load-rally.ts';
import { dataIssues } from '../../core/scoring/index.ts';
import { countBySeverity, issuesJson, issuesText } from '../format/issues.ts';
import { toJson } from '../format/json.ts';
import { confidenceOf, type Confidence } from '../../core/rules/types.ts';
import { RULE_KEYS } from '../../core/rules/resolve.ts';

const usage = `usage: rallyhq validate <file> [--format text|json]

Checks a rally file. When it is not valid, lists every error by its JSON path
(for example facts[12].at: time does not parse) and exits 1. When it is valid,
prints "valid: N entries, M stages, K facts", then the data-quality findings
(code, severity, subject, detail, suggested fix, facts involved): a car at two
controls at once, a stage time faster than the stage allows, an unpenalised
jump start, two different times at one control, and so on.

  --format F      text (default) or json

Reads: <file>. Writes: stdout (errors about reading the file: stderr).
Exit codes: 0 valid, with at most warnings; 1 invalid file, missing file, or a
finding of severity "error"; 2 bad flag.

example: rallyhq validate fixtures/example-small.rally.json
`;

export const command = rallyCommand({
  name: 'validate',
  summary: 'check a rally file: every error by JSON path, then data-quality findings',
  usage,
  formats: ['text', 'json'],
  loadFailed(failure, format, file, io) {
    if (format === 'json') io.out(toJson({ file, valid: false, message: failure.message, errors: failure.errors }));
    else io.out([`invalid: ${failure.message}`, ...pathErrorLines(failure.errors)].join('\n') + '\n');
    return EXIT.dataError;
  },
  run(r) {
    const { io, format } = r;
    const file = r.rally.path;
    const { definition, facts, state, rules, warnings } = r.rally;
    const issues = dataIssues(state);
    const counts = countBySeverity(issues);
    const levelOf = (level: Confidence): string[] => RULE_KEYS.filter((k) => confidenceOf(rules[k]) === level);
    const unconfirmed = levelOf('unconfirmed');
    const shownByResults = levelOf('shownByResults');
    if (format === 'json') {
      io.out(toJson({
        file, valid: true,
        entries: definition.entries.length, stages: definition.stages.length, facts: facts.length,
        rules: { preset: rules.id, version: rules.version, unconfirmed, shownByResults },
        warnings, issueCounts: counts, issues: issuesJson(issues),
      }));
    } else {
      const lines = [`valid: ${definition.entries.length} entries, ${definition.stages.length} stages, ${facts.length} facts`];
      // NOTE: the keys themselves are in --format json and in docs/rules.md; here only the count, to stay on one screen.
      lines.push(`rules: ${rules.id} ${rules.version}, ${rules.name}` + (shownByResults.length ? `; ${shownByResults.length} values shown by published results (not the rulebook)` : '') + (unconfirmed.length ? `; ${unconfirmed.length} values unconfirmed by the rulebook` : ''));
      if (warnings.length) lines.push('', `file warnings: ${warnings.length}`, ...warnings.map((w) => `  ${w}`));
      lines.push('', issues.length
        ? `data-quality findings: ${issues.length} (${counts.error} error, ${counts.warning} warning, ${counts.info} info)`
        : 'data-quality findings: none');
      io.out(lines.join('\n') + '\n' + (issues.length ? issuesText(issues) : ''));
    }
    return counts.error > 0 ? EXIT.dataError : EXIT.ok;
  },
});
