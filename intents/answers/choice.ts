/**
 * Which of a prompt's advertised choices a shopper meant: the choice's value (a button's `value`
 * or the value typed, such as an SKU), one of its titles in either language, a position
 * ("2", 第二个, "the second one"), or a fragment that fits one choice only ("卡乐比", "seaweed").
 * Several choices fitting a fragment is an answer too: the prompt can offer just those.
 */
import { pickByOrdinal } from './ordinal.js';

export interface ChoiceOption {
  value: string;
  /** Titles and other names (both languages, SKU, brand): any of them names the choice. */
  names: string[];
}

export type ChoiceAnswer =
  | { ok: true; value: string }
  | { ok: false; reason: 'choice' }
  | { ok: false; reason: 'ambiguous'; values: string[] };

/** Lower-case, full-width folded, without spaces and punctuation: how names are compared. */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

// Words that carry no name: "the", "one", 那个, 订单...
const FILLER_EN = new Set([
  'the',
  'a',
  'an',
  'one',
  'it',
  'its',
  'is',
  'my',
  'that',
  'this',
  'order',
  'item',
  'please',
  'i',
  'mean',
  'want',
  'with',
  'of',
  'and',
  'for',
  'pack',
  'thanks',
  'thank',
  'you',
  'was',
  'were',
  'got',
  'from',
  'in',
  'on',
  'to',
  'me',
  'about',
  'yes',
  'no',
]);
const FILLER_ZH = /那个|这个|那笔|这笔|那单|这单|那件|这件|订单|商品|东西|谢谢|我要|我说|买的|的|是|就|吧|呀|啊/gu;

/** "strawberries" and "strawberry", "boxes" and "box" compare equal. */
function stem(word: string): string {
  return word.replace(/ies$/, 'y').replace(/(?<=[^s])(?:es|s)$/, '');
}

function longestCommon(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

/**
 * How strongly `text` names something called `names`: the longest run of Chinese it shares with
 * a name (two characters at least: 零食, 草莓), plus the length of each English word it shares
 * ("milk", "strawberry" for "strawberries"). 0 when nothing is shared.
 */
export function nameScore(text: string, names: readonly string[]): number {
  const norm = text.normalize('NFKC').toLowerCase();
  const han = (norm.match(/\p{Script=Han}+/gu) ?? []).join('|').replace(FILLER_ZH, '|');
  let zh = 0;
  if (han.replace(/\|/g, '') !== '') for (const n of names) zh = Math.max(zh, longestCommon(han, fold(n)));
  if (zh < 2) zh = 0;
  const nameWords = new Set(
    names
      .flatMap(
        (n) =>
          n
            .normalize('NFKC')
            .toLowerCase()
            .match(/[a-z][a-z0-9]*/g) ?? [],
      )
      .map(stem),
  );
  const words = (norm.match(/[a-z][a-z0-9]*/g) ?? []).filter((w) => w.length >= 3 && !FILLER_EN.has(w));
  const en = words.filter((w) => nameWords.has(stem(w))).reduce((sum, w) => sum + w.length, 0);
  return zh + en;
}

/** The options `text` names best (several when tied), at a score of `min` or more. */
export function bestNamed<T extends ChoiceOption>(text: string, options: readonly T[], min = 2): T[] {
  const scored = options.map((o) => ({ o, s: nameScore(text, o.names) })).filter((x) => x.s >= min);
  const best = Math.max(0, ...scored.map((x) => x.s));
  return scored.filter((x) => x.s === best).map((x) => x.o);
}

export function recognizeChoice(text: string, value: unknown, options: readonly ChoiceOption[]): ChoiceAnswer {
  if (typeof value === 'string' || typeof value === 'number') {
    const v = String(value);
    const byValue = options.find((o) => o.value === v);
    if (byValue) return { ok: true, value: byValue.value };
  }
  const t = fold(text);
  if (t === '') return { ok: false, reason: 'choice' };
  const exact = options.filter((o) => fold(o.value) === t || o.names.some((n) => fold(n) === t));
  if (exact.length === 1) return { ok: true, value: exact[0]!.value };
  const byPosition = pickByOrdinal(text, options);
  if (byPosition) return { ok: true, value: byPosition.value };
  // A fragment of one name only ("12包"), then the name sharing most with the answer.
  const inside = t.length >= 2 ? options.filter((o) => o.names.some((n) => fold(n).includes(t))) : [];
  if (inside.length === 1) return { ok: true, value: inside[0]!.value };
  const named = bestNamed(text, options);
  if (named.length === 1) return { ok: true, value: named[0]!.value };
  if (named.length > 1) return { ok: false, reason: 'ambiguous', values: named.map((o) => o.value) };
  return { ok: false, reason: 'choice' };
}
