/**
 * The Direct Line store on Redis, so any kefu instance can serve any widget: a conversation is a
 * JSON string `<prefix>dl:c:<id>`, its activities a list `<prefix>dl:a:<id>` (index n is the
 * activity numbered n; ids are derived from the index, so they are never stored). An append is
 * one Lua script (check the conversation, RPUSH, refresh both TTLs), so two instances appending
 * at once get distinct, gap-free numbers. Then it announces `<watermark>|<json>` on the bus
 * channel `dl:<id>`, which reaches the instance holding the widget's WebSocket.
 *
 * Pub/sub can reorder announcements from two instances and drops them while disconnected, so a
 * subscriber keeps its own cursor and reads the list to fill any gap: subscribers still see every
 * append exactly once, in order (the DirectLineStore invariant).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Bus } from '../bus/index.js';
import type { Logger } from '../log.js';
import {
  activityId,
  erasedActivity,
  type ActivityJson,
  type AppendedActivity,
  type ConversationRecord,
  type DirectLineStore,
} from './store.js';

// KEYS: conversation, activities. ARGV: activity JSON, TTL seconds. Returns the new length, or -1.
const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local n = redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n
`;

// KEYS: activities. ARGV: the erased activity's JSON. Every item is replaced in one step, so an
// append racing with it keeps its number.
const ERASE = `
local n = redis.call('LLEN', KEYS[1])
for i = 0, n - 1 do redis.call('LSET', KEYS[1], i, ARGV[1]) end
return n
`;

export interface RedisDirectLineStoreOptions {
  /** Prepended to every key, like the rest of kefu's Redis data. */
  prefix: string;
  /** A conversation idle this long disappears with its activities. */
  ttlSeconds: number;
  log: Logger;
}

function parseConversation(json: string, key: string): ConversationRecord {
  const value = JSON.parse(json) as Partial<ConversationRecord> | null;
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof value.id !== 'string' ||
    typeof value.userId !== 'string' ||
    typeof value.createdAt !== 'string'
  ) {
    throw new Error(`Redis key ${key} is not a Direct Line conversation (expected { id, userId, createdAt })`);
  }
  return value as ConversationRecord;
}

function parseActivity(json: string, conversationId: string, index: number): ActivityJson & { id: string } {
  return { ...(JSON.parse(json) as ActivityJson), id: activityId(conversationId, index) };
}

export class RedisDirectLineStore implements DirectLineStore {
  private readonly p: string;
  private readonly ttl: number;
  private readonly open = new Set<() => void>();

  constructor(
    private readonly redis: Redis,
    private readonly bus: Bus,
    private readonly options: RedisDirectLineStoreOptions,
  ) {
    this.p = `${options.prefix}dl:`;
    this.ttl = Math.max(60, Math.floor(options.ttlSeconds));
  }

  async createConversation(record: ConversationRecord): Promise<void> {
    const created = await this.redis.set(`${this.p}c:${record.id}`, JSON.stringify(record), 'EX', this.ttl, 'NX');
    // The user's conversations, for erase; it lives as long as the newest of them.
    if (created !== null)
      await this.redis
        .multi()
        .sadd(`${this.p}u:${record.userId}`, record.id)
        .expire(`${this.p}u:${record.userId}`, this.ttl)
        .exec();
  }

  async conversationsOf(userId: string): Promise<string[]> {
    const ids = await this.redis.smembers(`${this.p}u:${userId}`);
    const alive = await Promise.all(
      ids.map(async (id) => ((await this.redis.exists(`${this.p}c:${id}`)) === 1 ? id : undefined)),
    );
    return alive.filter((id): id is string => id !== undefined);
  }

  async erase(conversationId: string): Promise<void> {
    const key = `${this.p}c:${conversationId}`;
    const json = await this.redis.get(key);
    if (json === null) return;
    const { userName: _name, ...record } = parseConversation(json, key);
    await this.redis.set(key, JSON.stringify(record), 'KEEPTTL');
    const { id: _id, ...erased } = erasedActivity(conversationId);
    await this.redis.eval(ERASE, 1, `${this.p}a:${conversationId}`, JSON.stringify(erased));
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const key = `${this.p}c:${id}`;
    const json = await this.redis.get(key);
    return json === null ? undefined : parseConversation(json, key);
  }

