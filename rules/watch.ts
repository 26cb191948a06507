/**
 * Hot reload: watches the table file and its tests file; a new version replaces the serving
 * table only if it loads (validates and lints without errors) and passes its tests. Otherwise
 * the last good table keeps serving and the errors are logged with their positions.
 */
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { loadTable, type CompiledTable } from './table.js';
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

/** Loads the table and runs its tests; throws RuleTableError when either fails. */
export function loadVerifiedTable(file: string): CompiledTable {
  const table = loadTable(file);
  const failures = testFailures(runTableTests(table, table.tests));
  if (failures.length > 0) throw new RuleTableError(failures);
  return table;
}

/** Debounces bursts of file events (editors write, rename and chmod in quick succession). */
const SETTLE_MS = 40;

export function watchTable(file: string, log: WatchLog): TableWatch {
  const testsFile = testsFileFor(file);
  const contents = () => [file, testsFile].map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : '')).join('\0');
  let lastSeen = contents();
  let table = loadVerifiedTable(file);
  const reloaded: ((t: CompiledTable) => void)[] = [];
  const rejected: ((e: RuleTableError) => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

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
      for (const cb of reloaded) cb(next);
    } catch (err) {
      const e = err instanceof RuleTableError ? err : new RuleTableError([{ file, line: 1, column: 1, severity: 'error', code: 'read', message: String(err) }]);
      log.error({ file, serving: table.hash, errors: e.diagnostics.map(formatDiagnostic) }, 'rule table rejected; the last good table keeps serving');
      for (const cb of rejected) cb(e);
    }
  };
  const names = new Set([path.basename(file), path.basename(testsFile)]);
  const watcher: FSWatcher = watch(path.dirname(path.resolve(file)), (_event, name) => {
    if (name !== null && !names.has(name.toString())) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(reload, SETTLE_MS);
  });
  watcher.unref();

  return {
    current: () => table,
    close: () => {
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
    },
    onReload: (cb) => void reloaded.push(cb),
    onReject: (cb) => void rejected.push(cb),
  };
}
