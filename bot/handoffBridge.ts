/**
 * Connects the handoff service to conversations. As the dialogs' HandoffPort it escalates a case;
 * as the service's ShopperNotifier it renders queue events in the shopper's language and sends
 * them: inside the shopper's own turn when one is running (so `expectReplies` callers get them),
 * otherwise as a proactive message through the outbox, updating the conversation's session
 * either way. The outbox means an agent's claim or message never waits on the shopper's
 * channel: a serviceUrl that never answers delays only that conversation's messages.
 */
import {
  ActivityTypes,
  EventFactory,
  MessageFactory,
  type TurnContext,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
} from 'botbuilder';
import type { CaseRecord } from '../domain/cases.js';
import type { HandoffService, ShopperEvent, ShopperNotifier } from './handoff/index.js';
import type { Responses } from '../domain/responses.js';
import type { HandoffPort } from '../dialogs/services.js';
import type { HandoffReason } from '../domain/handoff/types.js';
import type { Session } from '../dialogs/session.js';
import { sessionOf, attachSession } from '../dialogs/session.js';
import { setLang } from '../dialogs/reply.js';
import { channelCaps, csatCard } from '../dialogs/cards/index.js';
import type { Logger } from './log.js';
import type { Lang } from '../intents/labels.js';
import type { Outbox } from './resilience/outbox.js';

export interface BridgeDeps {
  adapter: CloudAdapter;
  appId: string;
  responses: Responses;
  /** Loads the session of a proactive turn and saves it afterwards. */
  withSession(context: TurnContext, work: (session: Session) => Promise<void>): Promise<void>;
  /** Where proactive messages wait for the channel (bounded, with timeouts and retries). */
  outbox: Outbox;
  log: Logger;
  /**
   * The adapter of a channel kefu serves itself (WeCom), by channel id; undefined: the Bot
   * Framework channel behind the CloudAdapter.
   */
  channelAdapter?: (channelId: string) =>
    | {
        continueConversation(
          reference: Partial<ConversationReference>,
          logic: (context: TurnContext) => Promise<void>,
        ): Promise<void>;
      }
    | undefined;
}

export class HandoffBridge implements HandoffPort, ShopperNotifier {
  private service?: HandoffService;
  /** Turns running now, by conversation id: events for them go into the turn. */
  private readonly active = new Map<string, TurnContext>();

  constructor(private readonly deps: BridgeDeps) {}

  attach(service: HandoffService): void {
    this.service = service;
  }

  enterTurn(context: TurnContext): void {
    this.active.set(context.activity.conversation.id, context);
  }

  leaveTurn(context: TurnContext): void {
    if (this.active.get(context.activity.conversation.id) === context)
      this.active.delete(context.activity.conversation.id);
  }

  async escalate(context: TurnContext, caseId: string, reason: HandoffReason): Promise<void> {
    if (!this.service) throw new Error('handoff service not attached');
    sessionOf(context).handoff = { caseId, state: 'queued' };
    await this.service.escalate(caseId, reason);
  }

  async notify(c: CaseRecord, event: ShopperEvent): Promise<void> {
    const running = this.active.get(c.conversationId);
    if (running) return this.deliver(running, sessionOf(running), c, event);
    const reference = c.conversationRef as Partial<ConversationReference> | undefined;
    if (!reference?.conversation) {
      this.deps.log.warn({ caseId: c.id }, 'case has no conversation reference; shopper not notified');
      return;
    }
    // Each attempt loads the session afresh, so a retry after a failed send applies the event once.
    const logic = async (context: TurnContext) => {
      setLang(context, c.locale);
      // A proactive turn's activity is a made-up continuation event: replying "to" it would name
      // an activity the conversation never had, and Web Chat holds such a reply back for ~5 s
      // waiting for it. A proactive message replies to nothing.
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      await this.deps.withSession(context, async (session) => {
        attachSession(context, session);
        await this.deliver(context, session, c, event);
      });
    };
    const own = this.deps.channelAdapter?.(reference.channelId ?? '');
    this.deps.outbox.push(c.conversationId, `${event.type} for case ${c.id}`, () =>
      own
        ? own.continueConversation(reference, logic)
        : this.deps.adapter.continueConversationAsync(this.deps.appId, reference, logic),
    );
  }

