/**
 * "My data" and "delete my data": a shopper sees what kefu keeps about them (a summary, plus the
 * whole record as a JSON attachment), or has it erased after saying yes to a confirmation.
 * Erasing deletes their cases on this channel, the evidence files only those cases used, and
 * their conversations' remembered state; cases a person is handling right now stay until closed.
 * Both act only for a verified shopper (see `identity.ts`): anyone else is asked politely to
 * use the shop's signed-in chat, and nothing is read.
 */
import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from './sdk.js';
import { recognizeYesNo } from '../intents/answers/index.js';
import { langOf, promptActivity, textOrValue } from './reply.js';
import { sessionOf } from './session.js';
import { verifiedShopper } from './identity.js';
import type { KefuServices } from './services.js';

export const PRIVACY_DIALOG = 'privacyDialog';
const CONFIRM = 'privacyConfirm';
export const PRIVACY_PROMPTS = [new TextPrompt(CONFIRM, textOrValue)];

export type PrivacyAction = 'my_data' | 'delete_my_data';

export interface PrivacyOptions {
  action: PrivacyAction;
}

export interface ShopperExport {
  shopperId: string;
  exportedAt: string;
  cases: { id: string; status: string; complaint: string; createdAt: string; [field: string]: unknown }[];
}

export interface EraseResult {
  cases: number;
  files: number;
  /** Cases with a person right now, not erased. */
  kept: string[];
}

/** What the dialog needs from storage (implemented by `bot/privacy/shopperData.ts`). */
export interface ErasePort {
  export(shopperId: string, channelId: string): Promise<ShopperExport>;
  /** `conversationId`: the conversation asking, whose state goes too. */
  erase(shopperId: string, channelId: string, conversationId?: string): Promise<EraseResult>;
}

export class PrivacyDialog extends WaterfallDialog<PrivacyOptions> {
  constructor(private readonly services: KefuServices) {
    super(PRIVACY_DIALOG);
    this.addStep(this.start.bind(this));
    this.addStep(this.confirmed.bind(this));
  }

  private async start(step: WaterfallStepContext<PrivacyOptions>) {
    const lang = langOf(step.context);
    const t = (key: string, vars: Record<string, string | number> = {}) =>
      this.services.responses.t(lang, `privacy.${key}`, vars);
    const port = this.services.privacy;
    const shopper = verifiedShopper(step.context);
    if (!shopper) {
      await step.context.sendActivity(t('sign_in'));
      return step.endDialog();
    }
    if (!port) {
      await step.context.sendActivity(t('unavailable'));
      return step.endDialog();
    }
    const data = await port.export(shopper.id, shopper.channelId);
    if (step.options.action === 'my_data') {
      const lines = data.cases
        .map((c) => `· ${c.id} ${c.complaint} (${c.status}, ${c.createdAt.slice(0, 10)})`)
        .join('\n');
      await step.context.sendActivity({
        type: 'message',
        text: data.cases.length === 0 ? t('none') : t('summary', { count: data.cases.length, lines }),
        attachments: [{ contentType: 'application/json', name: 'kefu-my-data.json', content: data }],
      });
      return step.endDialog();
    }
    const prompt = promptActivity(t('confirm', { count: data.cases.length }), {
      slot: 'confirm_delete',
      kind: 'confirm',
      choices: ['yes', 'no'],
      titles: [t('yes'), t('no')],
    });
    return step.prompt(CONFIRM, { prompt });
  }

  private async confirmed(step: WaterfallStepContext<PrivacyOptions>) {
    const lang = langOf(step.context);
    const r = this.services.responses;
    const t = (key: string, vars: Record<string, string | number> = {}) => r.t(lang, `privacy.${key}`, vars);
    const text = String(step.result ?? '').trim();
    const value = (step.context.activity.value as { confirm_delete?: unknown } | undefined)?.confirm_delete;
    // Deleting is for good: only a clear yes deletes ("是的，删除吧", "yes please"); anything else keeps the data.
    const yes =
      value === 'yes' ||
      value === true ||
      text === r.t('zh-CN', 'privacy.yes') ||
      text === r.t('en', 'privacy.yes') ||
      recognizeYesNo(text) === true;
    if (!yes) {
      await step.context.sendActivity(t('cancelled'));
      return step.endDialog();
    }
    // The answer is its own turn: it must be proven again.
    const shopper = verifiedShopper(step.context);
    if (!shopper) {
      await step.context.sendActivity(t('sign_in'));
      return step.endDialog();
    }
    const result = await this.services.privacy!.erase(
      shopper.id,
      shopper.channelId,
      step.context.activity.conversation.id,
    );
    const session = sessionOf(step.context);
    session.caseId = undefined;
    session.csat = undefined;
    session.unsure = 0;
    session.transcript = [];
    await step.context.sendActivity(
      t('done', { cases: result.cases, files: result.files }) +
        (result.kept.length > 0 ? t('kept', { ids: result.kept.join(', ') }) : ''),
    );
    return step.endDialog();
  }
}
