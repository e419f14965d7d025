// Placeholder until the `serve` command lands.
import type { CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'serve',
  summary: '(serve: not available yet)',
  usage: 'rallyhq serve',
  async run(_args, io) {
    io.err('rallyhq serve is not available yet');
    return 2;
  },
};
