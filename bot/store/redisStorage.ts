/**
 * botbuilder `Storage` on Redis, for many stateless bot instances. Each item is a hash
 * `{ e: eTag, d: JSON }` under `<prefix>state:<key>`. A write checks every eTag and applies every
 * item in one Lua script, so a write of several keys is all-or-nothing and two instances racing
 * on one conversation cannot both win. Every write refreshes the item's TTL: a conversation not
 * written for `ttlSeconds` disappears by itself.
 *
 * With Redis Cluster the keys of one write must share a hash slot; kefu's writes (conversation
 * and user state of one turn) do not, so use a single primary (with replicas) or Sentinel.
 */
import { createHash } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import { EtagConflictError } from './errors.js';
import { markWritten, prepareWrites, restoreItem } from './storeItems.js';

// KEYS: the items. ARGV[1]: TTL in seconds (0: none); then per key: expected eTag ('' to
// overwrite), new eTag, JSON. Returns 0, or the 1-based index of the first key in conflict.
const CAS_WRITE = `
local ttl = tonumber(ARGV[1])
for i = 1, #KEYS do
  local want = ARGV[2 + (i - 1) * 3]
  if want ~= '' then
    local have = redis.call('HGET', KEYS[i], 'e')
    if have and have ~= want then return i end
  end
end
for i = 1, #KEYS do
  local base = 2 + (i - 1) * 3
  redis.call('HSET', KEYS[i], 'e', ARGV[base + 1], 'd', ARGV[base + 2])
  if ttl > 0 then redis.call('EXPIRE', KEYS[i], ttl) else redis.call('PERSIST', KEYS[i]) end
end
return 0
`;
const CAS_WRITE_SHA = createHash('sha1').update(CAS_WRITE).digest('hex');

export interface RedisStorageOptions {
  /** Prepended to every key, e.g. `kefu:`; lets deployments and tests share one Redis. */
  prefix: string;
  /** Items not written for this long expire; absent or 0: never. */
  ttlSeconds?: number;
}

export class RedisStorage implements Storage {
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly redis: Redis,
    opts: RedisStorageOptions,
  ) {
    this.prefix = `${opts.prefix}state:`;
    this.ttlSeconds = Math.max(0, Math.floor(opts.ttlSeconds ?? 0));
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(this.prefix + key, 'e', 'd');
    const replies = (await pipeline.exec()) ?? [];
    const items: StoreItems = {};
    keys.forEach((key, i) => {
      const [err, value] = replies[i] ?? [new Error('no reply')];
      if (err) throw err;
      const [eTag, json] = value as [string | null, string | null];
      if (eTag !== null && json !== null) items[key] = restoreItem(json, eTag, key);
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const writes = prepareWrites(changes);
    if (writes.length === 0) return;
    const keys = writes.map((w) => this.prefix + w.key);
    const args = [String(this.ttlSeconds), ...writes.flatMap((w) => [w.expected ?? '', w.eTag, w.json])];
    const conflict = Number(await this.script(keys, args));
    if (conflict > 0) throw new EtagConflictError(writes[conflict - 1]!.key);
    markWritten(writes);
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length > 0) await this.redis.del(...keys.map((k) => this.prefix + k));
  }

  /** EVALSHA, loading the script on the first NOSCRIPT (a fresh or restarted Redis). */
  private async script(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(CAS_WRITE_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(CAS_WRITE, keys.length, ...keys, ...args);
    }
  }
}
