/**
 * Orders and shoppers as kefu reads them from the shop: `data/orders.yaml` by default; a real
 * shop implements `OrderSource`.
 */
import type { Category, MemberTier } from '../rules/facts.js';

export interface OrderItem {
  sku: string;
  name: string;
  /** The name English-speaking shoppers see and use (`name_en` in the order file). */
  nameEn?: string;
  category: Category;
  quantity: number;
  /** Yuan per unit, list price. */
  price: number;
  /**
   * Yuan per unit the shopper actually paid, after coupons and discounts (refunds and
   * compensation are computed on it); absent: the list price.
   */
  paidPrice?: number;
  /** Live goods (crabs, shellfish): a 12 h report window instead of 48 h. */
  live?: boolean;
  /** Sold frozen: the shopper is asked whether it arrived thawed. */
  frozen?: boolean;
  /** Shelf life in days, from the label or the catalogue. */
  shelfLifeDays?: number;
  /** Nominal net content in g or ml (packaged goods, fresh goods sold by weight). */
  netContent?: number;
}

export interface Order {
  id: string;
  shopperId: string;
  items: OrderItem[];
  /** Yuan, what the shopper paid. */
  amount: number;
  placedAt: string;
  /** ISO time; absent while in transit. */
  deliveredAt?: string;
  /** Expiry date of food items, when the order source knows it (ISO date). */
  expiresOn?: string;
  /** The shop that sold it (Tmall-style supermarkets host several merchants). */
  merchant?: string;
}

export interface Shopper {
  id: string;
  name: string;
  tier: MemberTier;
  priorClaims90d: number;
}

/** Where orders come from: `data/orders.yaml` by default; a real shop implements this. */
export interface OrderSource {
  getOrder(id: string): Promise<Order | undefined>;
  ordersOf(shopperId: string): Promise<Order[]>;
  getShopper(id: string): Promise<Shopper | undefined>;
}
