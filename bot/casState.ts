/**
 * Conversation state saved with compare-and-set. botbuilder's BotState overwrites with eTag `*`
 * on every save, so two instances racing on one conversation silently lose a turn; this keeps
 * the eTag that was read, so the storage refuses the slower writer (EtagConflictError) and the
 * bot re-runs that turn on fresh state.
 */
import { ConversationState, calculateChangeHash, type StoreItem, type TurnContext } from 'botbuilder';

export class CasConversationState extends ConversationState {
  /** The hash of each state object as loaded or last saved: unchanged state is not written. */
  private readonly saved = new WeakMap<object, string>();

  override async load(context: TurnContext, force = false): Promise<any> {
    const state = (await super.load(context, force)) as StoreItem;
    if (force || !this.saved.has(state)) this.saved.set(state, calculateChangeHash(state));
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const state = this.get(context) as StoreItem | undefined;
    if (state === undefined) return;
    const hash = calculateChangeHash(state);
    if (!force && this.saved.get(state) === hash) return;
    await this.storage.write({ [await this.storageKey(context)]: state });
    this.saved.set(state, calculateChangeHash(state));
  }
}
