/**
 * Numbers as shoppers write them: Arabic (`1.8`, `500`) or Chinese (`八`, `两`, `三十五`,
 * `一百二十`). `NUMBER` is a regex source that matches either; `parseNumber` reads a match.
 */
const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

export const CN_NUMBER = '[零〇一二两三四五六七八九十百千万]+';
export const AR_NUMBER = '\\d+(?:\\.\\d+)?';
export const NUMBER = `(?:${AR_NUMBER}|${CN_NUMBER})`;

/** Reads a Chinese numeral (`三十五` → 35); NaN when it is not one. */
export function parseChineseNumber(s: string): number {
  let total = 0;
  let section = 0;
  let digit = -1;
  for (const ch of s) {
    if (ch in DIGITS) {
      if (digit >= 0) return NaN; // two digits in a row (一二) is not a number here
      digit = DIGITS[ch]!;
    } else if (ch === '万') {
      total += (section + Math.max(digit, 0)) * 10000;
      section = 0;
      digit = -1;
    } else if (ch in UNITS) {
      section += (digit < 0 ? 1 : digit) * UNITS[ch]!; // 十二: an absent leading digit means one
      digit = -1;
    } else {
      return NaN;
    }
  }
  return total + section + Math.max(digit, 0);
}

export function parseNumber(s: string): number {
  return /^\d/.test(s) ? Number(s) : parseChineseNumber(s);
}
