/**
 * The root dialog: reads what the shopper wants from their message and routes it. When the
 * classifier is unsure it asks "A or B?" with buttons; unsure twice in a row goes to a person.
 * "My data" and "delete my data" work at any step (see `interrupt`).
 */
import { TextPrompt, type DialogContext, type DialogReason, type DialogTurnResult } from './sdk.js';
import { isComplaint, type Complaint } from '../intents/labels.js';
import type { Classification } from '../intents/types.js';
import { COMPLAINT_DIALOG, type ComplaintOptions } from './complaintDialog.js';
import { openCase } from './openCase.js';
import { PRIVACY_DIALOG, type PrivacyOptions } from './privacyDialog.js';
import { verifiedShopper } from './identity.js';
import { recognizeChoice } from '../intents/answers/index.js';
import { langOf, promptActivity, textOrValue } from './reply.js';
import { activeState, KefuDialog, onStack } from './stack.js';
import type { Control } from '../domain/controls.js';
import { sessionOf } from './session.js';
import { statusReply } from './status.js';
import type { KefuServices } from './services.js';

export const MAIN_DIALOG = 'mainDialog';
const CLARIFY = 'clarify';
export const MAIN_PROMPTS = [new TextPrompt(CLARIFY, textOrValue)];

/** What the clarifying question remembers until it is answered (`values`, as the waterfall this dialog once was kept it). */
interface ClarifyValues {
  entities?: Classification['entities'];
  /** The message that was unclear: its words may still name the product. */
  text?: string;
  options?: Complaint[];
}
const clarifyValues = (dc: DialogContext): ClarifyValues => (activeState<{ values?: ClarifyValues }>(dc).values ??= {});

/**
 * Routes the shopper's message when nothing is on the stack; waits only for the answer to a
 * clarifying question. A plain Dialog rather than a waterfall, so routing runs in the turn's own
 * DialogContext and a clear complaint replaces it at once.
 */
export class MainDialog extends KefuDialog {
  constructor(private readonly services: KefuServices) {
    super(MAIN_DIALOG);
  }

  override beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.route(dc);
  }

  /** The clarifying question was answered. */
  override resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    return this.clarified(dc, result);
  }

  /**
   * "My data" / "delete my data" at any step, before the active dialog reads the message:
   * deleting first ends the complaint in progress; looking returns to the same question after.
   * True when it took the turn.
   */
  async interrupt(dc: DialogContext, control: Control | undefined): Promise<boolean> {
    if ((control !== 'my_data' && control !== 'delete_my_data') || onStack(dc, PRIVACY_DIALOG)) return false;
    // Only a verified shopper's erase ends the complaint; anyone else just hears the refusal.
    if (control === 'delete_my_data' && verifiedShopper(dc.context)) await dc.cancelAllDialogs();
    await dc.beginDialog(PRIVACY_DIALOG, { action: control } satisfies PrivacyOptions);
    return true;
  }

  private async route(dc: DialogContext): Promise<DialogTurnResult> {
    const text = dc.context.activity.text ?? '';
    const c = this.services.classifier.classify(text, { now: this.services.now() });
    const session = sessionOf(dc.context);
    const lang = langOf(dc.context);
    const r = this.services.responses;
    if (c.unsure && c.intent !== 'request_human') {
      session.unsure += 1;
      if (session.unsure >= 2) return this.toPerson(dc, 'unsure');
      const options = c.candidates
        .map((x) => x.intent)
        .filter(isComplaint)
        .slice(0, 3);
      Object.assign(clarifyValues(dc), { entities: c.entities, options, text } satisfies ClarifyValues);
      const titles = [...options.map((o) => r.t(lang, `intent.${o}`)), r.t(lang, 'unsure_other')];
      const prompt = promptActivity(
        r.t(lang, 'unsure_ask'),
        { slot: 'complaint', kind: 'choice', choices: [...options, 'other'], titles },
        dc.context.activity.channelId,
      );
      return dc.prompt(CLARIFY, { prompt });
    }
    session.unsure = 0;
    return this.dispatch(dc, c);
  }

  private async clarified(dc: DialogContext, result: unknown): Promise<DialogTurnResult> {
    const { options = [], entities, text: first } = clarifyValues(dc);
    const text = String(result ?? '').trim();
    const value = (dc.context.activity.value as { complaint?: unknown } | undefined)?.complaint;
    const r = this.services.responses;
    const choices = options.map((o) => ({ value: o, names: [r.t('zh-CN', `intent.${o}`), r.t('en', `intent.${o}`)] }));
    const answer = recognizeChoice(text, value, choices);
    const picked = answer.ok ? options.find((o) => o === answer.value) : undefined;
    if (picked) {
      sessionOf(dc.context).unsure = 0;
      return dc.replaceDialog(COMPLAINT_DIALOG, {
        complaint: picked,
        entities: entities!,
        ...(first ? { text: first } : {}),
      } satisfies ComplaintOptions);
    }
    const c = this.services.classifier.classify(text, { now: this.services.now() });
    if (!c.unsure && c.intent !== 'other') return this.dispatch(dc, c);
    sessionOf(dc.context).unsure += 1;
    if (sessionOf(dc.context).unsure >= 2) return this.toPerson(dc, 'unsure');
    await dc.context.sendActivity(r.t(langOf(dc.context), 'unsure_again'));
    return dc.endDialog();
  }

  private async dispatch(dc: DialogContext, c: Classification): Promise<DialogTurnResult> {
    const lang = langOf(dc.context);
    const r = this.services.responses;
    if (isComplaint(c.intent))
      return dc.replaceDialog(COMPLAINT_DIALOG, {
        complaint: c.intent,
        entities: c.entities,
        text: dc.context.activity.text ?? '',
      } satisfies ComplaintOptions);
    switch (c.intent) {
      case 'request_human':
        return this.toPerson(dc, 'request_human');
      case 'check_status':
        await dc.context.sendActivity(await statusReply(dc.context, this.services));
        break;
      case 'greeting':
        await dc.context.sendActivity(r.t(lang, 'greeting'));
        break;
      case 'help':
        await dc.context.sendActivity(r.t(lang, 'help_general'));
        break;
      case 'cancel':
        await dc.context.sendActivity(r.t(lang, 'nothing_to_cancel'));
        break;
      default:
        await dc.context.sendActivity(r.t(lang, 'out_of_scope'));
    }
    return dc.endDialog();
  }

  private async toPerson(dc: DialogContext, reason: 'unsure' | 'request_human'): Promise<DialogTurnResult> {
    const session = sessionOf(dc.context);
    session.unsure = 0;
    const caseId = session.caseId ?? (await openCase(dc.context, this.services, 'other', {})).id;
    await this.services.handoff.escalate(dc.context, caseId, reason);
    return dc.endDialog();
  }
}
