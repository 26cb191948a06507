/**
 * `kefu rules check|test|explain [FILE]` and `kefu rules diff OLD NEW` (in bot/lead/rulesDiffCommand.ts): the
 * support lead's tools for the rule table.
 * Output is plain text a person can read (positions first, so editors can jump to them);
 * `--json` prints one JSON document for scripts. Exit 1 on errors or failing tests.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkEvidencePlan } from '../../domain/evidenceCheck.js';
import { loadEvidencePlan } from '../../domain/evidencePlan.js';
import {
  formatDiagnostic,
  loadTable,
  parseFacts,
  runTableTests,
  RuleTableError,
  type CompiledTable,
  type Decision,
  type Diagnostic,
} from '../../rules/index.js';
import { UsageError, type CliIo, type Command } from './command.js';

const USAGE = `Usage: kefu rules check   [FILE] [--json]   validate and lint the table (exit 1 on errors)
       kefu rules test    [FILE] [--json]   run the test cases beside it (FILE.tests.yaml)
       kefu rules explain [FILE] --facts '<json>' [--json]
                                            show the decision and why each earlier row did not match
       kefu rules diff    OLD NEW [--json]  replay every stored case through OLD and NEW; show the
                                            cases that would end differently and the money involved
                                            (cases from the configured store: $KEFU_DATA_DIR's SQLite
                                            file, or PostgreSQL with DATABASE_URL and REDIS_URL)

FILE defaults to $RULES_FILE or data/rules.yaml.
Example: kefu rules explain --facts '{"complaint":"damaged_packaging","category":"daily_chemical","evidence":["photo_item"],"order_amount":59,"hours_since_delivery":24}'`;

type Sub = 'check' | 'test' | 'explain';

export const rulesCommand: Command = {
  summary: 'check, test, explain and diff the remedy rule table',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, facts: { type: 'string' } },
    });
    const [sub, fileArg, ...extra] = positionals;
    if (sub === 'diff')
      return (await import('../lead/rulesDiffCommand.js')).rulesDiff(positionals.slice(1), values.json, io);
    if (sub !== 'check' && sub !== 'test' && sub !== 'explain')
      throw new UsageError(`expected check, test, explain or diff, got '${sub ?? ''}'`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const file = fileArg ?? (io.env.RULES_FILE || 'data/rules.yaml');
    let table: CompiledTable;
    try {
      table = loadTable(file);
    } catch (err) {
      if (!(err instanceof RuleTableError)) throw err;
      return report(io, values.json, sub, { ok: false, file, diagnostics: err.diagnostics }, () => {
        for (const d of err.diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
        io.stdout.write(`\n✗ ${file}: ${count(err.diagnostics.length, 'error')}; the table cannot be used\n`);
      });
    }
    if (sub === 'check') return check(io, values.json, table);
    if (sub === 'test') return test(io, values.json, table);
    if (values.facts === undefined) throw new UsageError("explain needs --facts '<json>'");
    return explain(io, values.json, table, values.facts);
  },
};

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function report(
  io: CliIo,
  json: boolean,
  _sub: Sub,
  doc: { ok: boolean; [key: string]: unknown },
  text: () => void,
): number {
  if (json) io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else text();
  return doc.ok ? 0 : 1;
}

function summary(t: CompiledTable): string {
  const def = t.model.defaultRow ? `default ${t.model.defaultRow.id}` : 'no default row';
  return `${count(t.ruleIds.length, 'row')} (hit policy ${t.hitPolicy}), ${def}, ${count(t.tests.length, 'test')}, hash ${t.hash}`;
}

/** The evidence plan beside the table (`evidence.yaml` in the same folder), when there is one. */
function evidenceFindings(t: CompiledTable): Diagnostic[] {
  const planFile = path.join(path.dirname(t.file), 'evidence.yaml');
  if (!existsSync(planFile)) return [];
  return checkEvidencePlan(t.model, loadEvidencePlan(planFile), planFile);
}

function check(io: CliIo, json: boolean, t: CompiledTable): number {
  const diagnostics: Diagnostic[] = [...t.warnings, ...evidenceFindings(t)];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return report(
    io,
    json,
    'check',
    { ok: errors === 0, file: t.file, hash: t.hash, rows: t.ruleIds.length, diagnostics },
    () => {
      for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
      const warnings = count(diagnostics.length - errors, 'warning');
      io.stdout.write(
        errors === 0
          ? `✓ ${t.file}: ${summary(t)}; no errors, ${warnings}\n`
          : `✗ ${t.file}: ${count(errors, 'error')}, ${warnings}\n`,
      );
    },
  );
}

