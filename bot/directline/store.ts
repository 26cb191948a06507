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
  activitiesSince(conversationId: string, watermark: number): Promise<{ activities: ActivityJson[]; watermark: number }>;
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
  return { type: 'event', name: 'kefu.erased', conversation: { id: conversationId }, from: { id: 'kefu', role: 'bot' } };
}

export class MemoryDirectLineStore implements DirectLineStore {
  private readonly conversations = new Map<string, { record: ConversationRecord; activities: (ActivityJson & { id: string })[] }>();
  private readonly events = new EventEmitter();

  constructor() {
    // One listener per open stream; hundreds of widgets are normal.
    this.events.setMaxListeners(0);
  }

  async createConversation(record: ConversationRecord): Promise<void> {
    if (!this.conversations.has(record.id)) this.conversations.set(record.id, { record, activities: [] });
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.conversations.get(id)?.record;
  }

  async append(conversationId: string, activity: ActivityJson): Promise<AppendedActivity> {
    const conversation = this.conversations.get(conversationId);
    if (conversation === undefined) throw new Error(`no Direct Line conversation '${conversationId}'`);
    const stored = { ...activity, id: activityId(conversationId, conversation.activities.length) };
    conversation.activities.push(stored);
    const appended = { activity: stored, watermark: conversation.activities.length };
    this.events.emit(conversationId, appended);
    return appended;
  }

  async activitiesSince(conversationId: string, watermark: number): Promise<{ activities: ActivityJson[]; watermark: number }> {
    const all = this.conversations.get(conversationId)?.activities ?? [];
    return { activities: all.slice(Math.max(0, watermark)), watermark: all.length };
  }

  async conversationsOf(userId: string): Promise<string[]> {
    return [...this.conversations.values()].filter((c) => c.record.userId === userId).map((c) => c.record.id);
  }

  async erase(conversationId: string): Promise<void> {
    const conversation = this.conversations.get(conversationId);
    if (conversation === undefined) return;
    const { userName: _name, ...record } = conversation.record;
    conversation.record = record;
    conversation.activities = conversation.activities.map((a) => ({ ...erasedActivity(conversationId), id: a.id }));
  }

  subscribe(conversationId: string, listener: (appended: AppendedActivity) => void): () => void {
    this.events.on(conversationId, listener);
    return () => this.events.off(conversationId, listener);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
    this.conversations.clear();
  }
}
