/**
 * The classifier's labels (docs/contract.md). The complaint labels double as the `complaint` fact of
 * the rule table, so they are defined once here and imported by `rules/`.
 */
export const COMPLAINTS = [
  'expired_food',
  'damaged_packaging',
  'size_mismatch',
  'fresh_produce_loss',
  'quality_defect',
  'logistics',
] as const;
export type Complaint = (typeof COMPLAINTS)[number];

export const CONTROL_INTENTS = ['request_human', 'greeting', 'check_status', 'cancel', 'help', 'other'] as const;
export type ControlIntent = (typeof CONTROL_INTENTS)[number];

export const INTENTS = [...COMPLAINTS, ...CONTROL_INTENTS] as const;
export type Intent = (typeof INTENTS)[number];

export function isComplaint(value: string): value is Complaint {
  return (COMPLAINTS as readonly string[]).includes(value);
}

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

export type Lang = 'zh-CN' | 'en';
