/** `kefu serve`: not built yet. */
import type { Command } from './command.js';

export const serveCommand: Command = {
  summary: '(not built yet)',
  usage: 'kefu serve: not built yet',
  async run(_args, io) {
    io.stderr.write('kefu serve: not built yet\n');
    return 1;
  },
};
