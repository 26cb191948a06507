/**
 * A date answer: the date the question asks for (`expect`), read by the one date parser
 * (extract/dates.ts) with the question's reference day, so "12月3日" typed about a snack delivered
 * last week is this year's date and "只剩三天" is three days from today.
 */
import type { DateRole, Entities } from '../types.js';
import type { Parsed } from './types.js';

export function recognizeDate(entities: Entities, expect: DateRole): Parsed<string> {
  const date = entities.dates.find((d) => d.role === expect) ?? entities.dates.find((d) => d.role === 'unknown');
  return date ? { ok: true, value: date.date } : { ok: false, reason: 'date' };
}
