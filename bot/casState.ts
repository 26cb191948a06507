/**
 * Conversation state saved with compare-and-set. botbuilder's BotState overwrites with eTag `*`
 * on every save, so two instances racing on one conversation silently lose a turn; this keeps
 * the eTag that was read, so the storage refuses the slower writer (EtagConflictError) and the
 * bot re-runs that turn on fresh state. kefu's storages throw that typed error themselves;
 * botbuilder's MemoryStorage (tests, benchmarks) throws a plain Error, so it is wrapped here, once.
 */
import { ConversationState, MemoryStorage, type Storage, type StoreItem, type TurnContext } from 'botbuilder';
import { presetJson, storedJson, withoutEtag } from './store/storeItems.js';
import { TypedConflicts } from './store/typedConflicts.js';

/** What BotState keeps in turn state under its (private) key. */
interface Cached {
  state: StoreItem;
  hash: string;
}

/**
 * Compares plain JSON (as the storage writes it, without the eTag) rather than botbuilder's
 * `calculateChangeHash`, whose replacer-based stringify costs several times more, and which
 * BotState runs on every load as well as every save. State as read is compared against the JSON
 * it was parsed from (no second serialisation), and the JSON compared at save is the JSON written.
 */
export class CasConversationState extends ConversationState {
  /** Each state object as loaded or last saved: unchanged state is not written. */
  private readonly saved = new WeakMap<object, string>();

  constructor(storage: Storage) {
    super(storage instanceof MemoryStorage ? new TypedConflicts(storage) : storage);
  }

  /** BotState's own slot in turn state, so `get`, `clear` and the property accessors see what `load` read. */
  private get key(): symbol {
    return (this as unknown as { stateKey: symbol }).stateKey;
  }

  override async load(context: TurnContext, force = false): Promise<StoreItem> {
    const cached = context.turnState.get(this.key) as Cached | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state: StoreItem = items[key] ?? {};
    // `hash` is BotState's change hash, which only its own saveChanges (replaced below) reads.
    context.turnState.set(this.key, { state, hash: '' } satisfies Cached);
    this.saved.set(state, storedJson(state) ?? withoutEtag(state));
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const state = this.get(context) as StoreItem | undefined;
    if (state === undefined) return;
    const json = withoutEtag(state);
    if (!force && this.saved.get(state) === json) return;
    const key = await this.storageKey(context);
    presetJson(state, json);
    await this.storage.write({ [key]: state });
    this.saved.set(state, json);
  }
}
