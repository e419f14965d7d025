// `rallyhq history`: bulk import of historical results from the CSV layout in
// docs/championships.md, with a progress bar, and the seeds rallyhq ships.
// Reads a CSV file; writes the history tables of the database (--db).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { CliCommand, CliIO } from '../command.ts';
import { EXIT, formatFlag, parseFlags, stringFlag, usageError } from '../args.ts';
import { toJson } from '../format/json.ts';
import { importCsvFile } from '../../store/history/csv-file.ts';
import { DEFAULT_DB_URL, openHistoryStore } from '../../store/history/open-history.ts';
import { seedSeasons } from '../../store/history/season-source.ts';
import type { HistoryStore, ImportProgress, ImportReport } from '../../store/history/types.ts';

const USAGE = `usage: rallyhq history import <file.csv> [--db URL] [--add-class CODE,…] [--format text|json]
       rallyhq history seed [--db URL]
       rallyhq history classes [--db URL]

import   Reads historical results (one crew result, championship result or
         stage result per line; layout in docs/championships.md) into the
         history database. Good lines land, bad lines are listed with their
         line number and reason; importing the same file again adds nothing.
         --add-class adds class codes the file uses before importing.
seed     Imports the cited seed history (Monte Carlo 1964–1967, Dakar cars
         2012–2015) and stores the seed seasons (ARA 2026).
classes  Lists the class codes the history knows.

--db URL   sqlite:<path> (default ${DEFAULT_DB_URL}) or postgres://…
Exit codes: 0 done (even with rejected lines: see the report), 1 unreadable
file or database (an import the database fails keeps nothing after its last
commit; import the file again once fixed), 2 bad command line.
`;

