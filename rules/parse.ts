/**
 * From table text to a typed `TableModel`: YAML with positions, then ajv for structure, then
 * every declaration and cell checked against the fact vocabulary. All errors are collected
 * (never a silently skipped row) so a support lead sees every mistake in one run.
 */
import { createHash } from 'node:crypto';
import { isMap, isScalar, type Node } from 'yaml';
import type { Compensation } from './facts.js';
import { parseCell } from './cells.js';
import { checkTableShape } from './schemaCheck.js';
import type {
  Approval,
  Cell,
  Diagnostic,
  InputDecl,
  InputKind,
  LocalText,
  Pos,
  Row,
  RowOutcome,
  TableModel,
} from './types.js';
import { FACT_NAMES, FACT_SPECS, OUTCOME_PLACEHOLDERS, isFactName } from './vocabulary.js';
import { keyAt, nodeAt, nodePos, parseYaml, posAt, type PathSeg, type YamlSource } from './yamlSource.js';

interface RawInput {
  values?: string[];
  type?: 'boolean';
  range?: [number, number];
  set?: string[];
}
interface RawRow {
  id: string;
  when?: Record<string, unknown> | null;
  then: Omit<RowOutcome, 'refund_pct' | 'refund_pct_from'> & { refund_pct?: number | { fact: string; times?: number } };
  explain: LocalText;
  basis: string;
  source?: string;
}
interface RawTable {
  hit_policy: 'unique' | 'first';
  inputs: Record<string, RawInput>;
  approval?: { payout_over?: number; repeat_claims_over?: number; priority?: number; explain: LocalText };
  rules: RawRow[];
  default?: RawRow;
}

/** A table without an `approval` block still sends statutory compensation to a person (the law's money is never automatic). */
export const DEFAULT_APPROVAL: Approval = {
  payoutOver: Infinity,
  repeatClaimsOver: Infinity,
  priority: 2,
  explain: {
    'zh-CN': '该方案需人工客服审核后生效，审核结果会尽快通知您。',
    en: 'A person will review this proposal before it takes effect; we will tell you the result.',
  },
};

export function tableHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function parseModel(
  text: string,
  file: string,
): { model?: TableModel; diagnostics: Diagnostic[]; source?: YamlSource } {
  const { source, diagnostics } = parseYaml(text, file);
  if (diagnostics.length > 0) return { diagnostics };
  const value: unknown = source.doc.toJS();
  const shape = checkTableShape(source, value);
  if (shape.length > 0) return { diagnostics: shape, source };
  const raw = value as RawTable;
  const out: Diagnostic[] = [];
  const err = (pos: Pos, code: string, message: string, ruleId?: string) =>
    out.push({ file, ...pos, ruleId, severity: 'error', code, message });

  const inputs = new Map<string, InputDecl>();
  for (const [name, decl] of Object.entries(raw.inputs)) {
    const pos = nodePos(source, keyAt(source, ['inputs'], name));
    const input = parseInput(name, decl, pos, (code, message) => err(pos, code, message));
    if (input !== undefined) inputs.set(name, input);
  }

  const ids = new Map<string, Pos>();
  const rows = raw.rules.map((r, index) => parseRow(source, r, index, ['rules', index], inputs, ids, err));
  const defaultRow =
    raw.default === undefined
      ? undefined
      : parseRow(source, { ...raw.default, when: undefined }, -1, ['default'], inputs, ids, err);
  let approval = DEFAULT_APPROVAL;
  if (raw.approval !== undefined) {
    checkTemplate(source, ['approval', 'explain'], raw.approval.explain, undefined, err);
    approval = {
      payoutOver: raw.approval.payout_over ?? Infinity,
      repeatClaimsOver: raw.approval.repeat_claims_over ?? Infinity,
      priority: raw.approval.priority ?? DEFAULT_APPROVAL.priority,
      explain: raw.approval.explain,
    };
  }
  if (out.length > 0) return { diagnostics: out, source };
  const model: TableModel = {
    file,
    text,
    hash: tableHash(text),
    hitPolicy: raw.hit_policy,
    inputs,
    rows,
    defaultRow,
    approval,
    hitPolicyPos: posAt(source, ['hit_policy']),
  };
  return { model, diagnostics: [], source };
}

const DECLARED_AS: Record<InputKind, string> = {
  enum: 'values: [...]',
  bool: 'type: boolean',
  number: 'range: [min, max]',
  set: 'set: [...]',
};

function parseInput(
  name: string,
  decl: RawInput,
  pos: Pos,
  err: (code: string, message: string) => void,
): InputDecl | undefined {
  if (!isFactName(name)) {
    err('unknown_input', `'${name}' is not a known fact (expected one of ${FACT_NAMES.join(', ')})`);
    return undefined;
  }
  const spec = FACT_SPECS[name];
  const kind: InputKind = decl.values ? 'enum' : decl.type ? 'bool' : decl.range ? 'number' : 'set';
  if (kind !== spec.kind) {
    err('input_kind', `input '${name}' is declared with ${DECLARED_AS[kind]} (expected ${DECLARED_AS[spec.kind]})`);
    return undefined;
  }
  const values = decl.values ?? decl.set ?? [];
  const bad = values.find((v) => !spec.values?.includes(v));
  if (bad !== undefined) {
    err(
      'unknown_value',
      `'${bad}' is not a known value of ${name} (expected one of ${(spec.values ?? []).join(', ')})`,
    );
    return undefined;
  }
  const [min, max] = decl.range ?? [-Infinity, Infinity];
  if (min > max) {
    err('bad_range', `range [${min}, ${max}] of ${name} is empty (expected [min, max] with min <= max)`);
    return undefined;
  }
  return { name, kind, values, min, max, optional: spec.optional, pos };
}

