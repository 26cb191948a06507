/** Questions about the one flat dialog stack every kefu dialog runs on. */
import { Dialog, DialogReason, type DialogContext, type DialogTurnResult } from './sdk.js';

/** Whether dialog `id` is anywhere on the stack, not only on top (a prompt of it may be on top). */
export function onStack(dc: DialogContext, id: string): boolean {
  return dc.stack.some((d) => d.id === id);
}

/**
 * The state of the dialog on top, typed by the dialog that owns it: kefu's plain dialogs keep
 * their options (and where they stand) there, as a waterfall keeps its step index.
 */
export function activeState<T extends object>(dc: DialogContext): T {
  return dc.activeDialog!.state as T;
}

/**
 * A plain dialog that waits only on the prompts and dialogs it begins, kefu's alternative to a
 * waterfall (which builds a DialogContext for every step it runs). A message that reaches it with
 * none of them open is read as their answer, as a waterfall step would read it.
 */
export abstract class KefuDialog<O extends object = object> extends Dialog<O> {
  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.resumeDialog(dc, DialogReason.continueCalled, dc.context.activity.text);
  }
}
