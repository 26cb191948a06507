/**
 * The real `kefu serve` as a child process, for tests where a crash must be seen as a crash: a
 * request that kills the process kills the child, and the test sees it exit. The child gets its
 * own data directory and its own system temp directory (TMPDIR), so a test can also tell
 * whether anything was written outside the data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './kefuHarness.js';
import { FROM_SOURCE } from './runKefu.js';

export interface KefuProcess {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** The child's system temp directory (its TMPDIR). */
  tmpDir: string;
  /**
   * Files in the child's temp directory other than tsx's compile cache (tests run kefu's sources
   * through tsx, which caches compiled modules there, whatever the requests): what requests wrote.
   */
  tempFiles(): string[];
  /** Everything the child printed (stdout and stderr). */
  output(): string;
  /** Exit code or signal once it exited; undefined while it runs. */
  exited(): string | undefined;
  /** Resident memory of the child in bytes (from /proc). */
  rss(): number;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s); the directories stay. */
  stop(): Promise<void>;
  /** Stops it and removes its directories. */
  close(): Promise<void>;
}

/** Every file under `dir` (relative paths), for "nothing was written here" checks. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(d, name);
      const r = path.join(rel, name);
      if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) walk(full, r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

export interface KefuProcessOptions {
  /** Reuse this data directory (e.g. to restart after an exit); default a fresh one. */
  dataDir?: string;
  /** Runs before the start with the data directory; returns more environment (e.g. files placed there). */
  prepare?: (dataDir: string) => Record<string, string>;
  /** Run the build in dist/ as users do (bot/kefu.js building it when out of date), not the sources through tsx. */
  compiled?: boolean;
}

export async function startKefuProcess(
  env: Record<string, string> = {},
  options: KefuProcessOptions = {},
): Promise<KefuProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'kefu-proc-data-'));
  const prepared = options.prepare?.(dataDir) ?? {};
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-proc-tmp-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bot/kefu.js'), 'serve', '--port', '0'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpDir,
      TMPDIR: tmpDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      KEFU_DATA_DIR: dataDir,
      RATE_LIMIT_CONVERSATION: '0',
      RATE_LIMIT_ADDRESS: '0',
      ...(options.compiled ? {} : FROM_SOURCE),
      ...env,
      ...prepared,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exit: string | undefined;
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code);
      resolve();
    }),
  );
  const deadline = Date.now() + 60_000;
  let port: string | undefined;
  while (port === undefined) {
    if (exit !== undefined) throw new Error(`kefu exited during start (${exit}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`kefu did not start in 60 s:\n${out}`);
    port = /localhost:(\d+)\/api\/messages/.exec(out)?.[1];
    if (port === undefined) await new Promise((r) => setTimeout(r, 100));
  }
  const handle: KefuProcess = {
    url: `http://127.0.0.1:${port}`,
    child,
    dataDir,
    tmpDir,
    output: () => out,
    tempFiles: () => filesUnder(tmpDir).filter((f) => !/^tsx-\d+\//.test(f)),
    exited: () => exit,
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
    },
    async stop() {
      if (exit !== undefined) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(killer);
    },
    async close() {
      await handle.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(tmpDir, { recursive: true, force: true });
    },
  };
  return handle;
}
