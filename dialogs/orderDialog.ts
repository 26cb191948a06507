/**
 * Identifies the order (and the item in it) a complaint is about: from an id in the shopper's
 * message, the product the first message names ("卡乐比薯条过期了": one match is confirmed,
 * several are offered), or the answer to "which order?" given as a button, an id, a position
 * ("第二个", "the second one") or words ("零食那个订单", "the milk"). Every id is checked against
 * the order source and must belong to the shopper. A miss is re-asked with the reason at most
 * twice, then a person takes over; the item question works the same way.
 */
import type { TurnContext } from 'botbuilder';
import { TextPrompt, type DialogContext, type DialogReason, type DialogTurnResult } from './sdk.js';
import {
  matchItem,
  matchOrder,
  recognizeChoice,
  recognizeYesNo,
  type OrderCandidate,
} from '../intents/answers/index.js';
import type { Lang } from '../intents/labels.js';
import type { Order, OrderItem } from '../domain/orders.js';
import { itemName, langOf, promptActivity, textOrValue } from './reply.js';
import type { KefuServices } from './services.js';
import { activeState, KefuDialog } from './stack.js';

export const ORDER_DIALOG = 'orderDialog';
const ORDER_TEXT = 'orderText';
const ITEM_TEXT = 'itemText';
export const ORDER_PROMPTS = [new TextPrompt(ORDER_TEXT, textOrValue), new TextPrompt(ITEM_TEXT, textOrValue)];
/** Misses allowed per question: the question is asked at most three times in a row. */
const MAX_TRIES = 3;
/** How strongly a first message must name a product to be matched (it also names the problem). */
const FIRST_MESSAGE_MIN = 3;

export interface OrderOptions {
  shopperId: string;
  /** Ids found in the shopper's first message. */
  mentioned: string[];
  /** The first message, whose words may name the product. */
  text?: string;
  tries?: number;
  /** Why the last answer was not taken (said before asking again). */
  reason?: string;
  /** Only these orders are offered (several matched the shopper's words). */
  offer?: string[];
  /** "Is it this order?" is being asked about this order (and item). */
  confirm?: { orderId: string; sku?: string };
  /** The order is known; the item question is being asked. */
  orderId?: string;
  sku?: string;
  itemTries?: number;
}

export interface OrderResult {
  order: Order;
  item: OrderItem;
}

type Check = { ok: true; order: Order } | { ok: false; key: 'order.not_found' | 'order.not_yours'; orderId: string };

function candidate(order: Order): OrderCandidate {
  return {
    id: order.id,
    merchant: order.merchant ?? '',
    ...(order.deliveredAt ? { deliveredAt: order.deliveredAt } : {}),
    items: order.items.map((i) => ({
      sku: i.sku,
      names: [i.name, ...(i.nameEn ? [i.nameEn] : [])],
      category: i.category,
    })),
  };
}

/** The item a complaint is about when it needs no question: the order's only one, or the one named. */
function knownItem(order: Order, sku: string | undefined): OrderItem | undefined {
  return order.items.length === 1 ? order.items[0] : order.items.find((i) => i.sku === sku);
}

async function check(services: KefuServices, shopperId: string, orderId: string): Promise<Check> {
  const order = await services.orders.getOrder(orderId);
  if (!order) return { ok: false, key: 'order.not_found', orderId };
  if (order.shopperId !== shopperId) return { ok: false, key: 'order.not_yours', orderId };
  return { ok: true, order };
}

/**
 * The order an id in the first message names, checked, with its item when that needs no question
 * (named too, or the order's only one): "卡乐比只剩三天了，订单…".
 */
async function mentioned(services: KefuServices, o: OrderOptions, id: string): Promise<Check & { item?: OrderItem }> {
  const found = await check(services, o.shopperId, id);
  if (!found.ok) return found;
  const item = knownItem(
    found.order,
    o.text ? matchItem(o.text, candidate(found.order), FIRST_MESSAGE_MIN) : undefined,
  );
  return item ? { ...found, item } : found;
}

/**
 * The order and item when the first message settles both, so there is nothing to ask and the
 * order dialog need not run at all; otherwise undefined (the dialog asks, and says what was wrong).
 */
export async function knownAtOnce(services: KefuServices, o: OrderOptions): Promise<OrderResult | undefined> {
  const id = o.mentioned[0];
  if (id === undefined) return undefined;
  const found = await mentioned(services, o, id);
  return found.ok && found.item ? { order: found.order, item: found.item } : undefined;
}

/** Which question the order dialog waits on, with the order when it is the item question. */
interface OrderState {
  options: OrderOptions;
  asked?: 'order' | 'item';
  order?: Order;
  /** Saved by the waterfall this dialog once was: step 0 waits on the order, 2 on the item. */
  stepIndex?: number;
  values?: { order?: Order };
}

/**
 * The order question, then the item question when the order has several items; each re-asked in
 * place with the reason. A plain Dialog rather than a waterfall, so a question and its answer run
 * in the turn's own DialogContext.
 */