  async append(conversationId: string, activity: ActivityJson): Promise<AppendedActivity> {
    const { id: _id, ...body } = activity;
    const json = JSON.stringify(body);
    const n = Number(
      await this.redis.eval(
        APPEND,
        2,
        `${this.p}c:${conversationId}`,
        `${this.p}a:${conversationId}`,
        json,
        String(this.ttl),
      ),
    );
    if (n < 0) throw new Error(`no Direct Line conversation '${conversationId}'`);
    // The activity is durable now; a lost announcement is repaired by the next one or a reconnect.
    await this.bus
      .publish(`dl:${conversationId}`, `${n}|${json}`)
      .catch((err: unknown) =>
        this.options.log.warn({ err, conversationId }, 'directline: could not announce an activity'),
      );
    return { activity: parseActivity(json, conversationId, n - 1), watermark: n };
  }

  async activitiesSince(
    conversationId: string,
    watermark: number,
  ): Promise<{ activities: ActivityJson[]; watermark: number }> {
    const from = Math.max(0, Math.floor(watermark));
    const key = `${this.p}a:${conversationId}`;
    const replies = (await this.redis.multi().llen(key).lrange(key, from, -1).exec()) ?? [];
    for (const [err] of replies) if (err) throw err;
    const length = Number(replies[0]?.[1] ?? 0);
    const items = (replies[1]?.[1] as string[] | undefined) ?? [];
    return { activities: items.map((json, i) => parseActivity(json, conversationId, from + i)), watermark: length };
  }

  subscribe(conversationId: string, listener: (appended: AppendedActivity) => void): () => void {
    const key = `${this.p}a:${conversationId}`;
    let closed = false;
    // Watermark delivered up to; the length at subscribe time, so only later appends go out.
    let cursor: number | undefined;
    let chain: Promise<void> = this.redis.llen(key).then((n) => {
      cursor = n;
    });
    const step = (work: () => Promise<void> | void): void => {
      chain = chain
        .then(work)
        .catch((err: unknown) =>
          this.options.log.warn({ err, conversationId }, 'directline: could not read new activities'),
        );
    };
    const deliver = (json: string, index: number): void => {
      if (!closed) listener({ activity: parseActivity(json, conversationId, index), watermark: index + 1 });
    };
    const catchUp = async (): Promise<void> => {
      if (closed) return;
      if (cursor === undefined) cursor = await this.redis.llen(key);
      const items = await this.redis.lrange(key, cursor, -1);
      const start = cursor;
      cursor += items.length;
      for (const [i, json] of items.entries()) deliver(json, start + i);
    };
    const onMessage = (message: string): void => {
      const bar = message.indexOf('|');
      const watermark = Number(message.slice(0, bar));
      step(async () => {
        if (cursor === undefined) return catchUp();
        if (watermark <= cursor) return;
        if (watermark === cursor + 1) {
          cursor = watermark;
          return deliver(message.slice(bar + 1), watermark - 1);
        }
        return catchUp();
      });
    };
    let unsubscribe: (() => void) | undefined;
    const offReconnect = this.bus.onReconnect?.(() => step(catchUp));
    void this.bus.subscribe(`dl:${conversationId}`, onMessage).then(
      (off) => {
        if (closed) return off();
        unsubscribe = off;
        // Anything appended between reading the length and the subscription going live.
        step(catchUp);
      },
      (err: unknown) =>
        this.options.log.warn({ err, conversationId }, 'directline: could not subscribe to a conversation'),
    );
    const stop = (): void => {
      closed = true;
      unsubscribe?.();
      offReconnect?.();
      this.open.delete(stop);
    };
    this.open.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    for (const stop of [...this.open]) stop();
  }
}

/**
 * The key material every instance signs Direct Line tokens and connector URLs with when no
 * `DIRECT_LINE_SECRET` is set: random, made once by whichever instance starts first.
 */
export async function sharedDirectLineKey(redis: Redis, prefix: string): Promise<string> {
  const key = `${prefix}dl:key`;
  await redis.set(key, randomBytes(32).toString('base64url'), 'NX');
  const value = await redis.get(key);
  if (value === null) throw new Error(`Redis key ${key} vanished right after it was written`);
  return value;
}
