/**
 * Impact of a rule change: replays the same facts through an OLD and a NEW compiled table and
 * reports the cases whose outcome changes, grouped by old rule → new rule, with the change in
 * money (refunds, compensation), escalation rate and express refunds over every replayed case.
 * Pure: the caller reads stored cases and hands over their facts.
 */
import type { Decision, Facts, Remedy } from './facts.js';
import type { CompiledTable } from './table.js';

/** Yuan refunded for a remedy: the whole order for refund / return_refund, a share for partial_refund. */
export function refundAmount(remedy: Remedy, refundPct: number | undefined, orderAmount: number): number {
  if (remedy === 'refund' || remedy === 'return_refund') return orderAmount;
  if (remedy === 'partial_refund') return Math.round(orderAmount * (refundPct ?? 0)) / 100;
  return 0;
}

export interface ReplayCase {
  id: string;
  facts: Facts;
}

/** Money and rates over a set of decisions. */
export interface OutcomeTotals {
  cases: number;
  refunds: number;
  compensation: number;
  escalated: number;
  escalationRate: number;
  expressRefunds: number;
}

export interface ChangedCase {
  id: string;
  oldRule: string;
  newRule: string;
  /** The outcome fields that changed, e.g. `remedy refund → partial_refund`, `escalate false → true`. */
  changes: string[];
  refundDelta: number;
  compensationDelta: number;
}

export interface ChangeGroup {
  oldRule: string;
  newRule: string;
  count: number;
  refundDelta: number;
  compensationDelta: number;
  /** Case ids, in replay order. */
  caseIds: string[];
}

export interface TableDiff {
  oldHash: string;
  newHash: string;
  replayed: number;
  changed: ChangedCase[];
  /** Largest groups first, then by rule ids. */
  groups: ChangeGroup[];
  before: OutcomeTotals;
  after: OutcomeTotals;
  delta: { refunds: number; compensation: number; escalationRate: number; escalated: number; expressRefunds: number };
}

const cents = (n: number): number => Math.round(n * 100) / 100;

