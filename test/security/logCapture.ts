/** A logger whose lines are kept in memory, so tests can read exactly what kefu logged. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../bot/log.js';

export interface CapturedLog {
  log: Logger;
  lines: () => string[];
  text: () => string;
}

export function captureLog(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      cb();
    },
  });
  return { log: createLogger(level, stream), lines: () => lines, text: () => lines.join('\n') };
}
