/** `kefu train`: not built yet. */
import type { Command } from './command.js';

export const trainCommand: Command = {
  summary: '(not built yet)',
  usage: 'kefu train: not built yet',
  async run(_args, io) {
    io.stderr.write('kefu train: not built yet\n');
    return 1;
  },
};
