/**
 * Copies the embedded SQLite file's write-ahead log back into the database from a worker thread,
 * on its own connection, every `intervalMs`. Without it, whichever turn's commit crosses SQLite's
 * auto-checkpoint mark does the copying and the fsync on the event loop, stalling every
 * conversation for that long. The main connection keeps a higher auto-checkpoint mark
 * (`SAFETY_PAGES`) in case the worker is gone.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDb } from './sqliteDb.js';

/** Pages of log (4 KiB each) after which the main connection checkpoints itself anyway. */
export const SAFETY_PAGES = 8000;

export interface WalCheckpointer {
  /** Runs one checkpoint now and resolves with the log pages copied (for tests and shutdown). */
  checkpoint(): Promise<number>;
  stop(): Promise<void>;
}

// Plain CommonJS run by the worker (`eval`), so it needs no TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const run = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    return { copied: row ? row.checkpointed : 0 };
  } catch (err) {
    return { error: String((err && err.message) || err) };
  }
};
const timer = setInterval(() => {
  const r = run();
  if (r.error) parentPort.postMessage({ kind: 'failed', error: r.error });
}, workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg === 'checkpoint') parentPort.postMessage({ kind: 'done', ...run() });
  if (msg === 'stop') { clearInterval(timer); run(); db.close(); parentPort.close(); }
});
`;

export function startWalCheckpointer(
  db: SqliteDb,
  onError: (message: string) => void,
  intervalMs = 1000,
): WalCheckpointer {
  db.pragma(`wal_autocheckpoint = ${SAFETY_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, file: db.name, intervalMs } });
  // The periodic checkpoints alone must not keep a process alive, but an answer someone awaits
  // must: an unref'd worker lets the event loop empty before a CLI command's close resolves,
  // and the process exits (code 13) without printing its output. So the worker holds the loop
  // only while a `checkpoint()` or `stop()` is pending.
  worker.unref();
  let pending = 0;
  let gone = false;
  const hold = () => {
    if (pending++ === 0) worker.ref();
  };
  const release = () => {
    if (--pending === 0) worker.unref();
  };
  const waiting: ((copied: number) => void)[] = [];
  // 'failed': a periodic checkpoint; 'done': the answer to the oldest `checkpoint()` call.
  worker.on('message', (msg: { kind: 'failed' | 'done'; copied?: number; error?: string }) => {
    if (msg.error !== undefined) onError(msg.error);
    if (msg.kind === 'done') waiting.shift()?.(msg.copied ?? 0);
  });
  worker.on('error', (err) => onError(err.message));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      gone = true;
      // Nobody will answer the calls still waiting: resolve them with nothing copied.
      for (const resolveCall of waiting.splice(0)) resolveCall(0);
      resolve();
    }),
  );
  return {
    checkpoint: () =>
      new Promise<number>((resolve) => {
        if (gone) return resolve(0);
        hold();
        waiting.push((copied) => {
          release();
          resolve(copied);
        });
        worker.postMessage('checkpoint');
      }),
    async stop() {
      if (!gone) {
        hold();
        worker.postMessage('stop');
      }
      await exited;
    },
  };
}
