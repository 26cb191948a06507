/**
 * What a simulated shopper says, per slot and language: several paraphrases of each true value,
 * with fillers, code-mixing and small typos, chosen by a seeded random source.
 */
import type { Order, OrderItem } from '../../domain/orders.js';

export type Lang = 'zh-CN' | 'en';
export type Rand = () => number;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ZH_NUM = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A light typo in English words (a doubled letter), sometimes; Chinese is left alone. */
export function typo(r: Rand, text: string): string {
  if (r() > 0.15 || !/[a-z]{4,}/.test(text)) return text;
  return text.replace(/([a-z])([a-z]{3,})/, (_m, a: string, b: string) => `${a}${a}${b}`);
}

export const COMPLAINT_FIRST: Record<string, Record<Lang, string[]>> = {
  expired_food: {
    'zh-CN': ['{p}过期了', '买的{p}快过期了', '{p}已经过期了，怎么处理', '收到的{p}临期了'],
    en: ['the {p} expired', 'my {p} arrived already expired', 'the {p} is about to expire', '{p} past its expiry date'],
  },
  fresh_produce_loss: {
    'zh-CN': ['{p}烂了', '收到的{p}坏了', '{p}都烂掉了'],
    en: ['the {p} arrived rotten', 'my {p} went bad on arrival', 'the {p} were spoiled'],
  },
  damaged_packaging: {
    'zh-CN': ['{p}破了漏了', '{p}收到时压坏了', '{p}包装破损'],
    en: ['the {p} arrived broken and leaking', 'the {p} box was crushed', 'the {p} was damaged in transit'],
  },
  size_mismatch: {
    'zh-CN': ['{p}尺寸和描述不符', '{p}比页面写的小'],
    en: ['the {p} is smaller than listed', 'the {p} size does not match the listing'],
  },
  quality_defect: {
    'zh-CN': ['{p}坏了不能用', '{p}不工作了'],
    en: ['the {p} stopped working', 'my {p} is faulty and does not work'],
  },
};
/** A generic product word when the shopper does not name the product. */
const GENERIC: Record<Lang, string[]> = { 'zh-CN': ['东西', '商品'], en: ['item', 'thing I bought'] };

/** A short name a shopper would use for the item: a fragment of its name. */
export function shortName(r: Rand, lang: Lang, item: OrderItem): string {
  const name = lang === 'en' && item.nameEn ? item.nameEn : item.name;
  const words = name.split(/[\s,()（）]+/).filter((w) => w.length >= 2 && !/\d/.test(w));
  if (lang === 'en')
    return words
      .slice(0, 2 + Math.floor(r() * 2))
      .join(' ')
      .toLowerCase();
  const first = words[0] ?? name;
  return first.length > 4 ? first.slice(first.length - 4 + Math.floor(r() * 2)) : first;
}

export function firstMessage(
  r: Rand,
  lang: Lang,
  complaint: string,
  product: string | undefined,
  orderId: string | undefined,
): string {
  const base = pick(r, COMPLAINT_FIRST[complaint]![lang]).replace('{p}', product ?? pick(r, GENERIC[lang]));
  const id = orderId ? (lang === 'en' ? `, order ${orderId}` : `，订单${orderId}`) : '';
  return typo(r, base + id);
}

