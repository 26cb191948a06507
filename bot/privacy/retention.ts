/**
 * Retention: closed and abandoned cases (and the files only they used) are purged
 * `RETENTION_DAYS` after their last change. Runs shortly after start and then daily; `kefu purge`
 * runs the same purge by hand. A failed run is logged and retried at the next tick.
 */
import type { Logger } from '../log.js';
import type { ShopperData } from './shopperData.js';

export interface RetentionTimer {
  /** Runs one purge now (also what the timer does). */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startRetention(
  data: ShopperData,
  days: number,
  log: Logger,
  intervalMs = 24 * 3600 * 1000,
): RetentionTimer {
  let running: Promise<void> | undefined;
  const runOnce = (): Promise<void> => {
    running ??= data
      .purge(days)
      .then((r) => {
        if (r.cases > 0) log.info({ cases: r.cases, files: r.files, cutoff: r.cutoff }, 'retention: purged old cases');
      })
      .catch((err: unknown) => log.error({ err }, 'retention purge failed; will retry at the next run'))
      .finally(() => (running = undefined));
    return running;
  };
  if (days <= 0) return { runOnce: async () => undefined, stop: () => undefined };
  const first = setTimeout(() => void runOnce(), 60_000);
  const every = setInterval(() => void runOnce(), intervalMs);
  first.unref();
  every.unref();
  return {
    runOnce,
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
