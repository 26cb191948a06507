/**
 * Weights in grams: `500g`, `2.5kg`, `1斤` (500 g), `八两` (50 g a 两), `一斤半`, `半斤`, `3 lb`,
 * `12 oz`. The unit 两 is only taken when it cannot be "two of something" (`三两天` is not 150 g).
 */
import { NUMBER, parseNumber } from './numerals.js';

const GRAMS: Record<string, number> = {
  g: 1,
  gram: 1,
  grams: 1,
  克: 1,
  kg: 1000,
  kgs: 1000,
  kilo: 1000,
  kilos: 1000,
  千克: 1000,
  公斤: 1000,
  斤: 500,
  jin: 500,
  两: 50,
  lb: 453.6,
  lbs: 453.6,
  pound: 453.6,
  pounds: 453.6,
  oz: 28.35,
  ounce: 28.35,
  ounces: 28.35,
};

const UNIT =
  '(kgs?|kilos?|grams?|g|千克|公斤|克|斤|两(?![天个次年月周件下句人位块包瓶箱袋盒只条份])|jin|lbs?|pounds?|oz|ounces?)(?![a-z0-9])';
const WEIGHT = new RegExp(`(${NUMBER}|半)\\s*${UNIT}(半)?`, 'giu');
/** A weight ends in its unit: text without one holds no weight. */
const ANY_UNIT = new RegExp(UNIT, 'iu');

export function extractWeights(text: string): { grams: number; text: string }[] {
  const out: { grams: number; text: string }[] = [];
  if (!ANY_UNIT.test(text)) return out;
  for (const m of text.matchAll(WEIGHT)) {
    const n = m[1] === '半' ? 0.5 : parseNumber(m[1]!);
    const perUnit = GRAMS[m[2]!.toLowerCase()];
    if (!Number.isFinite(n) || perUnit === undefined || n <= 0) continue;
    const amount = m[3] !== undefined ? n + 0.5 : n; // 一斤半: one and a half jin
    out.push({ grams: Math.round(amount * perUnit * 100) / 100, text: m[0] });
  }
  return out;
}
