/**
 * Identifies the order (and the item in it) a complaint is about: from an id in the shopper's
 * message, a button with one of their recent orders, or a typed id. Every id is checked against
 * the order source and must belong to the shopper. Gives up after three wrong tries.
 */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { ChoicePrompt, ListStyle, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Order, OrderItem } from '../bot/store/types.js';
import { langOf, pickedByNumber, promptActivity, textOrValue } from './reply.js';
import type { KefuServices } from './services.js';

export const ORDER_DIALOG = 'orderDialog';
const ORDER_TEXT = 'orderText';
const ITEM_PICK = 'itemPick';
export const ORDER_PROMPTS = [new TextPrompt(ORDER_TEXT, textOrValue), new ChoicePrompt(ITEM_PICK)];
const MAX_TRIES = 3;

export interface OrderOptions {
  shopperId: string;
  /** Ids found in the shopper's first message. */
  mentioned: string[];
  tries?: number;
}

export interface OrderResult {
  order: Order;
  item: OrderItem;
}

type Check = { ok: true; order: Order } | { ok: false; key: 'order.not_found' | 'order.not_yours' | 'order.none_found'; orderId: string };

export class OrderDialog extends WaterfallDialog<OrderOptions> {
  constructor(private readonly services: KefuServices) {
    super(ORDER_DIALOG);
    for (const step of [this.askOrder, this.readOrder, this.askItem, this.done]) this.addStep(step.bind(this));
  }

  private async check(shopperId: string, ids: string[]): Promise<Check> {
    const orderId = ids[0];
    if (orderId === undefined) return { ok: false, key: 'order.none_found', orderId: '' };
    const order = await this.services.orders.getOrder(orderId);
    if (!order) return { ok: false, key: 'order.not_found', orderId };
    if (order.shopperId !== shopperId) return { ok: false, key: 'order.not_yours', orderId };
    return { ok: true, order };
  }

  private async askOrder(step: WaterfallStepContext<OrderOptions>) {
    const o = step.options;
    if (o.mentioned.length > 0 && (o.tries ?? 0) === 0) {
      const found = await this.check(o.shopperId, o.mentioned);
      if (found.ok) return step.next(found.order);
      await step.context.sendActivity(this.services.responses.t(langOf(step.context), found.key, { orderId: found.orderId }));
    }
    return step.prompt(ORDER_TEXT, { prompt: await this.orderPrompt(step.context, o.shopperId) });
  }

  /** The five most recent orders, as the order question lists them. */
  private async recentOrders(shopperId: string): Promise<Order[]> {
    const orders = await this.services.orders.ordersOf(shopperId);
    return orders.sort((a, b) => (b.deliveredAt ?? b.placedAt).localeCompare(a.deliveredAt ?? a.placedAt)).slice(0, 5);
  }

  private async orderPrompt(context: TurnContext, shopperId: string) {
    const lang = langOf(context);
    const r = this.services.responses;
    const orders = await this.recentOrders(shopperId);
    if (orders.length === 0) {
      const activity = MessageFactory.text(r.t(lang, 'order.ask_id'));
      activity.channelData = { prompt: { slot: 'order_id', kind: 'text' } };
      return activity;
    }
    const titles = orders.map((order) =>
      r.t(lang, 'order.option', { item: order.items.map((i) => i.name).join('、').slice(0, 24), date: order.deliveredAt?.slice(5, 10) ?? r.t(lang, 'order.in_transit') }),
    );
    const ids = orders.map((x) => x.id);
    return promptActivity(r.t(lang, 'order.ask'), { slot: 'order_id', kind: 'choice', choices: ids, titles, sends: ids }, context.activity.channelId);
  }

  private async readOrder(step: WaterfallStepContext<OrderOptions>) {
    if (step.result && typeof step.result === 'object') return step.next(step.result);
    const o = step.options;
    const text = String(step.result ?? '');
    const value = (step.context.activity.value as { order_id?: unknown } | undefined)?.order_id;
    const ids = typeof value === 'string' ? [value] : this.services.extract(text, this.services.now()).orderIds;
    if (ids.length === 0) {
      // "2" picks the second order of a numbered list (text-only channels).
      const picked = pickedByNumber(text, await this.recentOrders(o.shopperId));
      if (picked) ids.push(picked.id);
    }
    const found = await this.check(o.shopperId, ids);
    if (found.ok) return step.next(found.order);
    const lang = langOf(step.context);
    const tries = (o.tries ?? 0) + 1;
    if (tries >= MAX_TRIES) {
      await step.context.sendActivity(this.services.responses.t(lang, 'order.give_up'));
      return step.endDialog(undefined);
    }
    await step.context.sendActivity(this.services.responses.t(lang, found.key, { orderId: found.orderId }));
    return step.replaceDialog(ORDER_DIALOG, { ...o, tries });
  }

  private async askItem(step: WaterfallStepContext<OrderOptions>) {
    const order = step.result as Order;
    (step.values as { order?: Order }).order = order;
    if (order.items.length === 1) return step.next({ index: 0 });
    const lang = langOf(step.context);
    const prompt = MessageFactory.text(this.services.responses.t(lang, 'order.item_ask'));
    prompt.channelData = { prompt: { slot: 'item', kind: 'choice', choices: order.items.map((i) => i.sku) } };
    return step.prompt(ITEM_PICK, { prompt, choices: order.items.map((i) => i.name), style: ListStyle.suggestedAction });
  }

  private async done(step: WaterfallStepContext<OrderOptions>) {
    const order = (step.values as { order?: Order }).order!;
    const index = (step.result as { index: number }).index;
    return step.endDialog({ order, item: order.items[index] ?? order.items[0]! } satisfies OrderResult);
  }
}