export function dateText(r: Rand, lang: Lang, date: Date, offset: number): string {
  const m = date.getMonth() + 1;
  const d = date.getDate();
  const iso = `${date.getFullYear()}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const forms: string[] = [iso];
  if (lang === 'zh-CN') {
    forms.push(`${m}月${d}日`, `${m}月${d}号`, `保质期到${m}月${d}日`);
    if (offset > 0 && offset <= 10)
      forms.push(`${ZH_NUM[offset]}天后过期`, `只剩${ZH_NUM[offset]}天`, `还有${offset}天`);
    if (offset < 0 && offset >= -9) forms.push(`${ZH_NUM[-offset]}天前就过期了`, `${-offset}天前`);
    if (offset === -1) forms.push('昨天');
  } else {
    forms.push(`${MONTHS[m - 1]} ${d}`, `${d} ${MONTHS[m - 1]}`, `best before ${MONTHS[m - 1]} ${d}`);
    if (offset > 0 && offset <= 7) forms.push(`in ${offset} days`, `${offset} days left`);
    if (offset < 0 && offset >= -7) forms.push(`${-offset} days ago`);
    if (offset === -1) forms.push('yesterday');
  }
  return pick(r, forms);
}

export const SHARE: Record<Lang, [number, string[]][]> = {
  'zh-CN': [
    [0.5, ['一半', '50%', '坏了一半', '百分之50']],
    [0.3, ['30%', '3/10', '三成']],
    [1, ['全部', '全坏了', '100%']],
    [0.2, ['20%', '2/10']],
  ],
  en: [
    [0.5, ['half', '50%', 'about half of them', '5 of 10']],
    [0.3, ['30%', '3/10', '3 out of 10']],
    [1, ['all of them', '100%']],
    [0.2, ['20%', '2 of 10']],
  ],
};

export const MERCHANT: Record<string, Record<Lang, string[]>> = {
  not_contacted: {
    'zh-CN': ['还没联系商家', '还没', '没有联系', '没联系过商家'],
    en: ['not yet', "I haven't contacted them", "haven't contacted the seller", 'no'],
  },
  refused: {
    'zh-CN': ['商家拒绝了', '商家不给退', '卖家说不是他们的问题'],
    en: ['the seller refused', 'they refused', "the merchant won't refund"],
  },
  agreed: { 'zh-CN': ['商家同意处理', '商家答应补发了'], en: ['the seller agreed to fix it', 'they agreed'] },
  no_reply: {
    'zh-CN': ['商家没回复', '商家一直不回'],
    en: ["the seller hasn't replied", 'no reply from the merchant'],
  },
};
export const HOURS: Record<Lang, [number, string[]][]> = {
  'zh-CN': [
    [48, ['两天', '48小时', '48']],
    [72, ['三天', '72小时']],
  ],
  en: [
    [48, ['two days', '48 hours', '48']],
    [72, ['three days', '72 hours']],
  ],
};
export const YES: Record<Lang, string[]> = {
  'zh-CN': ['是的', '可以，谢谢', '对', '好的', '嗯，是这个'],
  en: ['yes', 'yes please', 'sure', 'yep, that one', 'ok thanks'],
};
export const NO: Record<Lang, string[]> = {
  'zh-CN': ['没有', '不是', '没标', '没有，页面没写'],
  en: ['no', "no, it didn't", 'nope', 'not at all'],
};
export const SKIP: Record<Lang, string[]> = {
  'zh-CN': ['跳过', '没有视频，不好意思', '没拍', '先跳过'],
  en: ['skip', 'no video sorry', "I didn't take one", 'skip this'],
};
export const CANCEL: Record<Lang, string[]> = {
  'zh-CN': ['算了', '算了不要了，不处理了', '不弄了'],
  en: ['cancel', "forget it, I don't want to deal with this", 'never mind'],
};
export const PERSON: Record<Lang, string[]> = {
  'zh-CN': ['转人工', '帮我找个人工吧', '人工客服'],
  en: ['agent', 'can I talk to a real person please', 'human'],
};
export const ORDINAL: Record<Lang, string[]> = {
  'zh-CN': ['第{n}个', '{n}', '第{n}笔'],
  en: ['the {nth} one', '{n}', 'number {n}'],
};
export const NTH = ['first', 'second', 'third', 'fourth', 'fifth'];

export function sizeText(r: Rand, lang: Lang, cm: number): string {
  return pick(r, lang === 'en' ? [`${cm} cm`, `${cm}cm`, `${cm / 100} m`] : [`${cm}厘米`, `${cm}cm`, `${cm / 100}米`]);
}

/** The complaint a demo item invites (logistics and gift cards are left out: nothing to check). */
export function complaintFor(order: Order, item: OrderItem): string | undefined {
  if (!order.deliveredAt) return undefined;
  if (item.category === 'food') return 'expired_food';
  if (item.category === 'fresh') return 'fresh_produce_loss';
  if (item.category === 'daily_chemical') return 'damaged_packaging';
  if (item.category === 'appliance') return 'quality_defect';
  if (item.sku.startsWith('TBL')) return 'size_mismatch';
  if (item.category === 'home') return 'damaged_packaging';
  return undefined;
}
