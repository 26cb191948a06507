/**
 * What the rule table may talk about: every fact of `Facts`, its kind, the values it can take
 * and whether it may be absent. Typed as a `Record<FactName, …>` so adding a fact to `Facts`
 * without describing it here fails the type-check.
 */
import { CATEGORIES, COMPLAINTS, EVIDENCE_KINDS, MEMBER_TIERS, MERCHANT_RESPONSES, type FactName } from './facts.js';
import type { InputKind } from './types.js';

export interface FactSpec {
  kind: InputKind;
  /** enum and set: every value the fact can take. */
  values?: readonly string[];
  optional: boolean;
}

export const FACT_SPECS: Record<FactName, FactSpec> = {
  complaint: { kind: 'enum', values: COMPLAINTS, optional: false },
  category: { kind: 'enum', values: CATEGORIES, optional: false },
  live_goods: { kind: 'bool', optional: true },
  delivered: { kind: 'bool', optional: true },
  hours_since_delivery: { kind: 'number', optional: true },
  days_past_expiry: { kind: 'number', optional: true },
  shelf_life_days: { kind: 'number', optional: true },
  health_harm: { kind: 'bool', optional: true },
  thawed: { kind: 'bool', optional: true },
  near_expiry_disclosed: { kind: 'bool', optional: true },
  size_deviation_pct: { kind: 'number', optional: true },
  affected_ratio: { kind: 'number', optional: true },
  weight_shortfall_pct: { kind: 'number', optional: true },
  net_content_nominal: { kind: 'number', optional: true },
  net_content_shortfall: { kind: 'number', optional: true },
  evidence: { kind: 'set', values: EVIDENCE_KINDS, optional: false },
  merchant_response: { kind: 'enum', values: MERCHANT_RESPONSES, optional: false },
  merchant_reply_hours: { kind: 'number', optional: true },
  order_amount: { kind: 'number', optional: false },
  member_tier: { kind: 'enum', values: MEMBER_TIERS, optional: false },
  prior_claims_90d: { kind: 'number', optional: false },
};

export const FACT_NAMES = Object.keys(FACT_SPECS) as FactName[];

export function isFactName(name: string): name is FactName {
  return Object.hasOwn(FACT_SPECS, name);
}

/**
 * Names an `explain` template may use besides the facts. Not `compensation_amount`: an amount
 * may still need a person's approval, so the bot adds it itself only when it does not.
 */
export const OUTCOME_PLACEHOLDERS = ['rule_id', 'remedy', 'refund_pct', 'priority'] as const;
