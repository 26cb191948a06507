/**
 * The demo `OrderSource`: shoppers and orders from `data/orders.yaml` (path in `ORDERS_FILE`),
 * relative times resolved once, at load. A real shop replaces this with a client of its order
 * system implementing the same three methods.
 */
import { readFileSync } from 'node:fs';
import { parseOrderFile } from './orderFile.js';
import type { Order, OrderSource, Shopper } from '../../domain/orders.js';

export class YamlOrderSource implements OrderSource {
  private readonly byId: Map<string, Order>;
  private readonly shopperById: Map<string, Shopper>;

  private constructor(
    readonly shoppers: readonly Shopper[],
    readonly orders: readonly Order[],
  ) {
    this.byId = new Map(orders.map((o) => [o.id, o]));
    this.shopperById = new Map(shoppers.map((s) => [s.id, s]));
  }

  /** Throws DataFileError listing every mistake as `file:line:col message`. */
  static load(file: string, now: Date = new Date()): YamlOrderSource {
    const { shoppers, orders } = parseOrderFile(file, readFileSync(file, 'utf8'), now);
    return new YamlOrderSource(shoppers, orders);
  }

  static fromText(file: string, source: string, now: Date = new Date()): YamlOrderSource {
    const { shoppers, orders } = parseOrderFile(file, source, now);
    return new YamlOrderSource(shoppers, orders);
  }

  async getOrder(id: string): Promise<Order | undefined> {
    return this.byId.get(id.replace(/\s/g, ''));
  }

  /** Newest first, as an order page lists them. */
  async ordersOf(shopperId: string): Promise<Order[]> {
    return this.orders.filter((o) => o.shopperId === shopperId).sort((a, b) => b.placedAt.localeCompare(a.placedAt));
  }

  async getShopper(id: string): Promise<Shopper | undefined> {
    return this.shopperById.get(id);
  }
}
