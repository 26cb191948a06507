/**
 * The root dialog: reads what the shopper wants from their message and routes it. When the
 * classifier is unsure it asks "A or B?" with buttons; unsure twice in a row goes to a person.
 * "My data" and "delete my data" work at any step (see `interrupt`).
 */
import type { TurnContext } from 'botbuilder';
import {
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from './sdk.js';
import { isComplaint, type Complaint } from '../intents/labels.js';
import type { Classification } from '../intents/types.js';
import { COMPLAINT_DIALOG, type ComplaintOptions } from './complaintDialog.js';
import { openCase } from './openCase.js';
import { PRIVACY_DIALOG, type PrivacyOptions } from './privacyDialog.js';
import { verifiedShopper } from './identity.js';
import { recognizeChoice } from '../intents/answers/index.js';
import { langOf, promptActivity, textOrValue } from './reply.js';
import { onStack } from './stack.js';
import type { Control } from '../domain/controls.js';
import { sessionOf } from './session.js';
import { statusReply } from './status.js';
import type { KefuServices } from './services.js';

export const MAIN_DIALOG = 'mainDialog';
const CLARIFY = 'clarify';
export const MAIN_PROMPTS = [new TextPrompt(CLARIFY, textOrValue)];

/** What the clarifying question remembers between its two steps. */
interface ClarifyValues {
  entities?: Classification['entities'];
  /** The message that was unclear: its words may still name the product. */
  text?: string;
  options?: Complaint[];
}
const clarifyValues = (step: WaterfallStepContext): ClarifyValues => step.values as ClarifyValues;
/** The turn's first message as the main dialog read it when it began (turn state, never saved). */
const CLASSIFIED = Symbol('kefu.mainDialog.classified');

export class MainDialog extends WaterfallDialog {
  constructor(private readonly services: KefuServices) {
    super(MAIN_DIALOG);
    this.addStep(this.route.bind(this));
    this.addStep(this.clarified.bind(this));
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

  /**
   * Starts on the shopper's message with nothing on the stack. A clear complaint goes straight to
   * its dialog; this waterfall (a step context for each step) runs only for what needs routing or
   * a clarifying question.
   */
  async start(dc: DialogContext): Promise<DialogTurnResult> {
    const c = this.classify(dc.context);
    if (c.unsure || !isComplaint(c.intent)) {
      dc.context.turnState.set(CLASSIFIED, c);
      return dc.beginDialog(MAIN_DIALOG);
    }
    sessionOf(dc.context).unsure = 0;
    return dc.beginDialog(COMPLAINT_DIALOG, complaintOptions(dc.context, c.intent, c));
  }

  private classify(context: TurnContext): Classification {
    return this.services.classifier.classify(context.activity.text ?? '', { now: this.services.now() });
  }

  private async route(step: WaterfallStepContext) {
    const text = step.context.activity.text ?? '';
    const c: Classification = step.context.turnState.get(CLASSIFIED) ?? this.classify(step.context);
    const session = sessionOf(step.context);
    const lang = langOf(step.context);
    const r = this.services.responses;
    if (c.unsure && c.intent !== 'request_human') {
      session.unsure += 1;
      if (session.unsure >= 2) return this.toPerson(step, 'unsure');
      const options = c.candidates
        .map((x) => x.intent)
        .filter(isComplaint)
        .slice(0, 3);
      Object.assign(clarifyValues(step), { entities: c.entities, options, text } satisfies ClarifyValues);
      const titles = [...options.map((o) => r.t(lang, `intent.${o}`)), r.t(lang, 'unsure_other')];
      const prompt = promptActivity(
        r.t(lang, 'unsure_ask'),
        { slot: 'complaint', kind: 'choice', choices: [...options, 'other'], titles },
        step.context.activity.channelId,
      );
      return step.prompt(CLARIFY, { prompt });
    }
    session.unsure = 0;
    return this.dispatch(step, c);
  }

  private async clarified(step: WaterfallStepContext) {
    const { options = [], entities, text: first } = clarifyValues(step);
    const text = String(step.result ?? '').trim();
    const value = (step.context.activity.value as { complaint?: unknown } | undefined)?.complaint;
    const r = this.services.responses;
    const choices = options.map((o) => ({ value: o, names: [r.t('zh-CN', `intent.${o}`), r.t('en', `intent.${o}`)] }));
    const answer = recognizeChoice(text, value, choices);
    const picked = answer.ok ? options.find((o) => o === answer.value) : undefined;
    if (picked) {
      sessionOf(step.context).unsure = 0;
      return step.replaceDialog(COMPLAINT_DIALOG, {
        complaint: picked,
        entities: entities!,
        ...(first ? { text: first } : {}),
      } satisfies ComplaintOptions);
    }
    const c = this.services.classifier.classify(text, { now: this.services.now() });
    if (!c.unsure && c.intent !== 'other') return this.dispatch(step, c);
    sessionOf(step.context).unsure += 1;
    if (sessionOf(step.context).unsure >= 2) return this.toPerson(step, 'unsure');
    await step.context.sendActivity(r.t(langOf(step.context), 'unsure_again'));
    return step.endDialog();
  }

  private async dispatch(step: WaterfallStepContext, c: Classification) {
    const lang = langOf(step.context);
    const r = this.services.responses;
    if (isComplaint(c.intent)) return step.replaceDialog(COMPLAINT_DIALOG, complaintOptions(step.context, c.intent, c));
    switch (c.intent) {
      case 'request_human':
        return this.toPerson(step, 'request_human');
      case 'check_status':
        await step.context.sendActivity(await statusReply(step.context, this.services));
        break;
      case 'greeting':
        await step.context.sendActivity(r.t(lang, 'greeting'));
        break;
      case 'help':
        await step.context.sendActivity(r.t(lang, 'help_general'));
        break;
      case 'cancel':
        await step.context.sendActivity(r.t(lang, 'nothing_to_cancel'));
        break;
      default:
        await step.context.sendActivity(r.t(lang, 'out_of_scope'));
    }
    return step.endDialog();
  }

  private async toPerson(step: WaterfallStepContext, reason: 'unsure' | 'request_human') {
    const session = sessionOf(step.context);
    session.unsure = 0;
    const caseId = session.caseId ?? (await openCase(step.context, this.services, 'other', {})).id;
    await this.services.handoff.escalate(step.context, caseId, reason);
    return step.endDialog();
  }
}

function complaintOptions(context: TurnContext, complaint: Complaint, c: Classification): ComplaintOptions {
  return { complaint, entities: c.entities, text: context.activity.text ?? '' };
}
