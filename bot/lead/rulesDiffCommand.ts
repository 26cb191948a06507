/**
 * `kefu rules diff OLD NEW [--json]`: replays every stored case's facts through two tables and
 * prints the impact report. Either table failing to load is refused with every error's
 * position (exit 1), before any case is read.
 */
import { diffTables, formatDiff } from '../../rules/diff.js';
import { formatDiagnostic, loadTable, RuleTableError, type CompiledTable } from '../../rules/index.js';
import type { CliIo } from '../cli/command.js';
import { withStores } from './cliStores.js';
import { loadReplaySet } from '../../domain/replay.js';

function load(file: string, role: string, io: CliIo, json: boolean): CompiledTable | undefined {
  try {
    return loadTable(file);
  } catch (err) {
    if (!(err instanceof RuleTableError)) throw err;
    if (json)
      io.stdout.write(`${JSON.stringify({ ok: false, table: role, file, diagnostics: err.diagnostics }, null, 2)}\n`);
    else {
      for (const d of err.diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
      io.stdout.write(
        `\n✗ ${role} table ${file}: ${err.diagnostics.length} error${err.diagnostics.length === 1 ? '' : 's'}; nothing was replayed\n`,
      );
    }
    return undefined;
  }
}

export async function rulesDiff(files: string[], json: boolean, io: CliIo): Promise<number> {
  // Exit 2 like a usage error, without throwing one: this module is loaded lazily, and a class
  // from a second module instance would not be recognised by the dispatcher.
  if (files.length !== 2) {
    io.stderr.write(
      `kefu rules diff: diff needs two tables, OLD and NEW (got ${files.length})\nUsage: kefu rules diff OLD NEW [--json]\n`,
    );
    return 2;
  }
  const [oldFile, newFile] = files as [string, string];
  const before = load(oldFile, 'OLD', io, json);
  if (before === undefined) return 1;
  const after = load(newFile, 'NEW', io, json);
  if (after === undefined) return 1;
  const replay = await withStores(io.env, (stores) => loadReplaySet(stores.cases));
  const diff = diffTables(before, after, replay.cases);
  if (json)
    io.stdout.write(
      `${JSON.stringify({ ok: true, old: oldFile, new: newFile, skipped: replay.skipped, ...diff }, null, 2)}\n`,
    );
  else io.stdout.write(formatDiff(diff, replay.skipped));
  return 0;
}
