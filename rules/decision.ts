/**
 * Turns the row that fired into a `Decision`: fills in the explain text, computes the refund share
 * and the compensation in yuan, and escalates large payouts for a person's approval (the remedy
 * is still proposed). Built once per row at load; per evaluation it only fills in numbers.
 */
import { describeCell } from './cells.js';
import type { Compensation, Decision, Facts } from './facts.js';
import type { LargePayout, LocalText, Row } from './types.js';

type Values = Record<string, unknown>;
/** Reads placeholders from the facts, or from the decision for outcome names. */
type Template = (facts: Values, decision: Values) => string;
const FROM_DECISION: Record<string, string> = { rule_id: 'ruleId', remedy: 'remedy', refund_pct: 'refund_pct', compensation_amount: 'compensation_amount', priority: 'priority' };

/** Yuan amounts and percents are shown with at most two decimals. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '?';
  if (typeof v === 'number') return String(Math.round(v * 100) / 100);
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

export function compileTemplate(text: string): Template {
  const parts = text.split(/\{([^{}]*)\}/);
  // Odd indexes are placeholder names (validated at load), even ones literal text.
  const literal = parts.filter((_, i) => i % 2 === 0);
  const names = parts.filter((_, i) => i % 2 === 1).map((n) => n.trim());
  const fromDecision = names.map((n) => FROM_DECISION[n]);
  if (names.length === 0) return () => literal[0]!;
  return (facts, decision) => {
    let s = literal[0]!;
    for (let i = 0; i < names.length; i++) {
      const key = fromDecision[i];
      s += formatValue(key === undefined ? facts[names[i]!] : decision[key]) + literal[i + 1]!;
    }
    return s;
  };
}

/** Compensation in yuan for an order amount, rounded to the fen. */
export function compensationAmount(c: Compensation, orderAmount: number): number {
  let amount: number;
  switch (c.kind) {
    case 'tenfold_price':
      amount = orderAmount * 10;
      break;
    case 'fixed':
      amount = c.amount ?? 0;
      break;
    case 'pct_of_price':
      amount = (orderAmount * (c.pct ?? 0)) / 100;
      break;
  }
  if (c.min !== undefined) amount = Math.max(amount, c.min);
  if (c.cap !== undefined) amount = Math.min(amount, c.cap);
  return Math.round(amount * 100) / 100;
}

const NO_TEXT: LocalText = Object.freeze({ 'zh-CN': '', en: '' });

export type DecisionBuilder = (f: Facts) => Decision;

export function decisionBuilder(row: Row, hash: string, large: LargePayout | undefined): DecisionBuilder {
  const { refund_pct_from: from, ...outcome } = row.outcome;
  const matched = Object.freeze(row.cells.map((c) => describeCell(c.input, c.cond, c.text))) as string[];
  const zh = compileTemplate(row.explain['zh-CN']);
  const en = compileTemplate(row.explain.en);
  const largeZh = large && compileTemplate(large.explain['zh-CN']);
  const largeEn = large && compileTemplate(large.explain.en);
  const comp = outcome.compensation && Object.freeze({ ...outcome.compensation });
  return (f) => {
    // Built field by field: spreading the parsed outcome object is ~20x slower in V8.
    const d: Decision = { remedy: outcome.remedy, escalate: outcome.escalate, ruleId: row.id, tableHash: hash, explain: NO_TEXT, matched };
    if (outcome.refund_pct !== undefined) d.refund_pct = outcome.refund_pct;
    if (outcome.return_shipping_paid_by !== undefined) d.return_shipping_paid_by = outcome.return_shipping_paid_by;
    if (comp !== undefined) d.compensation = comp;
    if (outcome.express_refund !== undefined) d.express_refund = outcome.express_refund;
    if (outcome.priority !== undefined) d.priority = outcome.priority;
    if (outcome.escalate_reason !== undefined) d.escalate_reason = outcome.escalate_reason;
    if (from !== undefined) {
      const v = (f as unknown as Values)[from.fact];
      // Rounded up: a share of a percent goes to the shopper.
      d.refund_pct = typeof v === 'number' ? Math.min(100, Math.max(0, Math.ceil(v * from.times))) : 0;
    }
    if (comp !== undefined) d.compensation_amount = compensationAmount(comp, f.order_amount);
    const fv = f as unknown as Values;
    const dv = d as unknown as Values;
    let explain: LocalText = { 'zh-CN': zh(fv, dv), en: en(fv, dv) };
    if (large !== undefined && d.compensation_amount !== undefined && d.compensation_amount > large.over) {
      if (!d.escalate) d.escalate_reason = 'large_payout';
      d.escalate = true;
      d.priority = Math.min(d.priority ?? large.priority, large.priority);
      explain = { 'zh-CN': `${explain['zh-CN']}${largeZh!(fv, dv)}`, en: `${explain.en} ${largeEn!(fv, dv)}` };
    }
    d.explain = explain;
    return d;
  };
}
