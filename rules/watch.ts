/**
 * Hot reload: watches the table file and its tests file; a new version replaces the serving
 * table only if it loads (validates and lints without errors) and passes its tests. Otherwise
 * the last good table keeps serving and the errors are logged with their positions. No file
 * system surprise stops the serving table: a file deleted, replaced by a directory or made
 * unreadable is a rejected edit; the watched directory vanishing is logged and watched again
 * once it is back.
 */
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { derivedFromFiles } from '../lib/startCache.js';
import { loadTable, partsOf, tableFromParts, type CompiledTable } from './table.js';
import { runTableTests, testFailures, testsFileFor } from './tableTests.js';
import { RuleTableError, formatDiagnostic } from './types.js';

export interface WatchLog {
  info(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

export interface TableWatch {
  current(): CompiledTable;
  close(): void;
  onReload(cb: (t: CompiledTable) => void): void;
  /** Called with the errors of a rejected edit (the old table keeps serving). */
  onReject(cb: (err: RuleTableError) => void): void;
}

/**
 * Loads the table and runs its tests; throws RuleTableError when either fails. From the build,
 * a table already verified with exactly these bytes (table and tests) comes from the start cache.
 */
export function loadVerifiedTable(file: string): CompiledTable {
  let loaded: CompiledTable | undefined;
  const parts = derivedFromFiles('rule-table', [file, testsFileFor(file)], () => {
    loaded = loadTable(file);
    const failures = testFailures(runTableTests(loaded, loaded.tests));
    if (failures.length > 0) throw new RuleTableError(failures);
    return partsOf(loaded);
  });
  return loaded ?? tableFromParts(parts);
}

/** Debounces bursts of file events (editors write, rename and chmod in quick succession). */
const SETTLE_MS = 40;
/** How often a watch that failed (its directory gone) is tried again. */
const REWATCH_MS = 1_000;

/** What a file holds now, or why it cannot be read: any change of either makes a reload. */
function snapshot(file: string): string {
  try {
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  } catch (err) {
    return `\0unreadable:${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}

export function watchTable(file: string, log: WatchLog, options: { rewatchMs?: number } = {}): TableWatch {
  const testsFile = testsFileFor(file);
  const contents = () => [file, testsFile].map(snapshot).join('\0');
  let lastSeen = contents();
  let table = loadVerifiedTable(file);
  const reloaded: ((t: CompiledTable) => void)[] = [];
  const rejected: ((e: RuleTableError) => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

  // A listener's mistake must not stop the watch (it runs from a timer: a throw would be uncaught).
  const notify = <T>(cb: (value: T) => void, value: T): void => {
    try {
      cb(value);
    } catch (err) {
      log.error({ file, err: String(err) }, 'a rule table listener failed');
    }
  };
  const reload = () => {
    timer = undefined;
    const now = contents();
    if (now === lastSeen) return;
    lastSeen = now;
    try {
      const next = loadVerifiedTable(file);
      const previous = table.hash;
      table = next;
      log.info({ file, hash: next.hash, previous, warnings: next.warnings.length }, 'rule table reloaded');
      for (const cb of reloaded) notify(cb, next);
    } catch (err) {
      const e =
        err instanceof RuleTableError
          ? err
          : new RuleTableError([{ file, line: 1, column: 1, severity: 'error', code: 'read', message: String(err) }]);
      log.error(
        { file, serving: table.hash, errors: e.diagnostics.map(formatDiagnostic) },
        'rule table rejected; the last good table keeps serving',
      );
      for (const cb of rejected) notify(cb, e);
    }
  };
  const names = new Set([path.basename(file), path.basename(testsFile)]);
  const dir = path.dirname(path.resolve(file));
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(reload, SETTLE_MS);
  };
  let watcher: FSWatcher | undefined;
  let rewatch: NodeJS.Timeout | undefined;
  let closed = false;
  const restart = (why: string): void => {
    log.error(
      { file, serving: table.hash, reason: why },
      'rule table watch failed; the last good table keeps serving, watching again',
    );
    watcher?.close();
    watcher = undefined;
    if (rewatch === undefined && !closed) {
      rewatch = setTimeout(startWatching, options.rewatchMs ?? REWATCH_MS);
      rewatch.unref();
    }
  };
  const startWatching = (): void => {
    rewatch = undefined;
    if (closed) return;
    try {
      watcher = watch(dir, (_event, name) => {
        // The directory was removed or replaced: the old handle would see nothing any more.
        if (!existsSync(dir)) return restart('the directory is gone');
        if (name === null || names.has(name.toString())) schedule();
      });
    } catch {
      rewatch = setTimeout(startWatching, options.rewatchMs ?? REWATCH_MS);
      rewatch.unref();
      return;
    }
    watcher.unref();
    watcher.on('error', (err) => restart(String(err)));
    // Whatever happened while nobody watched.
    schedule();
  };
  startWatching();
  if (watcher === undefined) {
    closed = true;
    clearTimeout(rewatch);
    throw new Error(`cannot watch ${dir} for rule table changes`);
  }

  return {
    current: () => table,
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (rewatch !== undefined) clearTimeout(rewatch);
      watcher?.close();
    },
    onReload: (cb) => void reloaded.push(cb),
    onReject: (cb) => void rejected.push(cb),
  };
}
