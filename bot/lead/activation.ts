/**
 * The rule editing flow: preview an edited table (its errors with positions, or its impact on
 * every stored case), activate it, roll back to an earlier version. Activation writes the rules
 * file (atomically: a temporary file, then rename) and the hot-reload watcher picks it up, so a
 * table activated here and a file replaced by hand take the same path into service. Every new
 * serving table becomes a version in the store; the watcher's reload of a table activated here
 * is not recorded twice.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { diffTables, type TableDiff } from '../../rules/diff.js';
import {
  parseTable,
  parseTests,
  runTableTests,
  testFailures,
  testsFileFor,
  RuleTableError,
  type CompiledTable,
  type Diagnostic,
} from '../../rules/index.js';
import type { CaseStore } from '../../domain/cases.js';
import { loadReplaySet } from '../../domain/replay.js';
import { storedDiff, type ActivationKind, type RuleVersion, type RuleVersionStore } from './versions.js';
import { KefuError } from '../../lib/errors.js';

export interface Preview {
  table: CompiledTable;
  /** Tests beside the rules file that the new table fails: activation is refused until they pass. */
  failures: Diagnostic[];
  diff: TableDiff;
  /** Stored cases whose facts were incomplete, so they could not be replayed. */
  skipped: number;
}

export interface ActivationDeps {
  rulesFile: string;
  versions: RuleVersionStore;
  cases: CaseStore;
  /** The table serving now. */
  current: () => CompiledTable;
  now?: () => Date;
}

export class LeadError extends KefuError {
  declare readonly code: 'not_found' | 'conflict' | 'bad_request';

  constructor(code: 'not_found' | 'conflict' | 'bad_request', message: string) {
    super(code, message);
  }
}

export class RuleActivation {
  private readonly now: () => Date;
  /** Hashes written here whose reload the watcher has not reported yet. */
  private readonly pending = new Set<string>();

  constructor(private readonly deps: ActivationDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Checks the text as the watcher would (parse, lint, the tests beside the rules file) and
   * replays every stored case through the serving table and it. Throws RuleTableError with
   * every error's position when the table does not parse or lint; failing tests are returned,
   * so the lead sees the impact and what to fix together.
   */
  async preview(text: string, current: CompiledTable = this.deps.current()): Promise<Preview> {
    const { table, failures } = checkTable(text, this.deps.rulesFile);
    const replay = await loadReplaySet(this.deps.cases);
    return { table, failures, diff: diffTables(current, table, replay.cases), skipped: replay.skipped };
  }

  async activate(
    text: string,
    by: string,
    kind: ActivationKind = 'activate',
    restoredFrom?: number,
  ): Promise<RuleVersion> {
    const current = this.deps.current();
    const p = await this.preview(text, current);
    if (p.failures.length > 0) throw new RuleTableError(p.failures);
    if (p.table.hash === current.hash) throw new LeadError('conflict', `table ${p.table.hash} is already serving`);
    this.pending.add(p.table.hash);
    writeAtomically(this.deps.rulesFile, text);
    return this.deps.versions.add({
      hash: p.table.hash,
      by,
      at: this.now().toISOString(),
      kind,
      previousHash: current.hash,
      ...(restoredFrom === undefined ? {} : { restoredFrom }),
      text,
      diff: storedDiff(p.diff, p.skipped),
    });
  }

  async rollback(id: number, by: string): Promise<RuleVersion> {
    const v = await this.deps.versions.get(id);
    if (v === undefined) throw new LeadError('not_found', `no rule table version ${id}`);
    return this.activate(v.text, by, 'rollback', id);
  }

  /**
   * Records a table that started serving without `activate` (the file replaced by hand, or the
   * first start with an empty history). Its impact is measured against the last recorded version.
   */
  async recordServing(table: CompiledTable): Promise<RuleVersion | undefined> {
    if (this.pending.delete(table.hash)) return undefined;
    const last = await this.deps.versions.latest();
    if (last?.hash === table.hash) return undefined;
    let diff: RuleVersion['diff'];
    if (last !== undefined) {
      try {
        const before = parseTable(last.text, this.deps.rulesFile);
        const replay = await loadReplaySet(this.deps.cases);
        diff = storedDiff(diffTables(before, table, replay.cases), replay.skipped);
      } catch (err) {
        if (!(err instanceof RuleTableError)) throw err;
      }
    }
    return this.deps.versions.add({
      hash: table.hash,
      by: 'file',
      at: this.now().toISOString(),
      kind: 'file',
      ...(last === undefined ? {} : { previousHash: last.hash }),
      text: table.model.text,
      ...(diff === undefined ? {} : { diff }),
    });
  }
}

/**
 * Parses and lints `text` as `rulesFile` (throws RuleTableError on errors) and runs the tests
 * beside that file against it: the same bar the watcher sets before a table serves.
 */
export function checkTable(text: string, rulesFile: string): { table: CompiledTable; failures: Diagnostic[] } {
  const testsFile = testsFileFor(rulesFile);
  const tests = existsSync(testsFile)
    ? parseTests(readFileSync(testsFile, 'utf8'), testsFile)
    : { tests: [], diagnostics: [] };
  if (tests.diagnostics.length > 0) throw new RuleTableError(tests.diagnostics);
  const table = parseTable(text, rulesFile, { tests: tests.tests });
  return { table, failures: testFailures(runTableTests(table, table.tests)) };
}

function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
