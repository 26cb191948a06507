/**
 * Conversation state saved with compare-and-set. botbuilder's BotState overwrites with eTag `*`
 * on every save, so two instances racing on one conversation silently lose a turn; this keeps
 * the eTag that was read, so the storage refuses the slower writer (EtagConflictError) and the
 * bot re-runs that turn on fresh state. kefu's storages throw that typed error themselves;
 * botbuilder's MemoryStorage (tests, benchmarks) throws a plain Error, so it is wrapped here, once.
 */
import { ConversationState, MemoryStorage, type Storage, type StoreItem, type TurnContext } from 'botbuilder';
import { TypedConflicts } from './store/typedConflicts.js';

/**
 * What a save compares: the state as the storage will write it (JSON, without the eTag). Plain
 * JSON rather than botbuilder's `calculateChangeHash`, whose replacer-based stringify costs
 * several times more on every turn.
 */
function snapshot(state: StoreItem): string {
  const { eTag, ...rest } = state;
  return JSON.stringify(rest);
}

export class CasConversationState extends ConversationState {
  /** Each state object as loaded or last saved: unchanged state is not written. */
  private readonly saved = new WeakMap<object, string>();

  constructor(storage: Storage) {
    super(storage instanceof MemoryStorage ? new TypedConflicts(storage) : storage);
  }

  override async load(context: TurnContext, force = false): Promise<StoreItem> {
    const state = (await super.load(context, force)) as StoreItem;
    if (force || !this.saved.has(state)) this.saved.set(state, snapshot(state));
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const state = this.get(context) as StoreItem | undefined;
    if (state === undefined) return;
    const json = snapshot(state);
    if (!force && this.saved.get(state) === json) return;
    await this.storage.write({ [await this.storageKey(context)]: state });
    this.saved.set(state, json);
  }
}
