/**
 * Money in yuan: `¥59`, `59元`, `59.9 块钱`, `RMB 59`, `59 yuan`, `五十九元`. A bare `块` counts only
 * after Arabic digits and not before a noun, because `3块饼干` is three biscuits, not ¥3.
 */
import { AR_NUMBER, CN_NUMBER, parseNumber } from './numerals.js';

const PATTERNS: RegExp[] = [
  new RegExp(`(?:[¥]|rmb|cny)\\s*(${AR_NUMBER})`, 'giu'),
  new RegExp(`(${AR_NUMBER})\\s*(?:元(?!旦|素|宵)|块钱|rmb\\b|yuan\\b|cny\\b|kuai\\b)`, 'giu'),
  new RegExp(`(${AR_NUMBER})\\s*块(?![\\p{Script=Han}a-z])`, 'giu'),
  new RegExp(`(${CN_NUMBER})(?:元(?!旦|素|宵)|块钱)`, 'gu'),
];

/** What every pattern above needs (a currency sign, word or unit): text without any holds no amount. */
const ANY_CURRENCY = /[¥元块]|rmb|cny|yuan|kuai/iu;

export function extractAmounts(text: string): { yuan: number; text: string }[] {
  if (!ANY_CURRENCY.test(text)) return [];
  const out: { yuan: number; text: string; at: number }[] = [];
  for (const re of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const yuan = parseNumber(m[1]!);
      if (!Number.isFinite(yuan) || out.some((o) => o.at === m.index)) continue;
      out.push({ yuan, text: m[0].trim(), at: m.index });
    }
  }
  return out.sort((a, b) => a.at - b.at).map(({ yuan, text }) => ({ yuan, text }));
}
