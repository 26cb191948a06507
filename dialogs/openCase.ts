/**
 * Opens the case record for a complaint. The case is durable before its id is shown to the
 * shopper (the bot holds the turn's replies until its commit; see `TurnWrites`), and it starts
 * with what the order source knows (category, what was paid for the item, whether and when it
 * was delivered, shelf life, net content, member tier) plus the short transcript kept so far.
 */
import { TurnContext } from 'botbuilder';
import type { Complaint } from '../intents/labels.js';
import type { Facts } from '../rules/facts.js';
import type { CaseRecord } from '../domain/cases.js';
import type { Order, OrderItem } from '../domain/orders.js';
import { langOf } from './reply.js';
import { sessionOf, turnWritesOf } from './session.js';
import type { KefuServices } from './services.js';

/** Yuan paid for the affected item: quantity × the unit price after discounts (not the order's list total). */
export function paidFor(item: OrderItem): number {
  return Math.round((item.paidPrice ?? item.price) * item.quantity * 100) / 100;
}

export async function baseFacts(
  services: KefuServices,
  complaint: Complaint,
  order: Order,
  item: OrderItem,
): Promise<Partial<Facts>> {
  const shopper = await services.orders.getShopper(order.shopperId);
  const now = services.now().getTime();
  return {
    complaint,
    category: item.category,
    ...(item.category === 'fresh' ? { live_goods: item.live === true } : {}),
    delivered: order.deliveredAt !== undefined,
    ...(order.deliveredAt
      ? { hours_since_delivery: Math.max(0, Math.round((now - Date.parse(order.deliveredAt)) / 360_000) / 10) }
      : {}),
    ...(item.shelfLifeDays !== undefined ? { shelf_life_days: item.shelfLifeDays } : {}),
    ...(item.netContent !== undefined ? { net_content_nominal: item.netContent } : {}),
    // Frozen goods are presumed frozen until the shopper says otherwise: the plan asks `thawed` only for them.
    ...(item.frozen ? { thawed: false } : {}),
    order_amount: paidFor(item),
    member_tier: shopper?.tier ?? 'regular',
    prior_claims_90d: shopper?.priorClaims90d ?? 0,
    evidence: [],
  };
}

export async function openCase(
  context: TurnContext,
  services: KefuServices,
  complaint: Complaint | 'other',
  facts: Partial<Facts>,
  orderId?: string,
  itemSku?: string,
): Promise<CaseRecord> {
  const session = sessionOf(context);
  const now = services.now().toISOString();
  const activity = context.activity;
  // A turn re-run after a crash or an eTag race must not open a second case for the same message.
  const origin = activity.id ? `${activity.conversation.id}/${activity.id}` : undefined;
  const existing = origin
    ? (await services.cases.list({ shopperId: activity.from.id, conversationId: activity.conversation.id })).find(
        (c) => c.origin === origin,
      )
    : undefined;
  if (existing) {
    session.caseId = existing.id;
    session.transcript = [];
    return existing;
  }
  const record = await services.cases.create(
    {
      ...(origin ? { origin } : {}),
      shopperId: activity.from.id,
      conversationId: activity.conversation.id,
      channelId: activity.channelId,
      conversationRef: TurnContext.getConversationReference(activity),
      locale: langOf(context),
      ...(orderId ? { orderId } : {}),
      ...(itemSku ? { itemSku } : {}),
      complaint,
      facts,
      evidence: [],
      status: 'open',
      history: [{ at: now, status: 'open', by: 'bot' }],
      transcript: session.transcript,
    },
    turnWritesOf(context),
  );
  session.caseId = record.id;
  session.transcript = [];
  return record;
}

/**
 * Statuses of a case that a new complaint about its item joins: with the rules' proposal or with
 * a person. A case still collecting evidence elsewhere is left alone (a new one is opened), so
 * two conversations never write the same answers into one case.
 */
const ACTIVE: CaseRecord['status'][] = ['proposed', 'escalated', 'assigned'];

/** The shopper's case in progress about this order and item, if any. */
export async function activeCaseFor(
  services: KefuServices,
  shopperId: string,
  orderId: string,
  itemSku: string,
): Promise<CaseRecord | undefined> {
  const cases = await services.cases.list({ shopperId, status: ACTIVE });
  return cases.find((c) => c.orderId === orderId && (c.itemSku === undefined || c.itemSku === itemSku));
}
