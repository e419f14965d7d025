// Placeholder until the `stats` command lands.
import type { CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'stats',
  summary: '(stats: not available yet)',
  usage: 'rallyhq stats',
  async run(_args, io) {
    io.err('rallyhq stats is not available yet');
    return 2;
  },
};
