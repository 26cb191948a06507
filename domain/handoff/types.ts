/**
 * The shapes the handoff room shares with the bot and the agent console: why a case went to a
 * person, what the shopper is told, and the queue interface a Redis implementation can follow.
 */
import type { CaseRecord, Resolution } from '../cases.js';

export const HANDOFF_REASONS = [
  'rule',
  'request_human',
  'declined',
  'unsure',
  'merchant_refused',
  'large_payout',
  'approval',
  'health_harm',
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export type ShopperEvent =
  | { type: 'queued'; reason: HandoffReason; position: number; etaSeconds: number }
  | { type: 'position'; position: number; etaSeconds: number }
  | { type: 'assigned'; agent: string }
  | { type: 'agent_message'; agent: string; text: string }
  | { type: 'resolved'; resolution: Resolution }
  | { type: 'cancelled' }
  /** The shopper ended the chat while an agent holds the case: it stays with the agent. */
  | { type: 'shopper_left' };

/** Implemented by the bot (proactive messages in the shopper's language); the service calls it. */
export interface ShopperNotifier {
  notify(c: CaseRecord, event: ShopperEvent): Promise<void>;
}

export type SlaKind = 'first_response' | 'resolution';

/** One case waiting for, or owned by, an agent. Times are epoch milliseconds. */
export interface QueueEntry {
  caseId: string;
  team: string;
  /**
   * 1 is the most urgent and served first; equal priorities go by the earlier first-response
   * deadline (a higher member tier has a shorter one), then stay FIFO by `seq`.
   */
  priority: number;
  reason: HandoffReason;
  enqueuedAt: number;
  /** Insertion order, breaks ties between cases enqueued in the same millisecond. */
  seq: number;
  state: 'waiting' | 'assigned';
  agent?: string;
  assignedAt?: number;
  /** The current owner has written to the shopper since claiming (else it may be taken back). */
  answered: boolean;
  firstResponseAt?: number;
  firstResponseDue: number;
  resolutionDue: number;
  breaches: SlaKind[];
  /** Last position the shopper was told, so updates go out only when it changes. */
  lastPosition?: number;
  reassignments: number;
}

export type NewQueueEntry = Pick<
  QueueEntry,
  'caseId' | 'team' | 'priority' | 'reason' | 'enqueuedAt' | 'firstResponseDue' | 'resolutionDue'
>;

/**
 * The durable queue. Every method is atomic on its own; `claim` succeeds for exactly one agent.
 * Implementations: `SqliteHandoffQueue` (embedded default); a Redis one can follow.
 */
export interface HandoffQueue {
  /** Adds the case, or returns the existing entry unchanged when it is already queued. */
  enqueue(entry: NewQueueEntry): Promise<QueueEntry>;
  get(caseId: string): Promise<QueueEntry | undefined>;
  /** In service order: waiting before assigned, then priority (1 first), then SLA deadline, then insertion order. */
  list(filter?: { team?: string[]; state?: QueueEntry['state'] }): Promise<QueueEntry[]>;
  /** 1-based place among the waiting cases of the same team; undefined when not waiting. */
  position(caseId: string): Promise<number | undefined>;
  /** Every waiting case with its current position (for position updates). */
  positions(): Promise<Array<{ caseId: string; position: number; lastPosition?: number }>>;
  setLastPosition(caseId: string, position: number): Promise<void>;
  /** waiting → assigned to `agent`; undefined when the case is not waiting (someone else won). */
  claim(caseId: string, agent: string, now: number): Promise<QueueEntry | undefined>;
  /** Records an agent message: answers the assignment and stamps the first response once. */
  markAnswered(caseId: string, now: number): Promise<void>;
  /** assigned → waiting, keeping its age so it is offered again first. */
  release(caseId: string): Promise<QueueEntry | undefined>;
  /** Assigned cases whose owner has not written since `assignedBefore`. */
  unanswered(assignedBefore: number): Promise<QueueEntry[]>;
  /** Entries past an SLA due time that were not yet flagged for it. */
  dueBreaches(now: number): Promise<Array<{ entry: QueueEntry; kind: SlaKind }>>;
  markBreach(caseId: string, kind: SlaKind): Promise<void>;
  remove(caseId: string): Promise<boolean>;
  size(): Promise<number>;
}
