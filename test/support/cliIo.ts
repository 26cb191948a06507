/** Streams for running a `kefu` command in-process and reading what it printed. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../bot/cli/command.js';

export function captureIo(
  input = '',
  env: NodeJS.ProcessEnv = {},
): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = new PassThrough();
  stdin.end(input);
  return { io: { stdin, stdout, stderr, env }, out: () => out, err: () => err };
}
