/** `kefu classify`: not built yet. */
import type { Command } from './command.js';

export const classifyCommand: Command = {
  summary: '(not built yet)',
  usage: 'kefu classify: not built yet',
  async run(_args, io) {
    io.stderr.write('kefu classify: not built yet\n');
    return 1;
  },
};
