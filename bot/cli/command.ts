/**
 * What every `kefu` subcommand looks like. Commands take their streams as parameters so that
 * tests can run them in-process and read what they print.
 */
import type { Readable, Writable } from 'node:stream';
import { loadConfig, type Config } from '../config.js';
import { KefuError } from '../../lib/errors.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Environment, so tests can pass their own. */
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** One line for `kefu help`. */
  summary: string;
  /** Longer usage text for `kefu help COMMAND`. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A usage error: main prints it with the command's usage and exits 2. */
export class UsageError extends KefuError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** By name as well as class: under some loaders a lazily imported command sees its own copy of this module. */
export function isUsageError(err: unknown): err is UsageError {
  return err instanceof UsageError || (err instanceof Error && err.name === 'UsageError');
}

/**
 * The configuration a command runs with: the environment (plus a `.env` file when it is the
 * process's own), then the command's `overrides`. Throws ConfigError on a bad value.
 */
export async function commandConfig(io: CliIo, overrides: Record<string, string> = {}): Promise<Config> {
  if (io.env === process.env) (await import('dotenv')).config({ quiet: true });
  return loadConfig({ ...io.env, ...overrides });
}
