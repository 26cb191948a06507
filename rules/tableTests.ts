/**
 * Test cases as data beside the table (`rules.yaml` → `rules.tests.yaml`): `given` facts →
 * `expect`ed rule id and outcome fields. Parsed with positions like the table; run by
 * `kefu rules test`, by `npm test` and before a hot reload is accepted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Decision, Facts } from './facts.js';
import { FACT_DEFAULTS, parseFacts } from './factsInput.js';
import { checkShape, compileSchema } from './schemaCheck.js';
import type { Diagnostic, Pos } from './types.js';
import { nodePos, nodeAt, parseYaml } from './yamlSource.js';

export interface TableTest {
  name: string;
  facts: Facts;
  /** `rule` plus any Decision fields to compare. */
  expect: { rule: string } & Partial<Record<string, unknown>>;
  file: string;
  pos: Pos;
}

export interface TestResult {
  test: TableTest;
  ok: boolean;
  decision: Decision;
  /** One line per field that differs: "remedy: expected refund, got reject". */
  failures: string[];
}

const EXPECT_FIELDS = [
  'remedy',
  'refund_pct',
  'return_shipping_paid_by',
  'compensation',
  'express_refund',
  'escalate',
  'priority',
  'escalate_reason',
  'compensation_amount',
  'pending_approval',
  'basis',
];

const schema = compileSchema({
  type: 'object',
  additionalProperties: false,
  required: ['tests'],
  properties: {
    defaults: { type: 'object' },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'given', 'expect'],
        properties: {
          name: { type: 'string' },
          given: { type: 'object' },
          expect: {
            type: 'object',
            required: ['rule'],
            additionalProperties: false,
            properties: Object.fromEntries(['rule', ...EXPECT_FIELDS].map((k) => [k, {}])),
          },
        },
      },
    },
  },
});

export function testsFileFor(tableFile: string): string {
  return tableFile.replace(/(\.ya?ml)?$/, '.tests.yaml');
}

export function parseTests(text: string, file: string): { tests: TableTest[]; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = parseYaml(text, file);
  if (diagnostics.length > 0) return { tests: [], diagnostics };
  const value: unknown = source.doc.toJS();
  const shape = checkShape(source, value, schema);
  if (shape.length > 0) return { tests: [], diagnostics: shape };
  const raw = value as {
    defaults?: Record<string, unknown>;
    tests: { name: string; given: Record<string, unknown>; expect: TableTest['expect'] }[];
  };
  const defaults = { ...FACT_DEFAULTS, ...raw.defaults };
  const tests: TableTest[] = [];
  const out: Diagnostic[] = [];
  raw.tests.forEach((t, n) => {
    const pos = nodePos(source, nodeAt(source, ['tests', n]));
    const facts = parseFacts(t.given, defaults as Partial<Facts>);
    if (!facts.ok) {
      for (const e of facts.errors) {
        const at = nodePos(source, nodeAt(source, ['tests', n, 'given', ...(e.fact ? [e.fact] : [])]));
        out.push({
          file,
          ...at,
          ruleId: t.expect.rule,
          severity: 'error',
          code: 'bad_test',
          message: `test '${t.name}': ${e.message}`,
        });
      }
      return;
    }
    tests.push({ name: t.name, facts: facts.facts, expect: t.expect, file, pos });
  });
  return { tests, diagnostics: out };
}

export function loadTestsFor(tableFile: string): { tests: TableTest[]; diagnostics: Diagnostic[] } | undefined {
  const file = testsFileFor(tableFile);
  if (!existsSync(file)) return undefined;
  return parseTests(readFileSync(file, 'utf8'), file);
}

export function runTableTests(table: { evaluate(f: Facts): Decision }, tests: readonly TableTest[]): TestResult[] {
  return tests.map((test) => {
    const decision = table.evaluate(test.facts);
    const failures: string[] = [];
    const got = decision as unknown as Record<string, unknown>;
    if (decision.ruleId !== test.expect.rule)
      failures.push(`rule: expected ${test.expect.rule}, got ${decision.ruleId}`);
    for (const key of EXPECT_FIELDS) {
      if (!(key in test.expect)) continue;
      const want = test.expect[key];
      // An expected `false` also accepts an absent flag (rows need not spell out express_refund: false).
      const have = got[key] === undefined && want === false ? false : got[key];
      if (!isDeepStrictEqual(have, want))
        failures.push(`${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got[key])}`);
    }
    return { test, ok: failures.length === 0, decision, failures };
  });
}

/** Failing tests as diagnostics at the test's position. */
export function testFailures(results: readonly TestResult[]): Diagnostic[] {
  return results
    .filter((r) => !r.ok)
    .map((r) => ({
      file: r.test.file,
      ...r.test.pos,
      ruleId: r.test.expect.rule,
      severity: 'error' as const,
      code: 'test_failed',
      message: `test '${r.test.name}' failed: ${r.failures.join('; ')}`,
    }));
}
