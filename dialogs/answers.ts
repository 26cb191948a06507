/**
 * Reads a shopper's answer to one slot from text or a card/button value. Pure: the facts found
 * by the intents extractors come in as `Entities`, so these functions only choose and convert.
 */
import type { Entities } from '../intents/types.js';
import type { SlotSpec } from '../bot/data/evidencePlan.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: 'number' | 'date' | 'choice' | 'confirm' | 'out_of_range'; value?: string };

const LENGTH_TO_CM: Record<string, number> = { mm: 0.1, cm: 1, m: 100, in: 2.54 };

/** The first plain number in the text: "120", "1.5", "１２０". */
function plainNumber(text: string): number | undefined {
  const m = /-?\d+(?:\.\d+)?/.exec(text.normalize('NFKC'));
  return m ? Number(m[0]) : undefined;
}

function inRange(value: number, spec: { min: number; max: number }): Parsed<number> {
  return value >= spec.min && value <= spec.max ? { ok: true, value } : { ok: false, reason: 'out_of_range', value: String(value) };
}

export function parseNumberAnswer(text: string, entities: Entities, spec: Extract<SlotSpec, { kind: 'number' }>): Parsed<number> {
  if (spec.unit === 'cm') {
    const size = entities.sizes.find((s) => s.unit in LENGTH_TO_CM);
    if (size) return inRange(Math.round(size.value * LENGTH_TO_CM[size.unit]! * 100) / 100, spec);
  }
  if (spec.unit === 'g') {
    // Grams, or millilitres for liquids (net content is stated in either).
    const weight = entities.weights[0];
    if (weight) return inRange(weight.grams, spec);
    const volume = entities.sizes.find((s) => s.unit === 'ml' || s.unit === 'L');
    if (volume) return inRange(volume.unit === 'L' ? volume.value * 1000 : volume.value, spec);
  }
  if (spec.unit === 'share') {
    const share = entities.shares[0];
    if (share) return inRange(share.ratio, spec);
    // Asked for a share, "3/6" is a fraction (the extractor leaves it alone: elsewhere it may be a date).
    const fraction = /(\d+)\s*[/／]\s*(\d+)/.exec(text.normalize('NFKC'));
    if (fraction && Number(fraction[2]) > 0 && Number(fraction[1]) <= Number(fraction[2])) return inRange(Number(fraction[1]) / Number(fraction[2]), spec);
    const pct = /(\d+(?:\.\d+)?)\s*[%％]/.exec(text) ?? /百分之(\d+)/.exec(text);
    if (pct) return inRange(Number(pct[1]) / 100, spec);
    const n = plainNumber(text);
    if (n !== undefined) return inRange(n > 1 && n <= 100 ? n / 100 : n, spec);
    return { ok: false, reason: 'number' };
  }
  if (spec.unit === 'hours') {
    const days = /(\d+(?:\.\d+)?)\s*(?:天|days?\b)/i.exec(text.normalize('NFKC'));
    if (days) return inRange(Number(days[1]) * 24, spec);
    if (/一天|a day|one day/i.test(text)) return inRange(24, spec);
    if (/两天|二天|two days/i.test(text)) return inRange(48, spec);
    if (/三天|three days/i.test(text)) return inRange(72, spec);
  }
  const n = plainNumber(text);
  return n === undefined ? { ok: false, reason: 'number' } : inRange(n, spec);
}

export function parseDateAnswer(entities: Entities): Parsed<string> {
  const date = entities.dates.find((d) => d.role === 'expiry') ?? entities.dates[0];
  return date ? { ok: true, value: date.date } : { ok: false, reason: 'date' };
}

/** Matches a choice by its value, or by a title in either language ("商家拒绝了", "The seller refused"). */
export function parseChoiceAnswer(text: string, value: unknown, choices: { value: string; titles: string[] }[], entityValue?: string): Parsed<string> {
  if (typeof value === 'string' && choices.some((c) => c.value === value)) return { ok: true, value };
  const t = text.trim().toLowerCase();
  const byTitle = choices.find((c) => c.value === t || c.titles.some((title) => title.toLowerCase() === t));
  if (byTitle) return { ok: true, value: byTitle.value };
  if (entityValue !== undefined && choices.some((c) => c.value === entityValue)) return { ok: true, value: entityValue };
  return { ok: false, reason: 'choice' };
}

export function daysBetween(fromIsoDate: string, to: Date): number {
  const from = Date.parse(`${fromIsoDate}T00:00:00Z`);
  const today = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  return Math.round((today - from) / 86_400_000);
}
