/** `kefu rules`: not built yet. */
import type { Command } from './command.js';

export const rulesCommand: Command = {
  summary: '(not built yet)',
  usage: 'kefu rules: not built yet',
  async run(_args, io) {
    io.stderr.write('kefu rules: not built yet\n');
    return 1;
  },
};
