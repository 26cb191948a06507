/**
 * Which language to reply in, from the text alone (a channel's `locale` wins when there is one).
 * Chinese shoppers mix in English words (`我的order还没到`) and English writers rarely mix in
 * Chinese, so Han characters are counted against Latin words and Chinese wins ties. Text with
 * neither (emoji, digits, garbage) gets the shop's default, zh-CN.
 */
import type { Lang } from './labels.js';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}|\b[Ii]\b/g;

export const DEFAULT_LANG: Lang = 'zh-CN';

export function detectLang(text: string): Lang {
  const sample = text.length > 2000 ? text.slice(0, 2000) : text;
  const han = sample.match(HAN)?.length ?? 0;
  const latin = sample.match(LATIN_WORD)?.length ?? 0;
  if (han === 0 && latin === 0) return DEFAULT_LANG;
  return han >= latin ? 'zh-CN' : 'en';
}
