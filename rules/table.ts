/**
 * A usable table: parse → check → lint → compile, once per load. `evaluate` always returns a
 * decision (the default row, or a built-in escalation when a table without one has no match);
 * `explainMiss` says why each row before the winner did not match, for `kefu rules explain`.
 */
import { readFileSync } from 'node:fs';
import { describeCell, matchCell } from './cells.js';
import { compileMatcher } from './compile.js';
import { decisionBuilder, formatValue, type DecisionBuilder } from './decision.js';
import { COMPLAINTS, type Complaint, type Decision, type EvidenceKind, type FactName, type Facts } from './facts.js';
import { lintModel } from './lint.js';
import { parseModel } from './parse.js';
import { loadTestsFor, type TableTest } from './tableTests.js';
import { RuleTableError, type Diagnostic, type Row, type TableModel } from './types.js';
import { isFactName } from './vocabulary.js';

export interface RowTrace {
  ruleId: string;
  line: number;
  matched: boolean;
  /** The conditions that failed, each with the value the facts had. */
  failed: { condition: string; found: string }[];
}

export interface Explanation {
  decision: Decision;
  /** Rows tried before the winner, in table order (all rows when the default decided). */
  rows: RowTrace[];
}

export interface Mentions {
  facts: FactName[];
  evidence: EvidenceKind[];
}

export interface CompiledTable {
  file: string;
  hash: string;
  hitPolicy: 'unique' | 'first';
  model: TableModel;
  /** Lint warnings (errors stop the load). */
  warnings: Diagnostic[];
  /** The test cases beside the table, when there is a tests file. */
  tests: readonly TableTest[];
  ruleIds: readonly string[];
  evaluate(facts: Facts): Decision;
  explainMiss(facts: Facts): Explanation;
  /** Evidence kinds and fact names some row's conditions mention, per complaint (for the evidence dialog). */
  mentions(complaint: Complaint): Mentions;
}

export interface ParseOptions {
  /** Test cases: rows none of them expects are reported as untested. */
  tests?: readonly TableTest[];
}

const NO_MATCH: Row = {
  id: 'NO-MATCH',
  index: -1,
  cells: [],
  outcome: { remedy: 'none', escalate: true, priority: 3, escalate_reason: 'no_rule' },
  explain: {
    'zh-CN': '这个情况需要人工客服处理，我们已为您转接。',
    en: 'This case needs a person; we have passed it to our service team.',
  },
  basis: 'built in: a table without a default row had no matching row',
  pos: { line: 1, column: 1 },
};

export function parseTable(text: string, file: string, options: ParseOptions = {}): CompiledTable {
  const { model, diagnostics } = parseModel(text, file);
  if (model === undefined) throw new RuleTableError(diagnostics);
  const tests = options.tests ?? [];
  const findings = lintModel(model, new Set(tests.map((t) => t.expect.rule)));
  const errors = findings.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new RuleTableError(errors);
  return compileTable(model, findings, tests);
}

/** Reads the table and its tests file (`X.yaml` → `X.tests.yaml`, optional). */
export function loadTable(file: string): CompiledTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RuleTableError([
      {
        file,
        line: 1,
        column: 1,
        severity: 'error',
        code: 'read',
        message: `cannot read the table (${(err as Error).message})`,
      },
    ]);
  }
  const tests = loadTestsFor(file);
  const testErrors = tests?.diagnostics ?? [];
  let table: CompiledTable;
  try {
    table = parseTable(text, file, { tests: tests?.tests ?? [] });
  } catch (err) {
    if (err instanceof RuleTableError) throw new RuleTableError([...err.diagnostics, ...testErrors]);
    throw err;
  }
  if (testErrors.length > 0) throw new RuleTableError(testErrors);
  return table;
}

/** What a table is made from once it has been parsed and checked: plain data, kept by the start cache. */
export interface TableParts {
  model: TableModel;
  warnings: Diagnostic[];
  tests: readonly TableTest[];
}

export function partsOf(table: CompiledTable): TableParts {
  return { model: table.model, warnings: table.warnings, tests: table.tests };
}

/** The table from parts `parseTable` or `loadTable` checked before. */
export function tableFromParts(parts: TableParts): CompiledTable {
  return compileTable(parts.model, parts.warnings, parts.tests);
}

function compileTable(model: TableModel, warnings: Diagnostic[], tests: readonly TableTest[]): CompiledTable {
  const match = compileMatcher(model);
  const builders: DecisionBuilder[] = model.rows.map((r) => decisionBuilder(r, model.hash, model.approval));
  const fallback = decisionBuilder(model.defaultRow ?? NO_MATCH, model.hash, model.approval);
  const mentions = new Map(COMPLAINTS.map((c) => [c, mentionsOf(model, c)]));
  const evaluate = (facts: Facts): Decision => {
    const i = match(facts);
    return i < 0 ? fallback(facts) : builders[i]!(facts);
  };
  return {
    file: model.file,
    hash: model.hash,
    hitPolicy: model.hitPolicy,
    model,
    warnings,
    tests,
    ruleIds: model.rows.map((r) => r.id),
    evaluate,
    explainMiss: (facts) => explain(model, facts, evaluate(facts)),
    mentions: (c) => mentions.get(c) ?? { facts: [], evidence: [] },
  };
}

function explain(model: TableModel, facts: Facts, decision: Decision): Explanation {
  const rows: RowTrace[] = [];
  const values = facts as unknown as Record<string, unknown>;
  for (const row of model.rows) {
    if (row.id === decision.ruleId) break;
    const failed = row.cells
      .filter((c) => !matchCell(c.cond, values[c.input]))
      .map((c) => ({
        condition: describeCell(c.input, c.cond, c.text),
        found: values[c.input] === undefined ? 'not given' : formatValue(values[c.input]),
      }));
    rows.push({ ruleId: row.id, line: row.pos.line, matched: failed.length === 0, failed });
  }
  return { decision, rows };
}

function mentionsOf(model: TableModel, complaint: Complaint): Mentions {
  const facts = new Set<FactName>();
  const evidence = new Set<EvidenceKind>();
  for (const row of model.rows) {
    const cell = row.cells.find((c) => c.input === 'complaint');
    if (cell !== undefined && !matchCell(cell.cond, complaint)) continue;
    for (const c of row.cells) {
      if (c.input === 'complaint' || !isFactName(c.input)) continue;
      facts.add(c.input);
      if (c.cond.kind === 'set') for (const k of c.cond.members) evidence.add(k as EvidenceKind);
    }
  }
  return { facts: [...facts], evidence: [...evidence] };
}
