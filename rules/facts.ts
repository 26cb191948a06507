/**
 * The vocabulary shared by the rule table, the dialogs that collect facts and the cases that
 * store them (CONTRACT.md, "Facts" and "Evidence kinds"). Pure values only.
 */
import type { Complaint } from '../intents/labels.js';

export const CATEGORIES = ['food', 'fresh', 'daily_chemical', 'home', 'appliance', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const EVIDENCE_KINDS = [
  'photo_item',
  'photo_package',
  'photo_date_label',
  'photo_measurement',
  'screenshot_listing',
  'chat_with_merchant',
  'unboxing_video',
  'photo_shipping_label',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const MERCHANT_RESPONSES = ['not_contacted', 'agreed', 'refused', 'no_reply'] as const;
export type MerchantResponse = (typeof MERCHANT_RESPONSES)[number];

export const MEMBER_TIERS = ['regular', 'vip', 'svip'] as const;
export type MemberTier = (typeof MEMBER_TIERS)[number];

/**
 * The inputs of the rule table. Facts the shopper could not give are absent (undefined);
 * a rule cell other than "any" never matches an absent fact.
 */
export interface Facts {
  complaint: Complaint;
  category: Category;
  /** Live goods (crabs, fish): a 12 h report window instead of 48 h for other fresh goods. */
  live_goods?: boolean;
  hours_since_delivery?: number;
  /** Negative: days left before expiry. */
  days_past_expiry?: number;
  near_expiry_disclosed?: boolean;
  size_deviation_pct?: number;
  /** Share of the goods affected, 0..1. */
  affected_ratio?: number;
  weight_shortfall_pct?: number;
  evidence: readonly EvidenceKind[];
  merchant_response: MerchantResponse;
  merchant_reply_hours?: number;
  /** Yuan. */
  order_amount: number;
  member_tier: MemberTier;
  prior_claims_90d: number;
}

export type FactName = keyof Facts;

export const REMEDIES = ['reship', 'exchange', 'refund', 'return_refund', 'partial_refund', 'reject', 'none'] as const;
export type Remedy = (typeof REMEDIES)[number];

export interface Compensation {
  kind: 'tenfold_price' | 'fixed' | 'pct_of_price';
  amount?: number;
  pct?: number;
  min?: number;
  cap?: number;
}

/** What a rule row proposes (CONTRACT.md, "Outcomes"). */
export interface Outcome {
  remedy: Remedy;
  refund_pct?: number;
  return_shipping_paid_by?: 'merchant' | 'shopper';
  compensation?: Compensation;
  express_refund?: boolean;
  escalate: boolean;
  priority?: number;
  /** Why the case escalates, when it does (e.g. "merchant_refused", "large_payout"). */
  escalate_reason?: string;
}

export interface Decision extends Outcome {
  ruleId: string;
  tableHash: string;
  /** The filled-in explain template in both languages. */
  explain: { 'zh-CN': string; en: string };
  /** Compensation in yuan, computed from the order amount, when the outcome has one. */
  compensation_amount?: number;
  /** The conditions of the winning row, as readable text, for agents and `kefu rules explain`. */
  matched: string[];
}
