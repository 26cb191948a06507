/**
 * Sizes with units: lengths (`120x60cm`, `1.8米`, `一米八`, `55寸`, `30 inches`) and volumes
 * (`30升`, `500ml`). Units are kept as written, normalised to mm, cm, m, in, ml or L; `dims`
 * lists every number of a `W x D (x H)` size. A bare number, `5 min` or `大米` is not a size.
 */
import type { Entities, SizeUnit } from '../types.js';
import { AR_NUMBER, CN_NUMBER, NUMBER, parseNumber } from './numerals.js';

const UNITS: Record<string, SizeUnit> = {
  mm: 'mm',
  毫米: 'mm',
  cm: 'cm',
  厘米: 'cm',
  公分: 'cm',
  m: 'm',
  米: 'm',
  meter: 'm',
  meters: 'm',
  metre: 'm',
  metres: 'm',
  in: 'in',
  inch: 'in',
  inches: 'in',
  英寸: 'in',
  寸: 'in',
  '"': 'in',
  ml: 'ml',
  毫升: 'ml',
  l: 'L',
  升: 'L',
  公升: 'L',
  liter: 'L',
  liters: 'L',
  litre: 'L',
  litres: 'L',
};
// Longest first so that 毫米 wins over 米 and inches over in.
const UNIT =
  '(毫米|厘米|公分|英寸|毫升|公升|mm|cm|ml|inches|inch|meters?|metres?|liters?|litres?|米|寸|升(?!级|值|温|高)|m|l|")(?![a-z])';
const SEP = '\\s*[x×*乘]\\s*';
/** Every pattern below ends in a unit (一米八 too): text without one holds no size. */
const ANY_UNIT = new RegExp(UNIT, 'iu');

const DIMS = new RegExp(`(${AR_NUMBER})${SEP}(${AR_NUMBER})(?:${SEP}(${AR_NUMBER}))?\\s*${UNIT}`, 'giu');
const SINGLE = new RegExp(`(${NUMBER})\\s*${UNIT}`, 'giu');
/** 一米八 = 1.8 m, 一米七五 = 1.75 m. */
const METRE_AND_TENTHS = /([一二两三])米([一二三四五六七八九])([一二三四五六七八九])?/gu;

type Size = Entities['sizes'][number];

export function extractSizes(text: string): Size[] {
  if (!ANY_UNIT.test(text)) return [];
  const out: (Size & { at: number; end: number })[] = [];
  const taken = (at: number, end: number) => out.some((s) => at < s.end && end > s.at);
  for (const m of text.matchAll(DIMS)) {
    const dims = [m[1], m[2], m[3]].filter((d): d is string => d !== undefined).map(Number);
    out.push({
      value: dims[0]!,
      unit: UNITS[m[4]!.toLowerCase()]!,
      dims,
      text: m[0],
      at: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const m of text.matchAll(METRE_AND_TENTHS)) {
    const value = Number(`${parseNumber(m[1]!)}.${parseNumber(m[2]!)}${m[3] ? parseNumber(m[3]) : ''}`);
    out.push({ value, unit: 'm', text: m[0], at: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(SINGLE)) {
    const end = m.index + m[0].length;
    if (taken(m.index, end)) continue;
    // A Chinese numeral glued to a preceding Han character is part of a word (统一米粉), not a size.
    if (
      new RegExp(`^${CN_NUMBER}$`, 'u').test(m[1]!) &&
      /\p{Script=Han}/u.test(text[m.index - 1] ?? '') &&
      !/[了是有约为差短长宽高深]/u.test(text[m.index - 1]!)
    )
      continue;
    const value = parseNumber(m[1]!);
    const unit = UNITS[m[2]!.toLowerCase()];
    if (!Number.isFinite(value) || unit === undefined) continue;
    out.push({ value, unit, text: m[0], at: m.index, end });
  }
  return out.sort((a, b) => a.at - b.at).map(({ at: _a, end: _e, ...s }) => s);
}
