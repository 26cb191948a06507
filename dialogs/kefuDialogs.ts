/**
 * Every kefu dialog in one flat DialogSet, so a turn runs only the dialog on top of the stack
 * instead of walking nested ComponentDialogs (each level builds its own DialogContext every turn).
 * Controls that work at any step ("my data", "cancel", "a person") are read here first.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { ComplaintDialog } from './complaintDialog.js';
import { EVIDENCE_PROMPTS, EvidenceDialog } from './evidenceDialog.js';
import { MAIN_DIALOG, MAIN_PROMPTS, MainDialog } from './mainDialog.js';
import { ORDER_PROMPTS, OrderDialog } from './orderDialog.js';
import { PRIVACY_PROMPTS, PrivacyDialog } from './privacyDialog.js';
import { REMEDY_PROMPTS, RemedyDialog } from './remedyDialog.js';
import { SlotPrompt } from './slotPrompt.js';
import type { KefuServices } from './services.js';

export class KefuDialogs {
  private readonly set: DialogSet;
  private readonly main: MainDialog;
  private readonly complaint: ComplaintDialog;

  constructor(state: StatePropertyAccessor<DialogState>, private readonly services: KefuServices) {
    this.main = new MainDialog(services);
    this.complaint = new ComplaintDialog(services);
    this.set = new DialogSet(state);
    const dialogs = [this.main, this.complaint, new OrderDialog(services), new EvidenceDialog(services), new SlotPrompt(services), new RemedyDialog(services), new PrivacyDialog(services)];
    for (const dialog of [...dialogs, ...MAIN_PROMPTS, ...ORDER_PROMPTS, ...EVIDENCE_PROMPTS, ...REMEDY_PROMPTS, ...PRIVACY_PROMPTS]) this.set.add(dialog);
  }

  /** One message: a control that works at any step, else the active dialog, else a new conversation. */
  async turn(context: TurnContext): Promise<void> {
    const dc = await this.set.createContext(context);
    const control = this.services.controls.match(context.activity.text);
    if ((await this.main.interrupt(dc, control)) || (await this.complaint.interrupt(dc, control))) return;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(MAIN_DIALOG);
  }

  /** Starts over at the main dialog (e.g. after a handoff that ended behind the bot's back). */
  async restart(context: TurnContext): Promise<void> {
    const dc = await this.set.createContext(context);
    await dc.beginDialog(MAIN_DIALOG);
  }
}
