/**
 * The storage interfaces every backend implements: the embedded SQLite default and
 * Redis + PostgreSQL when scaled out. Dialogs, the handoff queue and the console see only these.
 */
import type { Storage } from 'botbuilder';
import type { CaseStore, EvidenceStore } from '../../domain/cases.js';
import type { OrderSource } from '../../domain/orders.js';

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
  /**
   * Resolves once every write made so far is durable. The embedded store commits the writes of
   * one event-loop tick together (`groupCommit.ts`); the others commit each write before it resolves.
   */
  settled?(): Promise<void>;
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
  /**
   * Optional: records the activity as handled in the same transaction as the next write of
   * `item` (the turn's conversation state) to a store on the same database, so the turn's state
   * and its "handled" mark commit together. Returns a check of whether that write took it along;
   * if not (nothing was written), `finish` is still due.
   */
  finishAlong?(item: object, key: string, replies: unknown[], ttlSeconds: number): () => boolean;
  /** Gives up a claim (the turn failed), so a redelivery is handled afresh. */
  abandon(key: string, owner: string): Promise<void>;
  /**
   * Deletes every entry of these conversations (`conversationScope`): the replies kept for
   * redeliveries are shopper data, so erase and purge remove them.
   */
  forget(scopes: string[]): Promise<void>;
}
