/**
 * The share of the goods affected, 0..1: `一半` / half → 0.5, `三分之一` / a third, `百分之三十` /
 * `30%`, `3 of 10` / `3 out of 10`, `10个坏了3个`, `全部` / all of them → 1. A discount
 * (`30% off`, `打八折`) is not a share.
 */
import { NUMBER, parseNumber } from './numerals.js';

type Share = { ratio: number; text: string };

/** Each pattern with a cheap test of what it cannot match without: most messages skip most patterns. */
const WORDS: [RegExp, number, RegExp][] = [
  [/一半|半数|半箱|半盒|半袋|\bhalf\b/giu, 0.5, /半|half/iu],
  [
    /全部|全都|一整箱|整箱都|\ball of (?:them|it)\b|\bevery (?:single )?one\b|\bthe whole (?:box|bag|batch|case)\b/giu,
    1,
    /全|整|all|every|whole/iu,
  ],
  [/\b(?:a|one) third\b/giu, 1 / 3, /third/iu],
  [/\b(?:a|one) quarter\b/giu, 0.25, /quarter/iu],
  [/\btwo thirds\b/giu, 2 / 3, /third/iu],
  [/大部分|大半|\bmost of (?:them|it)\b/giu, 0.7, /大|most/iu],
];
const FRACTION_ZH = new RegExp(`(${NUMBER})分之(${NUMBER})`, 'gu');
const PERCENT_ZH = new RegExp(`百分之(${NUMBER})`, 'gu');
const PERCENT = /(\d+(?:\.\d+)?)\s*(?:%|percent\b)(?!\s*(?:off|discount|优惠|折扣))/giu;
const OF = /\b(\d+)\s+(?:out\s+)?of\s+(?:the\s+|my\s+)?(\d+)\b/giu;
const COUNTS_ZH =
  /(\d+|[一二两三四五六七八九十]+)\s*([个只颗盒袋瓶包斤箱])[^\d。.!！?？]{0,10}?(\d+|[一二两三四五六七八九十]+)\s*\2/gu;

const PERCENT_SIGN = /%|percent/iu;
const DIGITS = /\d/u;
/** A unit counted twice (10个坏了3个): text with fewer than two such characters has no count. */
const TWO_UNITS = /[个只颗盒袋瓶包斤箱].*[个只颗盒袋瓶包斤箱]/su;

export function extractShares(text: string): Share[] {
  const out: (Share & { at: number; end: number })[] = [];
  const push = (ratio: number, m: RegExpMatchArray) => {
    const at = m.index!;
    const end = at + m[0].length;
    if (out.some((o) => at < o.end && end > o.at)) return; // 百分之三十 is one share, not two
    if (Number.isFinite(ratio) && ratio > 0 && ratio <= 1)
      out.push({ ratio: Math.round(ratio * 1000) / 1000, text: m[0], at, end });
  };
  for (const [re, ratio, gate] of WORDS) if (gate.test(text)) for (const m of text.matchAll(re)) push(ratio, m);
  if (text.includes('分之')) {
    for (const m of text.matchAll(PERCENT_ZH)) push(parseNumber(m[1]!) / 100, m);
    for (const m of text.matchAll(FRACTION_ZH)) push(parseNumber(m[2]!) / parseNumber(m[1]!), m);
  }
  if (PERCENT_SIGN.test(text)) for (const m of text.matchAll(PERCENT)) push(Number(m[1]) / 100, m);
  if (DIGITS.test(text)) for (const m of text.matchAll(OF)) push(Number(m[1]) / Number(m[2]), m);
  if (TWO_UNITS.test(text))
    for (const m of text.matchAll(COUNTS_ZH)) {
      const a = parseNumber(m[1]!);
      const b = parseNumber(m[3]!);
      if (a !== b) push(Math.min(a, b) / Math.max(a, b), m);
    }
  return out.sort((a, b) => a.at - b.at).map(({ ratio, text }) => ({ ratio, text }));
}
