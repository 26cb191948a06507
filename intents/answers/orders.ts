/**
 * Which of a shopper's orders (and which item in it) their words point to: "零食那个订单",
 * "收纳箱那单", "the milk", "the strawberry order", a brand or shop ("海飞丝", "Dyson"), a category
 * word ("生鲜", "appliance"), when it came ("昨天到的", "delivered yesterday"), a position in the list
 * shown ("第二个", "the second one"), or the product named in a first message ("卡乐比薯条过期了").
 */
import { extractDates } from '../extract/dates.js';
import { bestNamed, type ChoiceOption } from './choice.js';
import { pickByOrdinal } from './ordinal.js';

export interface OrderCandidate {
  id: string;
  merchant: string;
  /** ISO time; absent while in transit. */
  deliveredAt?: string;
  items: { sku: string; names: string[]; category: string }[];
}

export type OrderMatch =
  | { kind: 'one'; orderId: string; sku?: string }
  | { kind: 'several'; orderIds: string[] }
  | { kind: 'none' };

/** Words shoppers use for a whole category of goods. */
const CATEGORY_WORDS: Record<string, string[]> = {
  food: ['零食', '食品', '吃的', '小吃', '饮料', '奶', 'snack', 'snacks', 'food', 'groceries', 'drink'],
  fresh: ['生鲜', '水果', '海鲜', '鲜货', 'fresh', 'fruit', 'seafood', 'produce'],
  daily_chemical: ['日化', '洗护', '洗漱', 'toiletries', 'cleaning'],
  home: ['家居', '家具', '日用', 'furniture', 'homeware', 'household'],
  appliance: ['电器', '家电', 'appliance', 'electronics'],
  other: [],
};

const sameDay = (iso: string, ymd: string): boolean => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}` === ymd;
};

/**
 * `min` is how strong a name match must be: 2 for an answer to "which order?", more for a first
 * message, whose other words (过期, broken) are about the problem, not the product.
 */
export function matchOrder(text: string, orders: readonly OrderCandidate[], now: Date, min = 2): OrderMatch {
  const byPosition = pickByOrdinal(text, orders);
  if (byPosition) return { kind: 'one', orderId: byPosition.id };
  const options: (ChoiceOption & { order: OrderCandidate })[] = orders.map((o) => ({
    value: o.id,
    order: o,
    names: [o.merchant, ...o.items.flatMap((i) => [...i.names, i.sku, ...(CATEGORY_WORDS[i.category] ?? [])])],
  }));
  let named = bestNamed(text, options, min).map((x) => x.order);
  // "昨天到的": keep the orders delivered that day (or find them by the day alone).
  const days = extractDates(text, now, { expect: 'delivery' })
    .filter((d) => d.role === 'delivery')
    .map((d) => d.date);
  if (days.length > 0) {
    const onDay = (named.length > 0 ? named : orders).filter(
      (o) => o.deliveredAt && days.some((d) => sameDay(o.deliveredAt!, d)),
    );
    if (onDay.length > 0) named = onDay;
  }
  if (named.length === 0) return { kind: 'none' };
  if (named.length > 1) return { kind: 'several', orderIds: named.map((o) => o.id) };
  const order = named[0]!;
  const sku = matchItem(text, order, min);
  return { kind: 'one', orderId: order.id, ...(sku ? { sku } : {}) };
}

/** The one item of `order` the words name, if exactly one ("卡乐比" in a two-item order). */
export function matchItem(text: string, order: OrderCandidate, min = 2): string | undefined {
  if (order.items.length === 1) return order.items[0]!.sku;
  const named = bestNamed(
    text,
    order.items.map((i) => ({ value: i.sku, names: [...i.names, i.sku] })),
    min,
  );
  return named.length === 1 ? named[0]!.value : undefined;
}
