/**
 * The typed model of a rule table after parsing, and the diagnostics every stage reports.
 * Everything here is plain data: the loader fills it from YAML, the compiler and the linter read it.
 */
import type { Outcome } from './facts.js';
import { KefuError } from '../lib/errors.js';

/** One finding, always with a position a support lead can jump to. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  ruleId?: string;
  severity: 'error' | 'warning';
  code: string;
  /** Says what was found and what was expected. */
  message: string;
}

/** Thrown when a table cannot be used; carries every error found, not only the first. */
export class RuleTableError extends KefuError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super('invalid_table', diagnostics.map(formatDiagnostic).join('\n') || 'rule table is not valid');
    this.diagnostics = diagnostics;
  }

  override details(): Record<string, unknown> {
    return { diagnostics: this.diagnostics };
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const rule = d.ruleId === undefined ? '' : ` rule ${d.ruleId}:`;
  return `${d.file}:${d.line}:${d.column}: ${d.severity} [${d.code}]${rule} ${d.message}`;
}

export interface Pos {
  line: number;
  column: number;
}

export type InputKind = 'enum' | 'bool' | 'number' | 'set';

export interface InputDecl {
  name: string;
  kind: InputKind;
  /** enum: the declared values; set: the declared members. */
  values: readonly string[];
  /** number: the declared range, inclusive. */
  min: number;
  max: number;
  /** Facts that may be absent (undefined); for these, absence is part of the input's domain. */
  optional: boolean;
  pos: Pos;
}

/** A numeric interval; infinite bounds are open. */
export interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

/**
 * A parsed condition cell. Every form except `any` and `absent` fails on an absent fact,
 * including negated ones: "not refused" does not match a merchant response nobody gave.
 */
export type Cond =
  | { kind: 'any' }
  | { kind: 'absent' }
  | { kind: 'oneOf'; values: readonly (string | boolean)[]; negate: boolean }
  | { kind: 'num'; intervals: readonly Interval[]; negate: boolean }
  | { kind: 'set'; op: 'all' | 'some'; members: readonly string[]; negate: boolean };

export interface Cell {
  input: string;
  cond: Cond;
  /** The cell as written, for `matched` and explanations. */
  text: string;
  pos: Pos;
}

export interface LocalText {
  'zh-CN': string;
  en: string;
}

/** A refund share computed from a fact, e.g. short weight refunded in proportion. */
export interface RefundFrom {
  fact: string;
  times: number;
}

/** A row's outcome as written: a refund share may come from a fact (`refund_pct: { fact, times }`). */
export interface RowOutcome extends Outcome {
  refund_pct_from?: RefundFrom;
}

export interface Row {
  id: string;
  /** Index in `rules`; the default row has index -1. */
  index: number;
  cells: Cell[];
  outcome: RowOutcome;
  explain: LocalText;
  /** The law article or platform rule the row applies (short, shown to agents and leads). */
  basis: string;
  /** Longer notes on where the row comes from, when the table gives them. */
  source?: string;
  pos: Pos;
}

/**
 * What a person approves before it is paid: every statutory compensation, compensation over
 * `payoutOver` yuan, and any claim by a shopper with more than `repeatClaimsOver` claims in 90 days.
 */
export interface Approval {
  payoutOver: number;
  repeatClaimsOver: number;
  priority: number;
  explain: LocalText;
}

export interface TableModel {
  file: string;
  text: string;
  hash: string;
  hitPolicy: 'unique' | 'first';
  inputs: Map<string, InputDecl>;
  rows: Row[];
  defaultRow?: Row;
  approval: Approval;
  hitPolicyPos: Pos;
}
