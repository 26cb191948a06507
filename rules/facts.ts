/**
 * The vocabulary shared by the rule table, the dialogs that collect facts and the cases that
 * store them (docs/contract.md, "Facts" and "Evidence kinds"). Pure values only.
 */

/** What went wrong: the `complaint` fact, and the complaint labels of the intent classifier. */
export const COMPLAINTS = [
  'expired_food',
  'damaged_packaging',
  'size_mismatch',
  'fresh_produce_loss',
  'quality_defect',
  'logistics',
] as const;
export type Complaint = (typeof COMPLAINTS)[number];

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
  'photo_weight',
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
  /** False while the parcel is in transit. */
  delivered?: boolean;
  /** Absent while in transit. */
  hours_since_delivery?: number;
  /**
   * The label's expiry date against the delivery date, not today: positive, it was already
   * expired when it arrived; negative, the days it had left on arrival.
   */
  days_past_expiry?: number;
  /** Shelf life printed on the label or given by the catalogue. */
  shelf_life_days?: number;
  /** Illness, injury or a foreign object swallowed. */
  health_harm?: boolean;
  /** Frozen goods that arrived thawed. */
  thawed?: boolean;
  near_expiry_disclosed?: boolean;
  size_deviation_pct?: number;
  /** Share of the goods affected, 0..1. */
  affected_ratio?: number;
  weight_shortfall_pct?: number;
  /** Nominal net content of a packaged item, in g or ml (from the listing or the order). */
  net_content_nominal?: number;
  /** How many g or ml the goods weigh or hold less than their nominal net content. */
  net_content_shortfall?: number;
  evidence: readonly EvidenceKind[];
  merchant_response: MerchantResponse;
  merchant_reply_hours?: number;
  /** Yuan paid for the affected item: quantity × paid unit price after discounts. */
  order_amount: number;
  member_tier: MemberTier;
  prior_claims_90d: number;
}

export type FactName = keyof Facts;

export const REMEDIES = ['reship', 'exchange', 'refund', 'return_refund', 'partial_refund', 'reject', 'none'] as const;
export type Remedy = (typeof REMEDIES)[number];

/** Statutory compensation is owed by law (and always approved by a person); goodwill is the platform's gesture. */
export const COMPENSATION_LABELS = ['statutory', 'goodwill'] as const;
export type CompensationLabel = (typeof COMPENSATION_LABELS)[number];

export interface Compensation {
  kind: 'tenfold_price' | 'fixed' | 'pct_of_price';
  /** Required in a table; tenfold is statutory whatever a hand-built decision says. */
  label?: CompensationLabel;
  amount?: number;
  pct?: number;
  min?: number;
  cap?: number;
}

/** What a rule row proposes (docs/contract.md, "Outcomes"). */
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

/** Why a proposal waits for a person's approval before anything is paid. */
export const APPROVAL_REASONS = ['statutory_compensation', 'large_payout', 'repeat_claimant'] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];

export interface Decision extends Outcome {
  ruleId: string;
  tableHash: string;
  /** The law article or platform rule the row applies (absent on cases decided before rows had one). */
  basis?: string;
  /**
   * Set when a person must approve the proposal before it is paid: the case escalates and the
   * shopper is told it is under review, never an amount.
   */
  pending_approval?: ApprovalReason[];
  /** The filled-in explain template in both languages. */
  explain: { 'zh-CN': string; en: string };
  /** Compensation in yuan, computed from the order amount, when the outcome has one. */
  compensation_amount?: number;
  /** The conditions of the winning row, as readable text, for agents and `kefu rules explain`. */
  matched: string[];
}
