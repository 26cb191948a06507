/**
 * The parts of kefu that instances share when scaled out, picked from the stores `openStores`
 * chose: on Redis + PostgreSQL the handoff queue, the Direct Line store and the bus between
 * instances live in Redis; on the embedded SQLite file the queue is a table there and the bus
 * and Direct Line stay in process. The composition root asks for these here, so the choice is
 * made in one place and by configuration only.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Stores } from '../store/types.js';
import { RedisHandoffQueue, SqliteHandoffQueue, type HandoffQueue } from '../handoff/index.js';
import { RedisDirectLineStore, sharedDirectLineKey, type DirectLineStore } from '../directline/index.js';
import { MemoryBus } from './memoryBus.js';
import { RedisBus } from './redisBus.js';
import type { Bus } from './types.js';

export interface SharedParts {
  bus: Bus;
  queue: HandoffQueue;
  /** Undefined: the Direct Line's in-memory default. */
  directLineStore?: DirectLineStore;
  /** Key material for Direct Line tokens every instance accepts (used when no secret is set). */
  directLineKey?: string;
  close(): Promise<void>;
}

/** Direct Line conversations idle this long are dropped from Redis (tokens last an hour). */
const DIRECT_LINE_TTL_SECONDS = 7 * 24 * 3600;

export async function openSharedParts(stores: Stores, config: Config, log: Logger): Promise<SharedParts> {
  if (stores.scaled !== undefined) {
    const { redis, prefix } = stores.scaled;
    const bus = new RedisBus(redis, prefix);
    return {
      bus,
      queue: new RedisHandoffQueue(redis, prefix),
      directLineStore: new RedisDirectLineStore(redis, bus, {
        prefix,
        ttlSeconds: Math.min(config.stateTtlSeconds || DIRECT_LINE_TTL_SECONDS, DIRECT_LINE_TTL_SECONDS),
        log,
      }),
      directLineKey: config.directLineSecret === '' ? await sharedDirectLineKey(redis, prefix) : undefined,
      close: () => bus.close(),
    };
  }
  if (stores.sqlite === undefined)
    throw new Error('the handoff queue needs the embedded SQLite file or Redis (set REDIS_URL and DATABASE_URL)');
  const bus = new MemoryBus();
  return { bus, queue: new SqliteHandoffQueue(stores.sqlite), close: () => bus.close() };
}