export class OrderDialog extends KefuDialog<OrderOptions> {
  constructor(private readonly services: KefuServices) {
    super(ORDER_DIALOG);
  }

  override beginDialog(dc: DialogContext, options?: OrderOptions): Promise<DialogTurnResult> {
    return this.askOrder(dc, options!);
  }

  /** A question was answered: the order, or the item of the order chosen. */
  override resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const state = activeState<OrderState>(dc);
    if (state.asked === 'item' || (state.asked === undefined && state.stepIndex === 2))
      return this.readItem(dc, state.options, (state.order ?? state.values?.order)!, result);
    return this.readOrder(dc, state.options, result);
  }

  /** The shopper's orders, most recent first: the first five are what the order question lists. */
  private async ordersOf(shopperId: string): Promise<Order[]> {
    const orders = await this.services.orders.ordersOf(shopperId);
    return orders.sort((a, b) => (b.deliveredAt ?? b.placedAt).localeCompare(a.deliveredAt ?? a.placedAt));
  }

  private title(lang: Lang, order: Order): string {
    const r = this.services.responses;
    const items = order.items.map((i) => itemName(lang, i)).join(lang === 'en' ? '; ' : '、');
    return r.t(lang, 'order.option', {
      item: items.length > 40 ? `${items.slice(0, 39)}…` : items,
      date: order.deliveredAt?.slice(5, 10) ?? r.t(lang, 'order.in_transit'),
    });
  }

  /** Asks which order (a round: the dialog's state starts over with these options). */
  private async askOrder(dc: DialogContext, o: OrderOptions): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { options: o } satisfies OrderState;
    const lang = langOf(dc.context);
    const r = this.services.responses;
    if (o.orderId) {
      const order = await this.services.orders.getOrder(o.orderId);
      if (order) return this.askItem(dc, o, order);
    }
    if ((o.tries ?? 0) === 0 && !o.confirm && !o.offer) {
      const id = o.mentioned[0];
      if (id !== undefined) {
        const found = await mentioned(this.services, o, id);
        if (found.ok)
          return found.item
            ? dc.endDialog({ order: found.order, item: found.item } satisfies OrderResult)
            : this.askItem(dc, o, found.order);
        await dc.context.sendActivity(r.t(lang, found.key, { orderId: found.orderId }));
      } else if (o.text) {
        // The first message may name the product: one order is confirmed, several are offered.
        const match = matchOrder(
          o.text,
          (await this.ordersOf(o.shopperId)).map(candidate),
          this.services.now(),
          FIRST_MESSAGE_MIN,
        );
        if (match.kind === 'one')
          return this.askOrder(dc, {
            ...o,
            confirm: { orderId: match.orderId, ...(match.sku ? { sku: match.sku } : {}) },
          });
        if (match.kind === 'several')
          return this.askOrder(dc, { ...o, offer: match.orderIds, reason: r.t(lang, 'order.several') });
      }
    }
    if (o.reason) await dc.context.sendActivity(o.reason);
    activeState<OrderState>(dc).asked = 'order';
    return dc.prompt(ORDER_TEXT, { prompt: await this.orderPrompt(dc.context, o) });
  }

  private async orderPrompt(context: TurnContext, o: OrderOptions) {
    const lang = langOf(context);
    const r = this.services.responses;
    if (o.confirm) {
      const order = await this.services.orders.getOrder(o.confirm.orderId);
      const text = r.t(lang, 'order.is_it', { order: order ? this.title(lang, order) : o.confirm.orderId });
      return promptActivity(
        text,
        {
          slot: 'order_id',
          kind: 'confirm',
          choices: ['yes', 'no'],
          titles: [r.t(lang, 'order.yes'), r.t(lang, 'order.no')],
        },
        context.activity.channelId,
      );
    }
    const all = await this.ordersOf(o.shopperId);
    const orders = o.offer ? all.filter((x) => o.offer!.includes(x.id)) : all.slice(0, 5);
    if (orders.length === 0) {
      return promptActivity(r.t(lang, 'order.ask_id'), { slot: 'order_id', kind: 'text' }, context.activity.channelId);
    }
    const titles = orders.map((order) => this.title(lang, order));
    const ids = orders.map((x) => x.id);
    const wayOut = (o.tries ?? 0) >= MAX_TRIES - 1 ? [r.t(lang, 'reask.person_button')] : [];
    return promptActivity(
      r.t(lang, 'order.ask'),
      { slot: 'order_id', kind: 'choice', choices: ids, titles: [...titles, ...wayOut], sends: [...ids, ...wayOut] },
      context.activity.channelId,
    );
  }

  private async readOrder(dc: DialogContext, o: OrderOptions, result: unknown): Promise<DialogTurnResult> {
    const lang = langOf(dc.context);
    const r = this.services.responses;
    const text = String(result ?? '').trim();
    const value = (dc.context.activity.value as { order_id?: unknown } | undefined)?.order_id;
    const retry = (reason: string, more: Partial<OrderOptions> = {}) => {
      const tries = (o.tries ?? 0) + 1;
      if (tries >= MAX_TRIES) return this.giveUp(dc);
      const { confirm, ...rest } = o;
      return this.askOrder(dc, { ...rest, tries, reason, ...more });
    };
    if (o.confirm && typeof value !== 'string') {
      const yes = value === 'yes' ? true : value === 'no' ? false : recognizeYesNo(text);
      if (yes === true)
        return this.askOrder(dc, {
          ...o,
          confirm: undefined,
          reason: undefined,
          orderId: o.confirm.orderId,
          ...(o.confirm.sku ? { sku: o.confirm.sku } : {}),
        });
      if (yes === false) {
        const { confirm, ...rest } = o;
        return this.askOrder(dc, { ...rest, tries: 1, reason: undefined });
      }
    }
    const ids = typeof value === 'string' ? [value] : this.services.extract(text, this.services.now()).orderIds;
    if (ids.length > 0) {
      const found = await check(this.services, o.shopperId, ids[0]!);
      if (found.ok) return this.askItem(dc, o, found.order);
      return retry(r.t(lang, found.key, { orderId: found.orderId }));
    }
    const all = await this.ordersOf(o.shopperId);
    const listed = o.offer ? all.filter((x) => o.offer!.includes(x.id)) : all.slice(0, 5);
    // A position counts in the list shown; words are matched against every order of the shopper.
    const byPosition = matchOrder(text, listed.map(candidate), this.services.now());
    const match = byPosition.kind === 'one' ? byPosition : matchOrder(text, all.map(candidate), this.services.now());
    if (match.kind === 'one') {
      const order = all.find((x) => x.id === match.orderId)!;
      await dc.context.sendActivity(r.t(lang, 'order.picked', { order: this.title(lang, order) }));
      return this.askOrder(dc, {
        ...o,
        confirm: undefined,
        reason: undefined,
        orderId: order.id,
        ...(match.sku ? { sku: match.sku } : {}),
      });
    }
    if (match.kind === 'several') return retry(r.t(lang, 'order.several'), { offer: match.orderIds });
    const example = listed[0] ? itemName(lang, listed[0].items[0]!).split(/\s/)[0]! : '';
    return retry(
      r.t(lang, listed.length > 0 ? 'order.no_match' : 'order.none_found', { text: text.slice(0, 20), example }),
    );
  }

  private async giveUp(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.context.sendActivity(this.services.responses.t(langOf(dc.context), 'order.give_up'));
    return dc.endDialog(undefined);
  }

  private async askItem(dc: DialogContext, o: OrderOptions, order: Order): Promise<DialogTurnResult> {
    const known = knownItem(order, o.sku);
    if (known) return dc.endDialog({ order, item: known } satisfies OrderResult);
    const lang = langOf(dc.context);
    const r = this.services.responses;
    if (o.reason && o.orderId) await dc.context.sendActivity(o.reason);
    const wayOut = (o.itemTries ?? 0) >= MAX_TRIES - 1 ? [r.t(lang, 'reask.person_button')] : [];
    const prompt = promptActivity(
      r.t(lang, 'order.item_ask'),
      {
        slot: 'item',
        kind: 'choice',
        choices: order.items.map((i) => i.sku),
        titles: [...order.items.map((i) => itemName(lang, i)), ...wayOut],
      },
      dc.context.activity.channelId,
    );
    Object.assign(activeState<OrderState>(dc), { asked: 'item', order } satisfies Partial<OrderState>);
    return dc.prompt(ITEM_TEXT, { prompt });
  }

  private async readItem(dc: DialogContext, o: OrderOptions, order: Order, result: unknown): Promise<DialogTurnResult> {
    const lang = langOf(dc.context);
    const r = this.services.responses;
    const text = String(result ?? '').trim();
    const value = (dc.context.activity.value as { item?: unknown } | undefined)?.item;
    const options = order.items.map((i) => ({ value: i.sku, names: [i.name, ...(i.nameEn ? [i.nameEn] : []), i.sku] }));
    const picked = recognizeChoice(text, value, options);
    if (picked.ok)
      return dc.endDialog({ order, item: order.items.find((i) => i.sku === picked.value)! } satisfies OrderResult);
    const itemTries = (o.itemTries ?? 0) + 1;
    if (itemTries >= MAX_TRIES) return this.giveUp(dc);
    const names =
      picked.reason === 'ambiguous'
        ? picked.values.map((sku) => itemName(lang, order.items.find((i) => i.sku === sku)!))
        : [];
    const reason =
      names.length > 1
        ? r.t(lang, 'reask.ambiguous', { options: names.join(r.t(lang, 'case.list_separator')) })
        : r.t(lang, 'order.item_no_match', { example: itemName(lang, order.items[0]!).split(/\s/)[0]! });
    return this.askOrder(dc, { ...o, orderId: order.id, itemTries, reason });
  }
}
