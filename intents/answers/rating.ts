/**
 * A satisfaction rating, 1 to 5, as shoppers type it: "5", "5星", "五星好评", "4分", "great, 5
 * stars", "5/5", "★★★★", or words alone ("很满意", "terrible", "great"). Undefined when none.
 */
import { parseNumber } from '../extract/numerals.js';

const NUMBER = /(?<![\d.])([1-5]|[一二两三四五])\s*(?:颗)?\s*(?:星|分|stars?|points?|\/\s*5|out of 5)?(?![\d.])/iu;
const EN_NUMBER = /\b(one|two|three|four|five)\b(?:\s*(?:stars?|points?|out of (?:5|five)|\/\s*5))/iu;
const EN_VALUE: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
// Negative rows first: 不满意 contains 满意.
const WORDS: [RegExp, number][] = [
  [/很差|太差|垃圾|非常不满意|terrible|awful|horrible|useless|worst/iu, 1],
  [/不满意|不好|差劲|\bbad\b|poor|unhappy|disappointed|not (?:good|great|happy|helpful)/iu, 2],
  [/非常满意|很满意|太棒|超棒|完美|excellent|perfect|amazing|fantastic|awesome|great|love it/iu, 5],
  [/满意|不错|挺好|很好|good|nice|helpful/iu, 4],
  [/一般|还行|凑合|\bok\b|okay|so-so|average|fine/iu, 3],
];

export function recognizeRating(raw: string): number | undefined {
  const text = raw.normalize('NFKC').trim();
  if (text === '' || text.length > 60) return undefined;
  const stars = /^(?:[★⭐\s]|\uFE0F)+$/u.test(text) ? [...text.matchAll(/[★⭐]/gu)].length : 0;
  if (stars >= 1 && stars <= 5) return stars;
  const m = NUMBER.exec(text);
  if (m) {
    const n = parseNumber(m[1]!);
    if (n >= 1 && n <= 5) return n;
  }
  const en = EN_NUMBER.exec(text);
  if (en) return EN_VALUE[en[1]!.toLowerCase()];
  for (const [re, score] of WORDS) if (re.test(text)) return score;
  return undefined;
}
