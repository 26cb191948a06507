/**
 * A number answer read for the unit the question asks for: a length in cm ("1.2米", "47 inches"),
 * a weight in grams or a volume in ml ("480g", "1斤", "0.5L"), a share ("一半", "3/10", "30%",
 * "3 of 10"), hours ("两天", "a day") or a plain number.
 */
import type { Entities } from '../types.js';
import type { Parsed } from './types.js';

export interface NumberQuestion {
  unit: string;
  min: number;
  max: number;
}

const LENGTH_TO_CM: Record<string, number> = { mm: 0.1, cm: 1, m: 100, in: 2.54 };

/** The first plain number in the text: "120", "1.5", "１２０". */
function plainNumber(text: string): number | undefined {
  const m = /-?\d+(?:\.\d+)?/.exec(text.normalize('NFKC'));
  return m ? Number(m[0]) : undefined;
}

function inRange(value: number, spec: { min: number; max: number }): Parsed<number> {
  return value >= spec.min && value <= spec.max
    ? { ok: true, value }
    : { ok: false, reason: 'out_of_range', value: String(value) };
}

export function recognizeNumber(text: string, entities: Entities, spec: NumberQuestion): Parsed<number> {
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
    const fraction = /(\d+)\s*(?:[/／]|of|out of)\s*(\d+)/i.exec(text.normalize('NFKC'));
    if (fraction && Number(fraction[2]) > 0 && Number(fraction[1]) <= Number(fraction[2]))
      return inRange(Number(fraction[1]) / Number(fraction[2]), spec);
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