  private async deliver(context: TurnContext, session: Session, c: CaseRecord, event: ShopperEvent): Promise<void> {
    const r = this.deps.responses;
    const lang = c.locale;
    const handoff = (state: string, extra: object = {}) => ({ handoff: { caseId: c.id, state, ...extra } });
    const send = (text: string, channelData: object, extra: Partial<Activity> = {}) =>
      context.sendActivity({ ...MessageFactory.text(text), channelData, ...extra });
    switch (event.type) {
      case 'queued': {
        session.handoff = { caseId: c.id, state: 'queued' };
        const text = r.t(lang, 'handoff.queued', {
          caseId: c.id,
          reason: r.t(lang, `handoff.reason.${event.reason}`),
          ...this.wait(lang, event),
        });
        await send(text, handoff('queued', { position: event.position, etaSeconds: event.etaSeconds }));
        const initiate = EventFactory.createHandoffInitiation(context, {
          caseId: c.id,
          reason: event.reason,
          complaint: c.complaint,
          decision: c.decision?.ruleId,
        });
        initiate.channelData = handoff('queued', { position: event.position, etaSeconds: event.etaSeconds });
        await context.sendActivity(initiate);
        return;
      }
      case 'position':
        await send(
          r.t(lang, 'handoff.position', this.wait(lang, event)),
          handoff('queued', { position: event.position, etaSeconds: event.etaSeconds }),
        );
        return;
      case 'assigned':
        session.handoff = { caseId: c.id, state: 'assigned' };
        await send(r.t(lang, 'handoff.assigned', { agent: displayName(event.agent) }), handoff('assigned'));
        return;
      case 'agent_message':
        await send(
          r.t(lang, 'handoff.agent_message', { agent: displayName(event.agent), text: event.text }),
          handoff('assigned'),
          { from: { ...context.activity.recipient, name: displayName(event.agent) } },
        );
        return;
      case 'resolved': {
        session.handoff = undefined;
        session.caseId = undefined;
        session.csat = { caseId: c.id };
        const remedy = r.t(lang, `remedy.name.${event.resolution.remedy}`, { pct: event.resolution.refund_pct ?? 0 });
        // The agent's note, the decision's reasons and the agent's name are for the case file only.
        await send(r.t(lang, 'handoff.resolved', { caseId: c.id, remedy }), handoff('resolved'));
        const csat = {
          ...handoff('resolved'),
          prompt: { slot: 'csat', kind: 'choice', choices: ['1', '2', '3', '4', '5'] },
        };
        if (channelCaps(context.activity.channelId).adaptiveCards) {
          await context.sendActivity({
            type: 'message',
            attachments: [csatCard(lang, c.id)],
            summary: r.t(lang, 'csat.ask'),
            channelData: csat,
          });
        } else {
          await send(r.t(lang, 'csat.ask'), csat, {
            suggestedActions: {
              to: [],
              actions: ['1', '2', '3', '4', '5'].map((n) => ({ type: 'imBack', title: n, value: n })),
            },
          });
        }
        return;
      }
      case 'shopper_left':
        // The case stays with the agent; closing it later reaches this conversation proactively.
        session.handoff = undefined;
        session.caseId = undefined;
        await send(r.t(lang, 'handoff.shopper_left', { caseId: c.id }), handoff('shopper_left'));
        return;
      case 'cancelled':
        session.handoff = undefined;
        session.caseId = undefined;
        await send(r.t(lang, 'handoff.left', { caseId: c.id }), handoff('cancelled'));
        return;
    }
  }

  /** Where the shopper stands: "n ahead of you" only when someone is, then the wait. */
  private wait(lang: Lang, event: { position: number; etaSeconds: number }): { place: string; minutes: number } {
    const ahead = Math.max(0, event.position - 1);
    const place =
      ahead > 0
        ? this.deps.responses.t(lang, 'handoff.place.ahead', { ahead })
        : this.deps.responses.t(lang, 'handoff.place.next');
    return { place, minutes: Math.max(1, Math.ceil(event.etaSeconds / 60)) };
  }
}

/**
 * The name a shopper sees for an agent: the part of the configured name before any '.', '@',
 * '_' or space (`li.wei@shop` → `li`), so full names and addresses stay inside the company.
 */
export function displayName(agent: string): string {
  return agent.split(/[.@_\s]/)[0] || agent;
}

export function isHandoffStatus(activity: Activity): boolean {
  return activity.type === ActivityTypes.Event && activity.name === 'handoff.status';
}
