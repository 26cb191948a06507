/**
 * The storage interfaces every backend implements: the embedded SQLite default and
 * Redis + PostgreSQL when scaled out. Dialogs, the handoff queue and the console see only these.
 */
import type { Storage } from 'botbuilder';
import type { Complaint, Lang } from '../../intents/labels.js';
import type { Category, Decision, EvidenceKind, Facts, MemberTier, Remedy } from '../../rules/facts.js';

export type CaseStatus =
  | 'open' // collecting evidence
  | 'proposed' // a remedy was proposed, waiting for the shopper
  | 'accepted' // the shopper accepted the bot's proposal: settled without a person
  | 'escalated' // waiting in the human queue
  | 'assigned' // an agent owns it
  | 'resolved' // an agent closed it with a decision
  | 'cancelled';

export interface EvidenceItem {
  id: string;
  kind: EvidenceKind;
  contentType: string;
  bytes: number;
  sha256: string;
  /** Key in the EvidenceStore: the file is kept with the case, not only as a channel URL. */
  storageKey: string;
  fileName?: string;
  receivedAt: string;
}

export interface CaseEvent {
  at: string;
  status: CaseStatus;
  /** `bot`, `shopper` or `agent:NAME`. */
  by: string;
  note?: string;
}

export interface TranscriptEntry {
  at: string;
  from: 'shopper' | 'bot' | 'agent';
  text: string;
  agent?: string;
  /** Evidence ids shown with this message. */
  evidence?: string[];
}

/** An agent's closing decision. */
export interface Resolution {
  kind: 'accept_proposal' | 'change' | 'reject';
  remedy: Remedy;
  refund_pct?: number;
  compensation_amount?: number;
  /** The complaint the agent found when the bot misread it (a candidate training example). */
  complaint?: Complaint;
  note: string;
  agent: string;
  at: string;
}

export interface CaseRecord {
  id: string;
  /** Incremented on every write; updates are compare-and-set on it. */
  version: number;
  shopperId: string;
  conversationId: string;
  channelId: string;
  /** JSON of the Bot Framework ConversationReference, for proactive messages. */
  conversationRef?: unknown;
  locale: Lang;
  orderId?: string;
  /** The SKU of the item complained about: one open case per order and item. */
  itemSku?: string;
  /** `other` when the shopper asked for a person before saying what went wrong. */
  complaint: Complaint | 'other';
  facts: Partial<Facts>;
  evidence: EvidenceItem[];
  decision?: Decision;
  resolution?: Resolution;
  status: CaseStatus;
  history: CaseEvent[];
  transcript: TranscriptEntry[];
  csat?: { score: number; at: string };
  /** `conversationId/activityId` of the turn that opened the case: a retried turn finds it again. */
  origin?: string;
  createdAt: string;
  updatedAt: string;
}

export type NewCase = Omit<CaseRecord, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'history' | 'transcript'> & {
  history?: CaseEvent[];
  transcript?: TranscriptEntry[];
};

export interface CaseFilter {
  status?: CaseStatus[];
  shopperId?: string;
  conversationId?: string;
  /** ISO time: only cases created at or after it. */
  since?: string;
  limit?: number;
}

export interface CaseStore {
  /** Durable when the promise resolves: the id may then be shown to the shopper. */
  create(input: NewCase): Promise<CaseRecord>;
  get(id: string): Promise<CaseRecord | undefined>;
  /**
   * Applies `change` to the latest stored version and writes it with compare-and-set on
   * `version`, re-reading and re-applying on a concurrent write. `change` must be pure. A change
   * that alters nothing writes nothing: the stored case comes back with its version unchanged.
   */
  update(id: string, change: (current: CaseRecord) => CaseRecord): Promise<CaseRecord>;
  list(filter?: CaseFilter): Promise<CaseRecord[]>;
  delete(id: string): Promise<boolean>;
}

export interface StoredEvidence {
  key: string;
  sha256: string;
  bytes: number;
}

export interface EvidenceStore {
  put(data: Buffer, contentType: string): Promise<StoredEvidence>;
  get(key: string): Promise<{ data: Buffer; contentType: string } | undefined>;
  delete(key: string): Promise<void>;
}

