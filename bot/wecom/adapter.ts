/**
 * A Bot Framework adapter for WeCom 微信客服 (like the community Slack and Twilio adapters): the
 * same KefuBot and dialogs run unchanged; activities come from `kf/sync_msg` and replies leave
 * through `kf/send_msg`. The first reply to an `enter_session` uses its `welcome_code` with
 * `kf/send_msg_on_event`, the only way to greet a shopper who has not written yet.
 */
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { WeComApi } from './api.js';
import { toMessages } from './activities.js';
import type { Logger } from '../log.js';

const WELCOME_CODE = Symbol('wecom.welcomeCode');

export class WeComAdapter extends BotAdapter {
  constructor(
    private readonly api: WeComApi,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Runs one inbound activity through the middleware and `logic` (the bot's turn). */
  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = new TurnContext(this, activity);
    const code = (activity.channelData as { wecom?: { welcomeCode?: unknown } } | undefined)?.wecom?.welcomeCode;
    if (typeof code === 'string') context.turnState.set(WELCOME_CODE, code);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const ref = TurnContext.getConversationReference(context.activity);
    const touser = ref.user?.id;
    const openKfId = ref.bot?.id;
    if (!touser || !openKfId)
      throw new Error('wecom: a reply needs the shopper (from.id) and the 客服 account (recipient.id)');
    const ids: string[] = [];
    for (const message of toMessages(activities)) {
      const code = context.turnState.get(WELCOME_CODE) as string | undefined;
      if (code !== undefined) {
        // A welcome code is good for one message.
        context.turnState.delete(WELCOME_CODE);
        const sent = await this.api.sendMsgOnEvent({ code, ...message });
        ids.push(sent.msgid ?? '');
        continue;
      }
      const sent = await this.api.sendMsg({ touser, open_kfid: openKfId, ...message });
      ids.push(sent.msgid ?? '');
    }
    this.log.debug({ conversation: context.activity.conversation?.id, messages: ids.length }, 'wecom: replies sent');
    return activities.map((_, i) => ({ id: ids[Math.min(i, ids.length - 1)] ?? '' }));
  }

  override async updateActivity(): Promise<void> {
    throw new Error('wecom: WeChat messages cannot be edited');
  }

  override async deleteActivity(): Promise<void> {
    throw new Error('wecom: WeChat messages cannot be deleted');
  }

  /** A proactive turn (an agent's reply, a queue update) for a WeCom conversation. */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