type ErrFn = (pos: Pos, code: string, message: string, ruleId?: string) => void;

function parseRow(
  source: YamlSource,
  r: RawRow,
  index: number,
  path: PathSeg[],
  inputs: Map<string, InputDecl>,
  ids: Map<string, Pos>,
  err: ErrFn,
): Row {
  const idPos = posAt(source, [...path, 'id']);
  if (ids.has(r.id)) {
    const first = ids.get(r.id)!;
    err(
      idPos,
      'duplicate_id',
      `id '${r.id}' is used again (first at line ${first.line}; expected every row id to be unique)`,
      r.id,
    );
  } else {
    ids.set(r.id, idPos);
  }
  const cells: Cell[] = [];
  for (const [name, rawCell] of Object.entries(r.when ?? {})) {
    const keyPos = nodePos(source, keyAt(source, [...path, 'when'], name));
    const input = inputs.get(name);
    if (input === undefined) {
      err(
        keyPos,
        'unknown_input',
        `'${name}' is not a declared input (expected one of ${[...inputs.keys()].join(', ')})`,
        r.id,
      );
      continue;
    }
    const valuePos = nodePos(source, nodeAt(source, [...path, 'when', name]));
    const parsed = parseCell(rawCell, input);
    if (!parsed.ok) {
      err(valuePos, parsed.code, parsed.message, r.id);
      continue;
    }
    if (parsed.cond.kind !== 'any') cells.push({ input: name, cond: parsed.cond, text: parsed.text, pos: valuePos });
  }
  const outcome = parseOutcome(source, r, path, inputs, err);
  checkTemplate(source, [...path, 'explain'], r.explain, r.id, err);
  const row: Row = {
    id: r.id,
    index,
    cells,
    outcome,
    explain: r.explain,
    basis: r.basis,
    pos: nodePos(source, nodeAt(source, path)),
  };
  if (r.source !== undefined) row.source = r.source;
  return row;
}

function parseOutcome(
  source: YamlSource,
  r: RawRow,
  path: PathSeg[],
  inputs: Map<string, InputDecl>,
  err: ErrFn,
): RowOutcome {
  const { refund_pct, ...rest } = r.then;
  const outcome: RowOutcome = { ...rest };
  const at = (...p: PathSeg[]) => posAt(source, [...path, 'then', ...p]);
  if (typeof refund_pct === 'number') outcome.refund_pct = refund_pct;
  else if (refund_pct !== undefined) {
    const input = inputs.get(refund_pct.fact);
    if (input?.kind !== 'number') {
      const numeric = [...inputs.values()].filter((i) => i.kind === 'number').map((i) => i.name);
      err(
        at('refund_pct', 'fact'),
        'unknown_input',
        `refund_pct is computed from '${refund_pct.fact}' (expected a declared numeric input: ${numeric.join(', ')})`,
        r.id,
      );
    } else outcome.refund_pct_from = { fact: refund_pct.fact, times: refund_pct.times ?? 1 };
  }
  if (outcome.remedy === 'partial_refund' && refund_pct === undefined) {
    err(
      at('remedy'),
      'missing_field',
      `remedy partial_refund has no refund_pct (expected refund_pct: a percent or { fact: … })`,
      r.id,
    );
  }
  const c: Compensation | undefined = outcome.compensation;
  if (c?.kind === 'fixed' && c.amount === undefined)
    err(at('compensation'), 'missing_field', 'compensation of kind fixed has no amount (expected amount: yuan)', r.id);
  if (c?.kind === 'tenfold_price' && c.label !== 'statutory')
    err(
      at('compensation', 'label'),
      'bad_label',
      `compensation of kind tenfold_price is labelled ${c.label} (expected label: statutory: tenfold is the Food Safety Law's, never goodwill)`,
      r.id,
    );
  if (c?.kind === 'pct_of_price' && c.pct === undefined)
    err(
      at('compensation'),
      'missing_field',
      'compensation of kind pct_of_price has no pct (expected pct: percent of the price)',
      r.id,
    );
  return outcome;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

function checkTemplate(
  source: YamlSource,
  path: PathSeg[],
  text: LocalText,
  ruleId: string | undefined,
  err: ErrFn,
): void {
  for (const lang of ['zh-CN', 'en'] as const) {
    for (const m of text[lang].matchAll(PLACEHOLDER)) {
      const name = m[1]!.trim();
      if (name === 'compensation_amount') {
        const pos = placeholderPos(source, nodeAt(source, [...path, lang]), m.index);
        err(
          pos,
          'amount_in_explain',
          `'{compensation_amount}' in the ${lang} explain text could promise an amount a person has not approved (expected no amount: the bot adds it itself when no approval is needed)`,
          ruleId,
        );
        continue;
      }
      if (isFactName(name) || (OUTCOME_PLACEHOLDERS as readonly string[]).includes(name)) continue;
      const node = nodeAt(source, [...path, lang]);
      const pos = placeholderPos(source, node, m.index);
      err(
        pos,
        'unknown_placeholder',
        `'{${name}}' in the ${lang} explain text is not a fact or outcome (expected one of ${[...FACT_NAMES, ...OUTCOME_PLACEHOLDERS].join(', ')})`,
        ruleId,
      );
    }
  }
}

/** Points into a plain single-line scalar when possible, else at the scalar's start. */
function placeholderPos(source: YamlSource, node: Node | undefined, offset: number): Pos {
  const start = nodePos(source, node);
  const plain =
    isScalar(node) && (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  const quote = isScalar(node) && node.type !== 'PLAIN' ? 1 : 0;
  return plain && !isMap(node) ? { line: start.line, column: start.column + quote + offset } : start;
}
