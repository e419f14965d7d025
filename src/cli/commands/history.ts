// Placeholder until the `history` command lands.
import type { CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'history',
  summary: '(history: not available yet)',
  usage: 'rallyhq history',
  async run(_args, io) {
    io.err('rallyhq history is not available yet');
    return 2;
  },
};
