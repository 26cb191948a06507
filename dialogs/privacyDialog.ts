/**
 * "My data" and "delete my data": a shopper sees what kefu keeps about them (a summary, plus the
 * whole record as a JSON attachment), or has it erased after saying yes to a confirmation.
 * Erasing deletes their cases on this channel, the evidence files only those cases used, and
 * this conversation's remembered state; cases a person is handling right now stay until closed.
 */
import { ComponentDialog, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Lang } from '../intents/labels.js';
import { langOf, promptActivity, textOrValue } from './reply.js';
import { sessionOf } from './session.js';
import type { KefuServices } from './services.js';

export const PRIVACY_DIALOG = 'privacyDialog';
const FLOW = 'privacyFlow';
const CONFIRM = 'privacyConfirm';

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
  erase(shopperId: string, channelId: string): Promise<EraseResult>;
}

const TEXT: Record<Lang, Record<string, (n: Record<string, string | number>) => string>> = {
  'zh-CN': {
    none: () => '我们没有保存您的任何投诉记录。',
    summary: (n) => `我们保存了您的 ${n.count} 条投诉记录：\n${n.lines}\n完整内容在附件 JSON 文件里。`,
    unavailable: () => '暂时无法查询个人数据，请稍后再试或联系人工客服。',
    confirm: (n) => `确认删除您的全部数据吗？将删除 ${n.count} 条投诉记录、相关照片和本次对话记录，删除后无法恢复。`,
    done: (n) => `已删除：${n.cases} 条投诉记录、${n.files} 个文件和本次对话记录。`,
    kept: (n) => `\n正在由人工处理的投诉（${n.ids}）会在处理结束后再删除。`,
    cancelled: () => '好的，没有删除任何数据。',
    yes: () => '确认删除',
    no: () => '不删除',
  },
  en: {
    none: () => 'We do not keep any complaint records of yours.',
    summary: (n) => `We keep ${n.count} complaint record(s) of yours:\n${n.lines}\nThe full record is in the attached JSON file.`,
    unavailable: () => 'Your data cannot be looked up right now; please try again later or ask for a person.',
    confirm: (n) => `Delete all your data? This deletes ${n.count} complaint record(s), their photos and this conversation's history, and cannot be undone.`,
    done: (n) => `Deleted: ${n.cases} complaint record(s), ${n.files} file(s) and this conversation's history.`,
    kept: (n) => `\nComplaints a person is handling now (${n.ids}) will be deleted once they are closed.`,
    cancelled: () => 'OK, nothing was deleted.',
    yes: () => 'Yes, delete',
    no: () => 'No',
  },
};

export class PrivacyDialog extends ComponentDialog {
  constructor(private readonly services: KefuServices) {
    super(PRIVACY_DIALOG);
    this.addDialog(new TextPrompt(CONFIRM, textOrValue));
    this.addDialog(new WaterfallDialog<PrivacyOptions>(FLOW, [this.start.bind(this), this.confirmed.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async start(step: WaterfallStepContext<PrivacyOptions>) {
    const lang = langOf(step.context);
    const t = TEXT[lang];
    const port = this.services.privacy;
    const { from, channelId } = step.context.activity;
    if (!port) {
      await step.context.sendActivity(t.unavailable!({}));
      return step.endDialog();
    }
    const data = await port.export(from.id, channelId);
    if (step.options.action === 'my_data') {
      const lines = data.cases.map((c) => `· ${c.id} ${c.complaint} (${c.status}, ${c.createdAt.slice(0, 10)})`).join('\n');
      await step.context.sendActivity({
        type: 'message',
        text: data.cases.length === 0 ? t.none!({}) : t.summary!({ count: data.cases.length, lines }),
        attachments: [{ contentType: 'application/json', name: 'kefu-my-data.json', content: data }],
      });
      return step.endDialog();
    }
    const prompt = promptActivity(t.confirm!({ count: data.cases.length }), { slot: 'confirm_delete', kind: 'confirm', choices: ['yes', 'no'], titles: [t.yes!({}), t.no!({})] });
    return step.prompt(CONFIRM, { prompt });
  }

  private async confirmed(step: WaterfallStepContext<PrivacyOptions>) {
    const lang = langOf(step.context);
    const t = TEXT[lang];
    const text = String(step.result ?? '').trim();
    const value = (step.context.activity.value as { confirm_delete?: unknown } | undefined)?.confirm_delete;
    const yes = value === 'yes' || value === true || this.services.controls.match(text) === 'yes' || text === TEXT['zh-CN'].yes!({}) || text === TEXT.en.yes!({});
    if (!yes) {
      await step.context.sendActivity(t.cancelled!({}));
      return step.endDialog();
    }
    const { from, channelId } = step.context.activity;
    const result = await this.services.privacy!.erase(from.id, channelId);
    const session = sessionOf(step.context);
    session.caseId = undefined;
    session.csat = undefined;
    session.unsure = 0;
    session.transcript = [];
    await step.context.sendActivity(t.done!({ cases: result.cases, files: result.files }) + (result.kept.length > 0 ? t.kept!({ ids: result.kept.join(', ') }) : ''));
    return step.endDialog();
  }
}