/** The outcome fields a shopper or the platform would notice, in a fixed order. */
function outcomeChanges(a: Decision, b: Decision): string[] {
  const out: string[] = [];
  const field = (name: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${name} ${show(x)} → ${show(y)}`);
  };
  field('remedy', a.remedy, b.remedy);
  field('refund_pct', a.refund_pct, b.refund_pct);
  field('compensation', a.compensation_amount, b.compensation_amount);
  field('return_shipping_paid_by', a.return_shipping_paid_by, b.return_shipping_paid_by);
  field('express_refund', a.express_refund ?? false, b.express_refund ?? false);
  field('escalate', a.escalate, b.escalate);
  return out;
}

function show(v: unknown): string {
  return v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
}

function emptyTotals(): OutcomeTotals {
  return { cases: 0, refunds: 0, compensation: 0, escalated: 0, escalationRate: 0, expressRefunds: 0 };
}

function add(t: OutcomeTotals, d: Decision, orderAmount: number): void {
  t.cases += 1;
  t.refunds += refundAmount(d.remedy, d.refund_pct, orderAmount);
  t.compensation += d.compensation_amount ?? 0;
  if (d.escalate) t.escalated += 1;
  if (d.express_refund === true) t.expressRefunds += 1;
}

function finish(t: OutcomeTotals): OutcomeTotals {
  return {
    ...t,
    refunds: cents(t.refunds),
    compensation: cents(t.compensation),
    escalationRate: t.cases === 0 ? 0 : t.escalated / t.cases,
  };
}

/**
 * Replays every case through both tables. A case "changes" when an outcome field differs; a case
 * that only moves to a renamed or reordered row with the same outcome is not a change.
 */
export function diffTables(oldTable: CompiledTable, newTable: CompiledTable, cases: Iterable<ReplayCase>): TableDiff {
  const before = emptyTotals();
  const after = emptyTotals();
  const changed: ChangedCase[] = [];
  const groups = new Map<string, ChangeGroup>();
  for (const c of cases) {
    const a = oldTable.evaluate(c.facts);
    const b = newTable.evaluate(c.facts);
    const amount = c.facts.order_amount;
    add(before, a, amount);
    add(after, b, amount);
    const changes = outcomeChanges(a, b);
    if (changes.length === 0) continue;
    const refundDelta = cents(
      refundAmount(b.remedy, b.refund_pct, amount) - refundAmount(a.remedy, a.refund_pct, amount),
    );
    const compensationDelta = cents((b.compensation_amount ?? 0) - (a.compensation_amount ?? 0));
    changed.push({ id: c.id, oldRule: a.ruleId, newRule: b.ruleId, changes, refundDelta, compensationDelta });
    const key = `${a.ruleId}\0${b.ruleId}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { oldRule: a.ruleId, newRule: b.ruleId, count: 0, refundDelta: 0, compensationDelta: 0, caseIds: [] };
      groups.set(key, g);
    }
    g.count += 1;
    g.refundDelta += refundDelta;
    g.compensationDelta += compensationDelta;
    g.caseIds.push(c.id);
  }
  const b0 = finish(before);
  const a0 = finish(after);
  const sorted = [...groups.values()]
    .map((g) => ({ ...g, refundDelta: cents(g.refundDelta), compensationDelta: cents(g.compensationDelta) }))
    .sort((x, y) => y.count - x.count || x.oldRule.localeCompare(y.oldRule) || x.newRule.localeCompare(y.newRule));
  return {
    oldHash: oldTable.hash,
    newHash: newTable.hash,
    replayed: b0.cases,
    changed,
    groups: sorted,
    before: b0,
    after: a0,
    delta: {
      refunds: cents(a0.refunds - b0.refunds),
      compensation: cents(a0.compensation - b0.compensation),
      escalated: a0.escalated - b0.escalated,
      escalationRate: a0.escalationRate - b0.escalationRate,
      expressRefunds: a0.expressRefunds - b0.expressRefunds,
    },
  };
}

const signed = (n: number, unit = ''): string =>
  `${n > 0 ? '+' : n < 0 ? '−' : '±'}${unit}${Math.abs(n).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

/** The report as text for a person (the CLI and the console show the same lines). */
export function formatDiff(d: TableDiff, skipped = 0): string {
  const lines = [
    `Replayed ${d.replayed} case${d.replayed === 1 ? '' : 's'} through ${d.oldHash} (old) and ${d.newHash} (new)${skipped > 0 ? `; ${skipped} skipped (incomplete facts)` : ''}.`,
    `${d.changed.length} case${d.changed.length === 1 ? '' : 's'} would end differently.`,
    '',
    `  refunds        ¥${d.before.refunds} → ¥${d.after.refunds}  (${signed(d.delta.refunds, '¥')})`,
    `  compensation   ¥${d.before.compensation} → ¥${d.after.compensation}  (${signed(d.delta.compensation, '¥')})`,
    `  escalation     ${pct(d.before.escalationRate)} → ${pct(d.after.escalationRate)}  (${signed(d.delta.escalated)} cases)`,
    `  express refund ${d.before.expressRefunds} → ${d.after.expressRefunds}  (${signed(d.delta.expressRefunds)})`,
  ];
  if (d.groups.length > 0) lines.push('', 'Changed cases by old rule → new rule:');
  for (const g of d.groups) {
    const ids = g.caseIds.slice(0, 5).join(', ') + (g.caseIds.length > 5 ? `, … (${g.caseIds.length - 5} more)` : '');
    lines.push(
      `  ${g.oldRule} → ${g.newRule}: ${g.count} case${g.count === 1 ? '' : 's'}, refunds ${signed(g.refundDelta, '¥')}, compensation ${signed(g.compensationDelta, '¥')}`,
    );
    lines.push(`    ${ids}`);
  }
  return `${lines.join('\n')}\n`;
}
