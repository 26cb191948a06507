/**
 * The case model: what kefu knows about one complaint, from the first message to an agent's
 * decision, and the stores that keep cases and their evidence files. Every backend implements
 * these (`bot/store/`); dialogs, the handoff queue and the console see only these.
 */
import type { Complaint, Lang } from '../intents/labels.js';
import type { Decision, EvidenceKind, Facts, Remedy } from '../rules/facts.js';

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

/**
 * Writes of one turn whose commit a store left pending (see `CaseStore.create`). The bot checks
 * them before it saves the turn's state, so the state never commits pointing at a case that did
 * not, and waits for them before it answers, so nothing shown rests on a write a crash could undo.
 */
export class TurnWrites {
  private readonly pending: Promise<void>[] = [];
  private failed?: { error: unknown };

  defer(durable: Promise<void>): void {
    this.pending.push(durable);
    durable.catch((error: unknown) => {
      this.failed ??= { error };
    });
  }

  /** Throws the failure of a commit seen so far, if any. */
  throwIfFailed(): void {
    if (this.failed) throw this.failed.error;
  }

  /** Resolves once every deferred write is durable; rejects when one of their commits failed. */
  async durable(): Promise<void> {
    await Promise.all(this.pending);
  }
}

export interface CaseStore {
  /**
   * Durable when the promise resolves: the id may then be shown to the shopper. Given the turn's
   * `writes`, a store may resolve as soon as the case is written (readable, not yet committed)
   * and leave its commit in `writes`; the turn then shows the id only once `writes.durable()`
   * has resolved. A commit that fails rejects it, and the turn answers "not saved".
   */
  create(input: NewCase, writes?: TurnWrites): Promise<CaseRecord>;
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
  /**
   * Deletes evidence last written before `before` that no case uses (`inUse` keys), and leftovers
   * of interrupted writes older than `tmpBefore`; returns how many went. Offered by the stores
   * that keep evidence on this machine (the purge housekeeping runs it).
   */
  sweep?(inUse: Set<string>, before: Date, tmpBefore?: Date): Promise<number>;
}
