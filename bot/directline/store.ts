/**
 * Where the embedded Direct Line keeps its conversations and their activities, behind a small
 * interface so a shared (Redis) version can replace the in-memory one when kefu runs on several
 * machines. Invariants: a conversation's activities are numbered 0, 1, 2, ... in the order they
 * were appended; the watermark after activity n is n + 1; `activitiesSince(w)` returns exactly
 * the activities numbered w and up; subscribers see every append exactly once, in order.
 */
import { EventEmitter } from 'node:events';

/** A Bot Framework activity as JSON; the Direct Line only reads the fields it routes on. */
export type ActivityJson = Record<string, unknown> & { id?: string; type?: string };

export interface ConversationRecord {
  id: string;
  userId: string;
  userName?: string;
  locale?: string;
  createdAt: string;
}

export interface AppendedActivity {
  activity: ActivityJson & { id: string };
  /** The watermark after this activity. */
  watermark: number;
}

export interface DirectLineStore {
  createConversation(record: ConversationRecord): Promise<void>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  /** Gives the activity its id (`conversationId|0000007`) and stores it. */
  append(conversationId: string, activity: ActivityJson): Promise<AppendedActivity>;
  activitiesSince(
    conversationId: string,
    watermark: number,
  ): Promise<{ activities: ActivityJson[]; watermark: number }>;
  /** The conversations started for `userId` (that still exist). */
  conversationsOf(userId: string): Promise<string[]>;
  /**
   * Forgets what a conversation said: every stored activity becomes an `erased` event (numbers
   * and watermarks stay, so an open widget keeps working) and the user's name is dropped.
   */
  erase(conversationId: string): Promise<void>;
  /** Calls `listener` for each later append; returns the unsubscribe function. */
  subscribe(conversationId: string, listener: (appended: AppendedActivity) => void): () => void;
  close(): Promise<void>;
}

export function activityId(conversationId: string, index: number): string {
  return `${conversationId}|${String(index).padStart(7, '0')}`;
}

/**
 * What an erased activity becomes: no text, no files, nothing Web Chat shows (it skips events),
 * but still shaped like an activity (Web Chat reads `from.role` of everything it receives).
 */
export function erasedActivity(conversationId: string): ActivityJson {
  return {
    type: 'event',
    name: 'kefu.erased',
    conversation: { id: conversationId },
    from: { id: 'kefu', role: 'bot' },
  };
}

export interface MemoryStoreLimits {
  /** Activities kept per conversation; the oldest are dropped first. */
  perConversation: number;
  /** Activities and conversations of all conversations together, as JSON bytes. */
  totalBytes: number;
}

export const DEFAULT_MEMORY_LIMITS: MemoryStoreLimits = { perConversation: 500, totalBytes: 64 * 1024 * 1024 };

interface MemoryConversation {
  record: ConversationRecord;
  activities: { activity: ActivityJson & { id: string }; bytes: number }[];
  /** How many of the oldest activities were dropped: activity n is `activities[n - dropped]`. */
  dropped: number;
  bytes: number;
}

/**
 * One instance's store, bounded: past `perConversation` a conversation drops its oldest
 * activities, and past `totalBytes` the least recently active conversation loses its oldest
 * activities, then itself. Numbering never restarts, so watermarks stay valid; a client asking
 * for dropped activities gets the ones still kept. Clients normally hold the transcript they
 * were streamed, so what is dropped is what nobody is waiting for.
 */
export class MemoryDirectLineStore implements DirectLineStore {
  /** In order of last activity (least recent first): a Map keeps insertion order. */
  private readonly conversations = new Map<string, MemoryConversation>();
  private readonly events = new EventEmitter();
  private readonly limits: MemoryStoreLimits;
  private total = 0;

  constructor(limits: Partial<MemoryStoreLimits> = {}) {
    this.limits = { ...DEFAULT_MEMORY_LIMITS, ...limits };
    // One listener per open stream; hundreds of widgets are normal.
    this.events.setMaxListeners(0);
  }

  /** Bytes held now (for tests and health). */
  get bytes(): number {
    return this.total;
  }

  async createConversation(record: ConversationRecord): Promise<void> {
    if (this.conversations.has(record.id)) return;
    const bytes = JSON.stringify(record).length;
    this.conversations.set(record.id, { record, activities: [], dropped: 0, bytes });
    this.total += bytes;
    this.shrink();
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.conversations.get(id)?.record;
  }

  async append(conversationId: string, activity: ActivityJson): Promise<AppendedActivity> {
    const conversation = this.conversations.get(conversationId);
    if (conversation === undefined) throw new Error(`no Direct Line conversation '${conversationId}'`);
    const index = conversation.dropped + conversation.activities.length;
    const stored = { ...activity, id: activityId(conversationId, index) };
    const bytes = JSON.stringify(stored).length;
    conversation.activities.push({ activity: stored, bytes });
    conversation.bytes += bytes;
    this.total += bytes;
    // Most recently active last.
    this.conversations.delete(conversationId);
    this.conversations.set(conversationId, conversation);
    while (conversation.activities.length > this.limits.perConversation) this.dropOldest(conversation);
    this.shrink();
    const appended = { activity: stored, watermark: index + 1 };
    this.events.emit(conversationId, appended);
    return appended;
  }

  async activitiesSince(
    conversationId: string,
    watermark: number,
  ): Promise<{ activities: ActivityJson[]; watermark: number }> {
    const conversation = this.conversations.get(conversationId);
    if (conversation === undefined) return { activities: [], watermark: 0 };
    const from = Math.max(0, watermark - conversation.dropped);
    const end = conversation.dropped + conversation.activities.length;
    return { activities: conversation.activities.slice(from).map((a) => a.activity), watermark: end };
  }

  async conversationsOf(userId: string): Promise<string[]> {
    return [...this.conversations.values()].filter((c) => c.record.userId === userId).map((c) => c.record.id);
  }

  async erase(conversationId: string): Promise<void> {
    const conversation = this.conversations.get(conversationId);
    if (conversation === undefined) return;
    const { userName: _name, ...record } = conversation.record;
    conversation.record = record;
    for (const entry of conversation.activities) {
      const activity = { ...erasedActivity(conversationId), id: entry.activity.id };
      const bytes = JSON.stringify(activity).length;
      conversation.bytes += bytes - entry.bytes;
      this.total += bytes - entry.bytes;
      Object.assign(entry, { activity, bytes });
    }
  }

  subscribe(conversationId: string, listener: (appended: AppendedActivity) => void): () => void {
    this.events.on(conversationId, listener);
    return () => this.events.off(conversationId, listener);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
    this.conversations.clear();
    this.total = 0;
  }

  private dropOldest(conversation: MemoryConversation): void {
    const oldest = conversation.activities.shift();
    if (oldest === undefined) return;
    conversation.dropped += 1;
    conversation.bytes -= oldest.bytes;
    this.total -= oldest.bytes;
  }

  /** Frees the least recently active conversations' oldest activities, then the conversations. */
  private shrink(): void {
    while (this.total > this.limits.totalBytes) {
      const [id, oldest] = this.conversations.entries().next().value!;
      if (oldest.activities.length > 0 && (this.conversations.size > 1 || oldest.activities.length > 1)) {
        this.dropOldest(oldest);
        continue;
      }
      if (this.conversations.size === 1) return;
      this.conversations.delete(id);
      this.total -= oldest.bytes;
    }
  }
}