/** Opens the history database named by --db, or prints why it cannot. */
export async function openDbFlag(io: CliIO, commandName: string, value: string | boolean | undefined): Promise<HistoryStore | null> {
  const url = stringFlag(value) ?? process.env.RALLYHQ_DB ?? DEFAULT_DB_URL;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/|:memory:$)/.test(url)) {
    io.err(`rallyhq ${commandName}: --db '${url}' is not a database URL: use sqlite:<path>, :memory: or postgres://user@host/db\n`);
    return null;
  }
  try {
    return await openHistoryStore(url, io.cwd);
  } catch (e) {
    io.err(`rallyhq ${commandName}: cannot open ${url.replace(/:[^:@/]*@/, ':***@')}: ${e instanceof Error ? e.message : String(e)}\n`);
    return null;
  }
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A progress bar on a terminal; a line every so often in a pipe or a log. */
export function progressPrinter(io: CliIO, tty: boolean): { update: (p: ImportProgress) => void; done: () => void } {
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      const share = p.bytesTotal ? Math.min(1, (p.bytesRead ?? 0) / p.bytesTotal) : null;
      const text = `${p.linesRead.toLocaleString('en-US')} lines, ${p.imported.toLocaleString('en-US')} imported, ${p.rejected.toLocaleString('en-US')} rejected`;
      if (tty) {
        const width = 30;
        const bar = share === null ? '' : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${String(Math.floor(share * 100)).padStart(3)}% `;
        io.err(`\r${bar}${text}`);
        drawn = true;
      } else if (p.linesRead - lastLine >= 500_000 || (share !== null && share >= 1)) {
        lastLine = p.linesRead;
        io.err(`progress: ${share === null ? '' : `${Math.floor(share * 100)}%, `}${text}\n`);
      }
    },
    done() {
      if (drawn) io.err('\n');
    },
  };
}

export function reportText(file: string, r: ImportReport): string {
  const lines = [
    `${file}: ${r.linesRead.toLocaleString('en-US')} data lines read, ${r.imported.toLocaleString('en-US')} imported, ${r.alreadyStored.toLocaleString('en-US')} already stored, ${r.rejectedCount.toLocaleString('en-US')} rejected`,
    `${(r.elapsedMs / 1000).toFixed(1)} s, ${r.rowsPerSecond.toLocaleString('en-US')} rows/s`,
  ];
  if (r.rejected.length) {
    lines.push('', 'rejected lines:');
    for (const x of r.rejected) lines.push(`  line ${x.line}: ${x.code}: ${x.reason}`);
    if (r.rejectedCount > r.rejected.length) lines.push(`  … and ${(r.rejectedCount - r.rejected.length).toLocaleString('en-US')} more`);
  }
  return lines.join('\n') + '\n';
}

const SEED_FILES = ['history-monte-carlo-1964-1967.csv', 'history-dakar-cars-2012-2015.csv'];

export const command: CliCommand = {
  name: 'history',
  summary: 'import historical results (CSV) into the history database; seed it',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseFlags(args, { db: { type: 'string' }, 'add-class': { type: 'string' }, format: { type: 'string' } });
    if (!parsed.ok) return usageError(io, this, parsed.message);
    const [sub, file, ...extra] = parsed.positionals;
    const fmt = formatFlag(parsed.values.format, ['text', 'json'] as const);
    if (!fmt.ok) return usageError(io, this, fmt.message);
    if (sub !== 'import' && sub !== 'seed' && sub !== 'classes') return usageError(io, this, sub ? `unknown subcommand '${sub}': use import, seed or classes` : 'say what to do: import, seed or classes');
    if (sub === 'import' && !file) return usageError(io, this, 'give the CSV file to import: rallyhq history import <file.csv>');
    if (extra.length || (sub !== 'import' && file)) return usageError(io, this, `unexpected argument '${extra[0] ?? file}'`);
    const path = sub === 'import' ? resolve(io.cwd, file!) : '';
    if (sub === 'import' && !existsSync(path)) {
      io.err(`rallyhq history: cannot read ${file}: no such file\n`);
      return EXIT.dataError;
    }
    const store = await openDbFlag(io, 'history', parsed.values.db);
    if (!store) return EXIT.dataError;
    try {
      if (sub === 'classes') {
        for (const c of await store.classes()) io.out(`${c.code.padEnd(14)} ${c.name}\n`);
        return EXIT.ok;
      }
      const addClass = stringFlag(parsed.values['add-class']);
      if (addClass) await store.addClasses(addClass.split(',').map((c) => c.trim()).filter(Boolean).map((code) => ({ code, name: code })));
      const files = sub === 'seed' ? SEED_FILES.map((f) => fileURLToPath(new URL(`../../../seeds/${f}`, import.meta.url))) : [path];
      const reports: { file: string; report: ImportReport }[] = [];
      for (const f of files) {
        const progress = progressPrinter(io, fmt.format === 'text' && process.stderr.isTTY === true);
        let report: ImportReport;
        try {
          report = await importCsvFile(store, f, { today: todayUtc(), onProgress: progress.update, progressEvery: 20_000 });
        } catch (e) {
          progress.done();
          // Database and file errors carry a code (SQLSTATE, SQLITE_…, E…); anything else is a bug and goes on up.
          if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== 'string') throw e;
          io.err(`rallyhq history: import of ${sub === 'seed' ? f.split(/[\\/]/).pop() : file} failed: ${e.message}; the lines since the last commit were not kept, import the file again once fixed (lines already stored are not added twice)\n`);
          return EXIT.dataError;
        }
        progress.done();
        reports.push({ file: sub === 'seed' ? `seeds/${f.split(/[\\/]/).pop()}` : file!, report });
      }
      if (sub === 'seed') {
        for (const season of await seedSeasons()) await store.putSeason(season, new Date().toISOString());
      }
      if (fmt.format === 'json') {
        const flat = reports.map((r) => ({ file: r.file, ...r.report }));
        io.out(toJson(flat.length === 1 ? flat[0] : flat));
      }
      else for (const r of reports) io.out(reportText(r.file, r.report));
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
