/**
 * Parses the demo order file (`data/orders.yaml`, format in docs/storage.md) into shoppers and
 * orders, resolving relative times against `now`. Every mistake is reported with its
 * `file:line:col`; nothing half-valid is returned.
 */
import { MEMBER_TIERS, CATEGORIES } from '../../rules/facts.js';
import { resolveDate, resolveTime } from './relativeTime.js';
import type { Order, OrderItem, Shopper } from '../../domain/orders.js';
import { YamlReader } from '../../lib/yamlReader.js';
import { isScalar, type Node } from 'yaml';

export interface OrderFile {
  shoppers: Shopper[];
  orders: Order[];
}

const ORDER_ID = /^\d{18}$/;
const round2 = (n: number) => Math.round(n * 100) / 100;

export function parseOrderFile(file: string, source: string, now: Date): OrderFile {
  const r = new YamlReader(file, source, { intAsBigInt: true });
  r.check();
  const top = r.map(r.root, 'the order file', ['shoppers', 'orders']);
  const shoppers: Shopper[] = [];
  const orders: Order[] = [];
  if (top) {
    const shoppersNode = r.field(top, 'shoppers', 'the order file', true);
    const shopperSeq = shoppersNode && r.seq(shoppersNode, 'shoppers');
    for (const node of shopperSeq?.items ?? []) {
      const s = readShopper(r, node as Node);
      if (s) shoppers.push(s);
    }
    const ordersNode = r.field(top, 'orders', 'the order file', true);
    const orderSeq = ordersNode && r.seq(ordersNode, 'orders');
    for (const node of orderSeq?.items ?? []) {
      const o = readOrder(r, node as Node, now);
      if (o) orders.push({ ...o.order });
      if (o && !shoppers.some((s) => s.id === o.order.shopperId)) {
        r.fail(o.shopperNode, `order ${o.order.id}: shopper '${o.order.shopperId}' is not listed under shoppers`);
      }
      if (o && orders.filter((x) => x.id === o.order.id).length > 1)
        r.fail(node as Node, `order ${o.order.id} is listed twice`);
    }
    const ids = new Set<string>();
    shopperSeq?.items.forEach((node, i) => {
      const id = shoppers[i]?.id;
      if (id !== undefined && ids.has(id)) r.fail(node as Node, `shopper '${id}' is listed twice`);
      if (id !== undefined) ids.add(id);
    });
  }
  r.check();
  return { shoppers, orders };
}

