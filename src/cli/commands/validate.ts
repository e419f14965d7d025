// `rallyhq validate <file>`: is this a rally file rallyhq can score, and what
// in its data needs an official's attention? Reads the rally file; writes stdout.
import type { CliCommand } from '../command.ts';
import { EXIT, formatFlag, parseFlags, usageError } from '../args.ts';
import { loadRally } from '../load-rally.ts';
import { dataIssues } from '../../core/scoring/index.ts';
import { countBySeverity, issuesJson, issuesText } from '../format/issues.ts';
import { toJson } from '../format/json.ts';

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

export const command: CliCommand = {
  name: 'validate',
  summary: 'check a rally file: every error by JSON path, then data-quality findings',
  usage,
  async run(args, io) {
    const flags = parseFlags(args, { format: { type: 'string', short: 'f' } });
    if (!flags.ok) return usageError(io, command, flags.message);
    const [file, ...extra] = flags.positionals;
    if (!file) return usageError(io, command, 'missing <file>: give the path of a rally file');
    if (extra.length) return usageError(io, command, `unexpected argument '${extra[0]}'`);
    const format = formatFlag(flags.values.format, ['text', 'json'] as const);
    if (!format.ok) return usageError(io, command, format.message);

    const loaded = await loadRally(file, io.cwd);
    if (!loaded.ok) {
      if (format.format === 'json') io.out(toJson({ file, valid: false, message: loaded.message, errors: loaded.errors }));
      else io.out([`invalid: ${loaded.message}`, ...loaded.errors.map((e) => `  ${e.path || '(file)'}: ${e.message}`)].join('\n') + '\n');
      return EXIT.dataError;
    }
    const { definition, facts, state, rules, warnings } = loaded.rally;
    const issues = dataIssues(state);
    const counts = countBySeverity(issues);
    const unconfirmed = Object.entries(rules).filter(([, v]) => v && typeof v === 'object' && 'confirmed' in v && v.confirmed === false).map(([k]) => k);
    if (format.format === 'json') {
      io.out(toJson({
        file, valid: true,
        entries: definition.entries.length, stages: definition.stages.length, facts: facts.length,
        rules: { preset: rules.id, version: rules.version, unconfirmed },
        warnings, issueCounts: counts, issues: issuesJson(issues),
      }));
    } else {
      const lines = [`valid: ${definition.entries.length} entries, ${definition.stages.length} stages, ${facts.length} facts`];
      // NOTE: the keys themselves are in --format json and in docs/rules.md; here only the count, to stay on one screen.
      lines.push(`rules: ${rules.id} ${rules.version}, ${rules.name}` + (unconfirmed.length ? `; ${unconfirmed.length} values unconfirmed by the rulebook` : ''));
      if (warnings.length) lines.push('', `file warnings: ${warnings.length}`, ...warnings.map((w) => `  ${w}`));
      lines.push('', issues.length
        ? `data-quality findings: ${issues.length} (${counts.error} error, ${counts.warning} warning, ${counts.info} info)`
        : 'data-quality findings: none');
      io.out(lines.join('\n') + '\n' + (issues.length ? issuesText(issues) : ''));
    }
    return counts.error > 0 ? EXIT.dataError : EXIT.ok;
  },
};
