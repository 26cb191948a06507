/**
 * Every kefu dialog in one flat DialogSet, so a turn runs only the dialog on top of the stack
 * instead of walking nested ComponentDialogs (each level builds its own DialogContext every turn).
 * Controls that work at any step ("my data", "cancel", "a person") are read here first, as exact
 * phrases or by meaning (the classifier, when sure), and a button of an already answered question
 * is answered as such.
 */
import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  DialogSet,
  DialogTurnStatus,
  type DialogContext,
  type DialogState,
  type DialogStateManagerConfiguration,
} from './sdk.js';
import { controlByMeaning, recognizeDecline } from '../intents/answers/index.js';
import { normalise, type Control } from '../domain/controls.js';
import { ComplaintDialog } from './complaintDialog.js';
import { EVIDENCE_PROMPTS, EvidenceDialog } from './evidenceDialog.js';
import { MAIN_DIALOG, MAIN_PROMPTS, MainDialog } from './mainDialog.js';
import { ORDER_PROMPTS, OrderDialog } from './orderDialog.js';
import { PRIVACY_PROMPTS, PrivacyDialog } from './privacyDialog.js';
import { REMEDY_PROMPTS, RemedyDialog } from './remedyDialog.js';
import { langOf } from './reply.js';
import { SLOT_PROMPT, SlotPrompt } from './slotPrompt.js';
import type { KefuServices } from './services.js';

/** Keys a button or card puts in `value`, by the question it answers (`action`: the remedy card). */
const VALUE_SLOTS: Record<string, string> = { action: 'accept_remedy' };
/** Where a DialogStateManager looks for its configuration in turn state (botbuilder-dialogs' own key). */
const STATE_CONFIGURATION = 'DialogStateManagerConfiguration';

export class KefuDialogs {
  private readonly set: DialogSet;
  private readonly main: MainDialog;
  private readonly complaint: ComplaintDialog;
  /**
   * The memory scopes and path resolvers of every DialogContext. botbuilder-dialogs builds them
   * anew on each turn's first context; they hold no state of their own, so they are built once
   * and given to every turn, as the SDK's DialogManager does with its `stateConfiguration`.
   */
  private stateConfiguration?: DialogStateManagerConfiguration;

  constructor(
    state: StatePropertyAccessor<DialogState>,
    private readonly services: KefuServices,
  ) {
    this.main = new MainDialog(services);
    this.complaint = new ComplaintDialog(services);
    this.set = new DialogSet(state);
    const dialogs = [
      this.main,
      this.complaint,
      new OrderDialog(services),
      new EvidenceDialog(services),
      new SlotPrompt(services),
      new RemedyDialog(services),
      new PrivacyDialog(services),
    ];
    for (const dialog of [
      ...dialogs,
      ...MAIN_PROMPTS,
      ...ORDER_PROMPTS,
      ...EVIDENCE_PROMPTS,
      ...REMEDY_PROMPTS,
      ...PRIVACY_PROMPTS,
    ])
      this.set.add(dialog);
  }

  /** One message: a stale button, a control that works at any step, else the active dialog, else a new conversation. */
  async turn(context: TurnContext): Promise<void> {
    const dc = await this.createContext(context);
    if (await this.stale(dc)) return;
    const text = context.activity.text;
    const control = this.services.controls.match(text) ?? this.byMeaning(dc, text);
    if ((await this.main.interrupt(dc, control)) || (await this.complaint.interrupt(dc, control))) return;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(MAIN_DIALOG);
  }

  /**
   * Cancel or a person asked for in other words ("算了不要了，不处理了"), read by the classifier
   * when the exact phrases miss. Not at the start (the main dialog routes by intent anyway), not
   * for a button of the open question, and not for a step declined in words ("不用了" = skip).
   */
  private byMeaning(dc: DialogContext, text: string | undefined): Control | undefined {
    if (!text || dc.stack.length === 0) return undefined;
    if (openQuestion(dc)?.titles.some((t) => normalise(t) === normalise(text))) return undefined;
    if (dc.activeDialog?.id === SLOT_PROMPT && recognizeDecline(text) !== undefined) return undefined;
    const meaning = controlByMeaning(this.services.classifier.classify(text, { now: this.services.now() }));
    return meaning === 'cancel' ? 'cancel' : meaning === 'human' ? 'human' : undefined;
  }

  /**
   * A button from a card already answered (its question is no longer the open one): say so and
   * show where the conversation stands, instead of reading it as a new message.
   */
  private async stale(dc: DialogContext): Promise<boolean> {
    const { value, text } = dc.context.activity;
    if (text || value === null || typeof value !== 'object') return false;
    const keys = Object.keys(value as object).map((k) => VALUE_SLOTS[k] ?? k);
    const open = openQuestion(dc)?.slot;
    if (open !== undefined && keys.includes(open)) return false;
    const r = this.services.responses;
    const lang = langOf(dc.context);
    await dc.context.sendActivity(r.t(lang, open ? 'stale.answered' : 'stale.answered_idle'));
    if (open && dc.stack.length > 0) await dc.repromptDialog();
    return true;
  }

  /** Starts over at the main dialog (e.g. after a handoff that ended behind the bot's back). */
  async restart(context: TurnContext): Promise<void> {
    await (await this.createContext(context)).beginDialog(MAIN_DIALOG);
  }

  private async createContext(context: TurnContext): Promise<DialogContext> {
    if (this.stateConfiguration) context.turnState.set(STATE_CONFIGURATION, this.stateConfiguration);
    const dc = await this.set.createContext(context);
    this.stateConfiguration ??= dc.state.configuration;
    return dc;
  }
}

/** The question waiting for an answer on top of the stack (its slot and button titles), if any. */
function openQuestion(dc: DialogContext): { slot: string; titles: string[] } | undefined {
  const active = dc.activeDialog;
  if (!active) return undefined;
  const state = active.state as { options?: { slot?: unknown; prompt?: Partial<Activity> } };
  if (active.id === SLOT_PROMPT && typeof state.options?.slot === 'string')
    return { slot: state.options.slot, titles: [] };
  const prompt = state.options?.prompt;
  const slot = (prompt?.channelData as { prompt?: { slot?: unknown } } | undefined)?.prompt?.slot;
  if (typeof slot !== 'string') return undefined;
  return { slot, titles: (prompt?.suggestedActions?.actions ?? []).map((a) => a.title ?? '').filter(Boolean) };
}