function readShopper(r: YamlReader, node: Node): Shopper | undefined {
  const m = r.map(node, 'shopper', ['id', 'name', 'tier', 'priorClaims90d']);
  if (!m) return undefined;
  const id = r.string(r.field(m, 'id', 'shopper', true), 'shopper id');
  const what = `shopper ${id ?? '?'}`;
  const name = r.string(r.field(m, 'name', what, true), `${what}: name`);
  const tier = r.oneOf(r.field(m, 'tier', what, true), `${what}: tier`, MEMBER_TIERS);
  const claimsNode = r.field(m, 'priorClaims90d', what, false);
  const priorClaims90d = claimsNode
    ? r.number(claimsNode, `${what}: priorClaims90d`, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0')
    : 0;
  if (id === undefined || name === undefined || tier === undefined || priorClaims90d === undefined) return undefined;
  return { id, name, tier, priorClaims90d };
}

function readOrder(r: YamlReader, node: Node, now: Date): { order: Order; shopperNode: Node | undefined } | undefined {
  const m = r.map(node, 'order', ['id', 'shopper', 'merchant', 'placed', 'delivered', 'amount', 'expiresOn', 'items']);
  if (!m) return undefined;
  const idNode = r.field(m, 'id', 'order', true);
  const rawId = r.string(idNode, 'order id');
  const id =
    rawId !== undefined && !ORDER_ID.test(rawId)
      ? r.fail(idNode, `order id '${rawId}' is not valid (expected 18 digits, like a Taobao order number)`)
      : rawId;
  const what = `order ${rawId ?? '?'}`;
  const shopperNode = r.field(m, 'shopper', what, true);
  const shopperId = r.string(shopperNode, `${what}: shopper`);
  const merchantNode = r.field(m, 'merchant', what, false);
  const merchant = merchantNode ? r.string(merchantNode, `${what}: merchant`) : undefined;
  const placed = time(r, r.field(m, 'placed', what, true), `${what}: placed`, now);
  const deliveredNode = r.field(m, 'delivered', what, false);
  const delivered = deliveredNode ? time(r, deliveredNode, `${what}: delivered`, now) : undefined;
  if (placed && delivered && delivered < placed) r.fail(deliveredNode, `${what}: delivered is before placed`);
  if (delivered && delivered.getTime() > now.getTime())
    r.fail(deliveredNode, `${what}: delivered is in the future (leave it out while in transit)`);

  const items: OrderItem[] = [];
  const itemsNode = r.field(m, 'items', what, true);
  const itemSeq = itemsNode && r.seq(itemsNode, `${what}: items`);
  if (itemSeq && itemSeq.items.length === 0) r.fail(itemSeq, `${what}: items is empty`);
  for (const itemNode of itemSeq?.items ?? []) {
    const item = readItem(r, itemNode as Node, what);
    if (item) items.push(item);
  }
  const amountNode = r.field(m, 'amount', what, false);
  const paidTotal = round2(items.reduce((sum, i) => sum + (i.paidPrice ?? i.price) * i.quantity, 0));
  const amount = amountNode ? r.number(amountNode, `${what}: amount`, (n) => n >= 0, 'yuan paid, ≥ 0') : paidTotal;
  // An order-level discount (amount below what the items cost) is shared pro rata, so each
  // item carries the unit price the shopper actually paid for it.
  if (amount !== undefined && amountNode && paidTotal > 0 && amount < paidTotal) {
    for (const i of items) i.paidPrice = round2(((i.paidPrice ?? i.price) * amount) / paidTotal);
  }

  const expiresNode = r.field(m, 'expiresOn', what, false);
  let expiresOn: string | undefined;
  if (expiresNode) {
    const text = r.string(expiresNode, `${what}: expiresOn`);
    expiresOn = text === undefined ? undefined : resolveDate(text, now);
    if (text !== undefined && expiresOn === undefined)
      r.fail(expiresNode, `${what}: expiresOn '${text}' is not a date (expected YYYY-MM-DD or relative like +5d, -2d)`);
  } else if (items.some((i) => i.category === 'food')) {
    r.fail(m, `${what}: has food items but no expiresOn (expected YYYY-MM-DD or relative like +5d)`);
  }
  if (!id || !shopperId || !placed || amount === undefined || items.length !== (itemSeq?.items.length ?? -1))
    return undefined;
  const order: Order = { id, shopperId, items, amount, placedAt: placed.toISOString() };
  if (delivered) order.deliveredAt = delivered.toISOString();
  if (expiresOn) order.expiresOn = expiresOn;
  if (merchant) order.merchant = merchant;
  return { order, shopperNode };
}

function readItem(r: YamlReader, node: Node, order: string): OrderItem | undefined {
  const m = r.map(node, `${order}: item`, [
    'sku',
    'name',
    'name_en',
    'category',
    'quantity',
    'price',
    'paid',
    'live',
    'frozen',
    'shelfLifeDays',
    'net',
  ]);
  if (!m) return undefined;
  const sku = r.string(r.field(m, 'sku', `${order}: item`, true), `${order}: item sku`);
  const what = `${order} item ${sku ?? '?'}`;
  const name = r.string(r.field(m, 'name', what, true), `${what}: name`);
  const enNode = r.field(m, 'name_en', what, false);
  const nameEn = enNode === undefined ? undefined : r.string(enNode, `${what}: name_en`);
  const category = r.oneOf(r.field(m, 'category', what, true), `${what}: category`, CATEGORIES);
  const qNode = r.field(m, 'quantity', what, false);
  const quantity = qNode
    ? r.number(qNode, `${what}: quantity`, (n) => Number.isInteger(n) && n > 0, 'a whole number ≥ 1')
    : 1;
  const price = r.number(r.field(m, 'price', what, true), `${what}: price`, (n) => n > 0, 'yuan per unit, > 0');
  const paidNode = r.field(m, 'paid', what, false);
  const paid = paidNode
    ? r.number(
        paidNode,
        `${what}: paid`,
        (n) => n >= 0 && (price === undefined || n <= price),
        'yuan paid per unit after discounts, between 0 and the price',
      )
    : undefined;
  const flag = (key: 'live' | 'frozen') => {
    const n = r.field(m, key, what, false);
    return n === undefined
      ? undefined
      : isScalar(n) && typeof n.value === 'boolean'
        ? n.value
        : r.fail(n, `${what}: ${key} must be true or false`);
  };
  const live = flag('live');
  const frozen = flag('frozen');
  const shelfNode = r.field(m, 'shelfLifeDays', what, false);
  const shelfLifeDays = shelfNode
    ? r.number(shelfNode, `${what}: shelfLifeDays`, (n) => Number.isInteger(n) && n > 0, 'a whole number of days ≥ 1')
    : undefined;
  const netNode = r.field(m, 'net', what, false);
  const netContent = netNode
    ? r.number(netNode, `${what}: net`, (n) => n > 0, 'nominal net content in g or ml, > 0')
    : undefined;
  if (!sku || !name || !category || quantity === undefined || price === undefined) return undefined;
  return {
    sku,
    name,
    ...(nameEn ? { nameEn } : {}),
    category,
    quantity,
    price,
    ...(paid === undefined ? {} : { paidPrice: paid }),
    ...(live === undefined ? {} : { live }),
    ...(frozen === undefined ? {} : { frozen }),
    ...(shelfLifeDays === undefined ? {} : { shelfLifeDays }),
    ...(netContent === undefined ? {} : { netContent }),
  };
}

function time(r: YamlReader, node: Node | undefined, what: string, now: Date): Date | undefined {
  if (node === undefined) return undefined;
  const text = r.string(node, what);
  if (text === undefined) return undefined;
  return (
    resolveTime(text, now) ??
    r.fail(node, `${what} '${text}' is not a time (expected relative like -6h, -3d, -40m or ISO 8601)`)
  );
}
