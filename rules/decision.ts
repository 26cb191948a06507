/**
 * Turns the row that fired into a `Decision`: fills in the explain text, computes the refund share
 * and the compensation in yuan, and sends what needs a person's approval (statutory compensation,
 * large payouts, repeat claimants) to a person: the remedy is still proposed, the shopper is told
 * it is under review. Built once per row at load; per evaluation it only fills in numbers.
 */
import { describeCell } from './cells.js';
import type { ApprovalReason, Compensation, Decision, Facts } from './facts.js';
import type { Approval, LocalText, Row } from './types.js';

type Values = Record<string, unknown>;
/** Reads placeholders from the facts, or from the decision for outcome names. */
type Template = (facts: Values, decision: Values) => string;
const FROM_DECISION: Record<string, string> = {
  rule_id: 'ruleId',
  remedy: 'remedy',
  refund_pct: 'refund_pct',
  priority: 'priority',
};

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

/** Remedies that give the shopper something; only these can need a repeat claimant's approval. */
const GIVES = new Set(['reship', 'exchange', 'refund', 'return_refund', 'partial_refund']);

/** Why this decision must wait for a person, in a fixed order (the first one names the escalation). */
export function approvalReasons(d: Decision, f: Facts, approval: Approval): ApprovalReason[] {
  const out: ApprovalReason[] = [];
  if (d.compensation?.label === 'statutory' || d.compensation?.kind === 'tenfold_price')
    out.push('statutory_compensation');
  if (d.compensation_amount !== undefined && d.compensation_amount > approval.payoutOver) out.push('large_payout');
  if (f.prior_claims_90d > approval.repeatClaimsOver && GIVES.has(d.remedy)) out.push('repeat_claimant');
  return out;
}

export function decisionBuilder(row: Row, hash: string, approval: Approval): DecisionBuilder {
  const { refund_pct_from: from, ...outcome } = row.outcome;
  const matched = Object.freeze(row.cells.map((c) => describeCell(c.input, c.cond, c.text))) as string[];
  const zh = compileTemplate(row.explain['zh-CN']);
  const en = compileTemplate(row.explain.en);
  const reviewZh = compileTemplate(approval.explain['zh-CN']);
  const reviewEn = compileTemplate(approval.explain.en);
  const comp = outcome.compensation && Object.freeze({ ...outcome.compensation });
  return (f) => {
    // Built field by field: spreading the parsed outcome object is ~20x slower in V8.
    const d: Decision = {
      remedy: outcome.remedy,
      escalate: outcome.escalate,
      ruleId: row.id,
      tableHash: hash,
      basis: row.basis,
      explain: NO_TEXT,
      matched,
    };
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
    const pending = approvalReasons(d, f, approval);
    if (pending.length > 0) {
      d.pending_approval = pending;
      if (!d.escalate) d.escalate_reason = pending[0];
      d.escalate = true;
      // Nothing is paid at once while a person has not approved it.
      if (d.express_refund) d.express_refund = false;
      d.priority = Math.min(d.priority ?? approval.priority, approval.priority);
      explain = { 'zh-CN': `${explain['zh-CN']}${reviewZh(fv, dv)}`, en: `${explain.en} ${reviewEn(fv, dv)}` };
    }
    d.explain = explain;
    return d;
  };
}
