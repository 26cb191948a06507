/**
 * Runs `node bot/kefu.js ARGS` as a child process, the way a user runs it from a terminal: its
 * own event loop, exit code and streams. Each run gets a fresh data directory unless one is
 * given, and an environment with nothing from the test process but PATH and HOME, so a stray
 * DATABASE_URL or RULES_FILE cannot change what the command does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './kefuHarness.js';

export const KEFU = path.join(ROOT, 'bot', 'kefu.js');

/**
 * The environment that makes `bot/kefu.js` run the TypeScript sources through tsx instead of the
 * build in dist/: tests check the sources as they are, without a build before each run
 * (test/build/ checks the built command itself).
 */
export const FROM_SOURCE = { KEFU_FROM_SOURCE: '1' } as const;

export interface KefuRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface KefuOptions {
  dataDir?: string;
  env?: Record<string, string>;
  input?: string;
  /** Stop reading stdout after the first chunk and close the pipe, as `| head -1` does. */
  closeAfterFirstChunk?: boolean;
  timeoutMs?: number;
}

export function freshDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kefu-cli-'));
}

export function kefuEnv(dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? os.tmpdir(),
    KEFU_DATA_DIR: dataDir,
    ...FROM_SOURCE,
    ...env,
  };
}

export function runKefu(args: string[], options: KefuOptions = {}): Promise<KefuRun> {
  const child = spawn(process.execPath, [KEFU, ...args], {
    cwd: ROOT,
    env: kefuEnv(options.dataDir ?? freshDataDir(), options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (options.closeAfterFirstChunk) child.stdout.destroy();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => undefined); // a command that never reads stdin may exit first
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
