// Placeholder until the `demo` command lands.
import type { CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'demo',
  summary: '(demo: not available yet)',
  usage: 'rallyhq demo',
  async run(_args, io) {
    io.err('rallyhq demo is not available yet');
    return 2;
  },
};
