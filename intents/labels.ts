/**
 * The classifier's labels (docs/contract.md): the complaint labels, which are the rule table's
 * `complaint` fact and so are defined in `rules/`, and the control intents.
 */
import { COMPLAINTS, type Complaint } from '../rules/facts.js';

export { COMPLAINTS, type Complaint };

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
