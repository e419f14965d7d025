// One file per subcommand under src/cli/commands/, each exporting a `command`.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Working directory the command resolves relative paths against. */
  cwd: string;
}

export interface CliCommand {
  name: string;
  /** One line for `rallyhq --help`. */
  summary: string;
  /** Full usage text for `rallyhq <name> --help`: what it reads and writes. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}
