/** Questions about the one flat dialog stack every kefu dialog runs on. */
import type { DialogContext } from './sdk.js';

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
