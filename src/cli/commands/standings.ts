// Placeholder until the `standings` command lands.
import type { CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'standings',
  summary: '(standings: not available yet)',
  usage: 'rallyhq standings',
  async run(_args, io) {
    io.err('rallyhq standings is not available yet');
    return 2;
  },
};
