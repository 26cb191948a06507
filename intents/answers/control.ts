/**
 * Controls by meaning: "算了不要了，不处理了" cancels and "can I talk to a real person please"
 * asks for one, though neither is a listed control phrase. The classifier decides; only a
 * confident reading counts (a doubtful one is treated as an answer to the question).
 */
import type { Classification } from '../types.js';

export type MeaningControl = 'cancel' | 'human' | 'help';

/** Confidence above which a message is taken as a control without asking. */
export const CONTROL_THRESHOLD = 0.9;

export function controlByMeaning(c: Pick<Classification, 'intent' | 'confidence'>): MeaningControl | undefined {
  if (c.confidence < CONTROL_THRESHOLD) return undefined;
  if (c.intent === 'cancel') return 'cancel';
  if (c.intent === 'request_human') return 'human';
  if (c.intent === 'help') return 'help';
  return undefined;
}
