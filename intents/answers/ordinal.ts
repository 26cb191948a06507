/**
 * Ordinals a shopper uses to pick from a list: "2", "2.", "第二个", "第2笔", "二", "the second one",
 * "2nd", "number 2", "最后一个", "the last one". 1-based; `-1` means the last.
 */
import { parseNumber } from '../extract/numerals.js';

const EN: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
};
const PLAIN = /^(?:no\.?|number|#|选|选择|就)?\s*(\d{1,2})\s*[.)、号]?$/iu;
const ZH =
  /^(?:就是|是|选|要)?第?\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个|笔|件|单|项|款|条|种)(?:吧|啊|呀)?$|^第\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个|笔|件|单|项|款|条|种)?/u;
const EN_WORD =
  /^(?:(?:it'?s|its|i (?:want|mean|pick|choose)|pick|choose)\s+)?(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))(?:\s+(?:one|order|item|option|choice))?(?:\s+please)?$/iu;
const LAST = /^(?:the\s+)?last(?:\s+(?:one|order|item|option))?(?:\s+please)?$|^最后(?:一个|一笔|一件|那个|那笔)?$/iu;

/** The 1-based position the text picks, -1 for "the last", or undefined. */
export function ordinalOf(raw: string): number | undefined {
  const text = raw
    .normalize('NFKC')
    .trim()
    .replace(/[。.!！?？,，]+$/u, '')
    .trim();
  if (LAST.test(text)) return -1;
  const plain = PLAIN.exec(text);
  if (plain) return Number(plain[1]);
  const zh = ZH.exec(text);
  if (zh) {
    const n = parseNumber((zh[1] ?? zh[2])!);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  }
  const en = EN_WORD.exec(text);
  if (en) {
    const w = en[1]!.toLowerCase();
    return EN[w] ?? parseInt(w, 10);
  }
  return undefined;
}

/** The option `text` picks by position, if any. */
export function pickByOrdinal<T>(text: string, options: readonly T[]): T | undefined {
  const n = ordinalOf(text);
  if (n === undefined) return undefined;
  return n === -1 ? options[options.length - 1] : options[n - 1];
}
