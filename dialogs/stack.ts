/** Questions about the one flat dialog stack every kefu dialog runs on. */
import type { DialogContext } from './sdk.js';

/** Whether dialog `id` is anywhere on the stack, not only on top (a prompt of it may be on top). */
export function onStack(dc: DialogContext, id: string): boolean {
  return dc.stack.some((d) => d.id === id);
}
