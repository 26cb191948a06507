/** What a recognizer makes of an answer: the value, or why it is not one (said back to the shopper). */
export type Parsed<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'number' | 'date' | 'choice' | 'confirm' | 'out_of_range'; value?: string };
