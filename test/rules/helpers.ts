/** Small tables for tests: a header with a few inputs, then the rows a test writes. */
import type { Facts } from '../../rules/facts.js';

export const HEADER = `hit_policy: HIT
inputs:
  complaint: { values: [expired_food, damaged_packaging, size_mismatch] }
  hours_since_delivery: { range: [0, 100] }
  evidence: { set: [photo_item, photo_package] }
  merchant_response: { values: [not_contacted, agreed, refused, no_reply] }
  order_amount: { range: [0, 10000] }
rules:
`;

export const DEFAULT_ROW = `default:
  id: DEFAULT
  then: { remedy: none, escalate: true, priority: 3 }
  explain: { zh-CN: 转人工, en: to a person }
  basis: test
`;

/** A row in the test tables' layout; `when` lines are indented by the caller. */
export function row(id: string, when: string, then = '{ remedy: refund, escalate: false }'): string {
  return `  - id: ${id}
    when:
${when
  .trim()
  .split('\n')
  .map((l) => `      ${l.trim()}`)
  .join('\n')}
    then: ${then}
    explain: { zh-CN: '规则 {rule_id}', en: 'rule {rule_id}' }
    basis: test
`;
}

export function table(rows: string[], opts: { hit?: 'unique' | 'first'; withDefault?: boolean } = {}): string {
  return HEADER.replace('HIT', opts.hit ?? 'unique') + rows.join('') + (opts.withDefault === false ? '' : DEFAULT_ROW);
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' not in the table`);
  return i + 1;
}

export function facts(f: Partial<Facts>): Facts {
  return {
    complaint: 'expired_food',
    category: 'food',
    evidence: [],
    merchant_response: 'not_contacted',
    order_amount: 50,
    member_tier: 'regular',
    prior_claims_90d: 0,
    ...f,
  };
}