export interface OrderItem {
  sku: string;
  name: string;
  /** The name English-speaking shoppers see and use (`name_en` in the order file). */
  nameEn?: string;
  category: Category;
  quantity: number;
  /** Yuan per unit, list price. */
  price: number;
  /**
   * Yuan per unit the shopper actually paid, after coupons and discounts (refunds and
   * compensation are computed on it); absent: the list price.
   */
  paidPrice?: number;
  /** Live goods (crabs, shellfish): a 12 h report window instead of 48 h. */
  live?: boolean;
  /** Sold frozen: the shopper is asked whether it arrived thawed. */
  frozen?: boolean;
  /** Shelf life in days, from the label or the catalogue. */
  shelfLifeDays?: number;
  /** Nominal net content in g or ml (packaged goods, fresh goods sold by weight). */
  netContent?: number;
}

export interface Order {
  id: string;
  shopperId: string;
  items: OrderItem[];
  /** Yuan, what the shopper paid. */
  amount: number;
  placedAt: string;
  /** ISO time; absent while in transit. */
  deliveredAt?: string;
  /** Expiry date of food items, when the order source knows it (ISO date). */
  expiresOn?: string;
  /** The shop that sold it (Tmall-style supermarkets host several merchants). */
  merchant?: string;
}

export interface Shopper {
  id: string;
  name: string;
  tier: MemberTier;
  priorClaims90d: number;
}

/** Where orders come from: `data/orders.yaml` by default; a real shop implements this. */
export interface OrderSource {
  getOrder(id: string): Promise<Order | undefined>;
  ordersOf(shopperId: string): Promise<Order[]>;
  getShopper(id: string): Promise<Shopper | undefined>;
}

export interface Stores {
  /** Conversation and user state for botbuilder, with eTag compare-and-set. */
  state: Storage;
  cases: CaseStore;
  evidence: EvidenceStore;
  orders: OrderSource;
  /** The embedded SQLite file, when that is the backend (the handoff queue keeps its tables there). */
  sqlite?: import('better-sqlite3').Database;
  /** Which backend `openStores` chose. */
  backend?: 'sqlite' | 'redis+postgres';
  /**
   * The shared connections when scaled out, for the parts built on them (the Redis handoff
   * queue, pub/sub between instances): keys under `prefix`, tables in `schema`.
   */
  scaled?: { redis: import('ioredis').Redis; pool: import('pg').Pool; prefix: string; schema: string };
  /** Handled activity ids, for exactly-once turns across instances. */
  ledger: ActivityLedger;
  /** One cheap round trip per store (`/readyz`), by name: `sqlite`, or `redis` and `postgres`. */
  probes: Record<string, () => Promise<void>>;
  close(): Promise<void>;
}

/** What `ActivityLedger.begin` found for one activity. */
export type LedgerEntry =
  | { state: 'new' }
  /** Handled before: the replies it got then. */
  | { state: 'done'; replies: unknown[] }
  /** Being handled right now, by this or another instance. */
  | { state: 'busy' };

/**
 * Which activities were handled, shared by every instance, so a redelivered activity (same
 * conversation, same activity id) gets its first answer again instead of being handled twice.
 * Keys are opaque (a hash); `owner` tells one claim from another.
 */
export interface ActivityLedger {
  /** Claims `key` for `leaseMs` when nobody holds it (or a holder's lease ran out). */
  begin(key: string, owner: string, leaseMs: number): Promise<LedgerEntry>;
  /** Extends a claim this owner still holds. */
  renew(key: string, owner: string, leaseMs: number): Promise<void>;
  /** Records the activity as handled, with its replies, for `ttlSeconds`. */
  finish(key: string, replies: unknown[], ttlSeconds: number): Promise<void>;
  /** Gives up a claim (the turn failed), so a redelivery is handled afresh. */
  abandon(key: string, owner: string): Promise<void>;
  /**
   * Deletes every entry of these conversations (`conversationScope`): the replies kept for
   * redeliveries are shopper data, so erase and purge remove them.
   */
  forget(scopes: string[]): Promise<void>;
}