function test(io: CliIo, json: boolean, t: CompiledTable): number {
  const results = runTableTests(t, t.tests);
  const failed = results.filter((r) => !r.ok);
  const ok = failed.length === 0 && t.tests.length > 0;
  const doc = {
    ok,
    file: t.file,
    hash: t.hash,
    passed: results.length - failed.length,
    failed: failed.map((r) => ({
      name: r.test.name,
      file: r.test.file,
      line: r.test.pos.line,
      column: r.test.pos.column,
      rule: r.test.expect.rule,
      got: r.decision.ruleId,
      failures: r.failures,
    })),
  };
  return report(io, json, 'test', doc, () => {
    for (const r of results) io.stdout.write(`${r.ok ? '  ✓' : '  ✗'} ${r.test.name} → ${r.decision.ruleId}\n`);
    for (const r of failed)
      io.stdout.write(
        `\n${r.test.file}:${r.test.pos.line}:${r.test.pos.column}: test '${r.test.name}' failed\n${r.failures.map((f) => `    ${f}`).join('\n')}\n`,
      );
    if (t.tests.length === 0)
      io.stdout.write(`✗ ${t.file}: no test cases (expected them in a .tests.yaml file beside the table)\n`);
    else
      io.stdout.write(
        `\n${failed.length === 0 ? '✓' : '✗'} ${count(results.length - failed.length, 'test')} passed, ${failed.length} failed (table ${t.hash})\n`,
      );
  });
}

function outcomeLine(d: Decision): string {
  const parts = [`remedy ${d.remedy}`];
  if (d.refund_pct !== undefined) parts.push(`refund ${d.refund_pct}%`);
  if (d.return_shipping_paid_by) parts.push(`return shipping paid by ${d.return_shipping_paid_by}`);
  if (d.compensation_amount !== undefined)
    parts.push(`${d.compensation?.label ?? ''} compensation ¥${d.compensation_amount}`.trim());
  if (d.express_refund) parts.push('express refund');
  parts.push(
    d.escalate
      ? `escalate to a person (priority ${d.priority ?? '-'}, ${d.escalate_reason ?? 'no reason given'})`
      : 'no escalation',
  );
  if (d.pending_approval)
    parts.push(
      `pending a person's approval (${d.pending_approval.join(', ')}): the shopper is told it is under review, not the amount`,
    );
  return parts.join(', ');
}

/** Bad facts are the caller's mistake: exit 2 like a usage error, without the whole usage text. */
function factsError(io: CliIo, message: string): number {
  io.stderr.write(`kefu rules explain: ${message}\n`);
  return 2;
}

function explain(io: CliIo, json: boolean, t: CompiledTable, factsJson: string): number {
  let raw: unknown;
  try {
    raw = JSON.parse(factsJson);
  } catch (err) {
    return factsError(io, `--facts is not valid JSON (${(err as Error).message})`);
  }
  const facts = parseFacts(raw);
  if (!facts.ok) return factsError(io, `--facts: ${facts.errors.map((e) => e.message).join('; ')}`);
  const { decision, rows } = t.explainMiss(facts.facts);
  return report(io, json, 'explain', { ok: true, facts: facts.facts, decision, rows }, () => {
    const row = t.model.rows.find((r) => r.id === decision.ruleId) ?? t.model.defaultRow;
    io.stdout.write(
      `Decision: ${decision.ruleId}${row ? ` (${t.file}:${row.pos.line})` : ''}, table ${decision.tableHash}\n`,
    );
    io.stdout.write(`  ${outcomeLine(decision)}\n`);
    if (decision.matched.length > 0) io.stdout.write(`  because: ${decision.matched.join('; ')}\n`);
    if (decision.basis) io.stdout.write(`  basis: ${decision.basis}\n`);
    if (row?.source) io.stdout.write(`  source: ${row.source}\n`);
    io.stdout.write(`  zh-CN: ${decision.explain['zh-CN']}\n  en:    ${decision.explain.en}\n`);
    if (rows.length > 0) io.stdout.write('\nRows tried before it:\n');
    for (const r of rows) {
      const why = r.matched
        ? 'matched too (unique tables never get here)'
        : r.failed.map((f) => `${f.condition}, but found ${f.found}`).join('; ');
      io.stdout.write(`  ${r.ruleId.padEnd(16)} line ${String(r.line).padEnd(4)} ✗ ${why}\n`);
    }
  });
}
