/**
 * Shared fixtures for the lead tests: a small OLD table and an edited NEW one whose differences
 * are known row by row, and seeded cases whose facts land on those rows.
 */
import type { Facts } from '../../rules/facts.js';
import type { CaseEvent, CaseRecord, CaseStore, NewCase, Resolution, TranscriptEntry } from '../../domain/cases.js';

const HEADER = `hit_policy: first
inputs:
  complaint: { values: [expired_food, damaged_packaging, size_mismatch, fresh_produce_loss, quality_defect, logistics] }
  category: { values: [food, fresh, daily_chemical, home, appliance, other] }
  merchant_response: { values: [not_contacted, agreed, refused, no_reply] }
  order_amount: { range: [0, 100000] }
rules:
`;

const FOOTER = `default:
  id: DEFAULT
  then: { remedy: none, escalate: true, priority: 3 }
  explain: { zh-CN: 转人工, en: to a person }
  basis: test
`;

function rule(id: string, when: string, then: string): string {
  return `  - id: ${id}
    when: { ${when} }
    then: ${then}
    explain: { zh-CN: '规则 {rule_id}', en: 'rule {rule_id}' }
    basis: test
`;
}

/** OLD: expired food refunded; damaged goods 30 %; refused size complaints escalate with a return. */
export const OLD_TABLE =
  HEADER +
  rule('EXP', 'complaint: expired_food', '{ remedy: refund, escalate: false }') +
  rule('DMG', 'complaint: damaged_packaging', '{ remedy: partial_refund, refund_pct: 30, escalate: false }') +
  rule(
    'SIZE',
    'complaint: size_mismatch, merchant_response: refused',
    '{ remedy: return_refund, escalate: true, priority: 5 }',
  ) +
  FOOTER;

export const NEW_DMG_PCT = 50;
export const NEW_EXP_BIG_COMPENSATION = 50;
export const NEW_EXP_BIG_FROM = 100;

/** NEW: expired food from ¥100 also gets ¥50 and an express refund; damaged goods 50 %. */
export const NEW_TABLE =
  HEADER +
  rule(
    'EXP-BIG',
    `complaint: expired_food, order_amount: '>= ${NEW_EXP_BIG_FROM}'`,
    `{ remedy: refund, compensation: { kind: fixed, label: goodwill, amount: ${NEW_EXP_BIG_COMPENSATION} }, express_refund: true, escalate: false }`,
  ) +
  rule('EXP', 'complaint: expired_food', '{ remedy: refund, escalate: false }') +
  rule(
    'DMG',
    'complaint: damaged_packaging',
    `{ remedy: partial_refund, refund_pct: ${NEW_DMG_PCT}, escalate: false }`,
  ) +
  rule(
    'SIZE',
    'complaint: size_mismatch, merchant_response: refused',
    '{ remedy: return_refund, escalate: true, priority: 5 }',
  ) +
  FOOTER;

/** NEW with a typo in a value: refused with the position. */
export const BROKEN_TABLE = NEW_TABLE.replace('complaint: damaged_packaging', 'complaint: damagd_packaging');

export function facts(f: Partial<Facts>): Partial<Facts> {
  return {
    category: 'food',
    evidence: [],
    merchant_response: 'not_contacted',
    member_tier: 'regular',
    prior_claims_90d: 0,
    ...f,
  };
}

export interface SeedCase {
  key: string;
  facts: Partial<Facts>;
}

/** The replay set: keys name what each case is for. */
export const SEED: SeedCase[] = [
  { key: 'exp-small', facts: facts({ complaint: 'expired_food', order_amount: 80 }) },
  { key: 'exp-big', facts: facts({ complaint: 'expired_food', order_amount: 200 }) },
  { key: 'dmg-60', facts: facts({ complaint: 'damaged_packaging', category: 'daily_chemical', order_amount: 60 }) },
  { key: 'dmg-45.5', facts: facts({ complaint: 'damaged_packaging', category: 'daily_chemical', order_amount: 45.5 }) },
  {
    key: 'size-refused',
    facts: facts({ complaint: 'size_mismatch', category: 'home', merchant_response: 'refused', order_amount: 99 }),
  },
  { key: 'logistics', facts: facts({ complaint: 'logistics', category: 'other', order_amount: 30 }) },
  // The shopper left before giving the order amount: cannot be replayed.
  { key: 'incomplete', facts: { complaint: 'quality_defect', category: 'appliance' } },
];

export function newCase(f: Partial<Facts>, extra: Partial<NewCase> = {}): NewCase {
  return {
    shopperId: 'shopper-1',
    conversationId: `conv-${Math.random().toString(36).slice(2)}`,
    channelId: 'test',
    locale: 'zh-CN',
    complaint: f.complaint ?? 'other',
    facts: f,
    evidence: [],
    status: 'open',
    ...extra,
  };
}

/** Seeds SEED into a store; returns key → case id. */
export async function seed(store: CaseStore, cases: SeedCase[] = SEED): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const c of cases) ids.set(c.key, (await store.create(newCase(c.facts))).id);
  return ids;
}

const at = (base: number, minutes: number): string => new Date(base + minutes * 60_000).toISOString();

export interface StoryOptions {
  base: number;
  complaint: NewCase['complaint'];
  facts: Partial<Facts>;
  firstMessage: string;
  locale?: 'zh-CN' | 'en';
}

/** A case the bot settled: proposed, then accepted `minutes` later. */
export function acceptedCase(o: StoryOptions & { minutes: number; decision: CaseRecord['decision'] }): NewCase {
  const history: CaseEvent[] = [
    { at: at(o.base, 0), status: 'proposed', by: 'bot' },
    { at: at(o.base, o.minutes), status: 'accepted', by: 'shopper' },
  ];
  const transcript: TranscriptEntry[] = [{ at: at(o.base, 0), from: 'shopper', text: o.firstMessage }];
  return {
    ...newCase(o.facts),
    locale: o.locale ?? 'zh-CN',
    complaint: o.complaint,
    status: 'accepted',
    decision: o.decision,
    history,
    transcript,
  };
}

/** A case handed to a person for `reason`, answered after `answerMinutes` and resolved after `resolveMinutes`. */
export function resolvedCase(
  o: StoryOptions & {
    reason: string;
    answerMinutes: number;
    resolveMinutes: number;
    resolution: Omit<Resolution, 'at' | 'agent' | 'note'> & { complaint?: Resolution['complaint'] };
    csat?: number;
  },
): NewCase {
  const history: CaseEvent[] = [
    { at: at(o.base, 0), status: 'escalated', by: 'bot', note: `handoff: ${o.reason}` },
    { at: at(o.base, 1), status: 'assigned', by: 'agent:li' },
    { at: at(o.base, o.resolveMinutes), status: 'resolved', by: 'agent:li' },
  ];
  const transcript: TranscriptEntry[] = [
    { at: at(o.base, 0), from: 'shopper', text: o.firstMessage },
    { at: at(o.base, o.answerMinutes), from: 'agent', agent: 'li', text: '您好' },
  ];
  return {
    ...newCase(o.facts),
    locale: o.locale ?? 'zh-CN',
    complaint: o.complaint,
    status: 'resolved',
    history,
    transcript,
    resolution: { ...o.resolution, note: 'checked', agent: 'li', at: at(o.base, o.resolveMinutes) },
    ...(o.csat === undefined ? {} : { csat: { score: o.csat, at: at(o.base, o.resolveMinutes + 1) } }),
  };
}
