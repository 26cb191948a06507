/**
 * The activity ledger in Redis, shared by every instance: `<prefix>activity:<key>` holds
 * `busy:<owner>` (with the lease as its TTL) while a turn runs, then `done:<replies JSON>` for
 * the dedupe window. SET NX makes the claim atomic across instances; renew and abandon act only
 * on the caller's own claim (small Lua scripts), so a late instance never frees another's.
 */
import type { Redis } from 'ioredis';
import type { ActivityLedger, LedgerEntry } from './types.js';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const ABANDON = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisLedger implements ActivityLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async begin(key: string, owner: string, leaseMs: number): Promise<LedgerEntry> {
    const k = this.key(key);
    // Two tries: a claim that expires between SET and GET leaves nothing to read.
    for (let i = 0; i < 2; i++) {
      if ((await this.redis.set(k, `busy:${owner}`, 'PX', leaseMs, 'NX')) === 'OK') return { state: 'new' };
      const value = await this.redis.get(k);
      if (value === null) continue;
      if (value.startsWith('done:')) return { state: 'done', replies: JSON.parse(value.slice(5)) as unknown[] };
      return { state: 'busy' };
    }
    return { state: 'busy' };
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<void> {
    await this.redis.eval(RENEW, 1, this.key(key), `busy:${owner}`, String(leaseMs));
  }

  async finish(key: string, replies: unknown[], ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(key), `done:${JSON.stringify(replies)}`, 'EX', Math.max(1, ttlSeconds));
  }

  async abandon(key: string, owner: string): Promise<void> {
    await this.redis.eval(ABANDON, 1, this.key(key), `busy:${owner}`);
  }

  async forget(scopes: string[]): Promise<void> {
    for (const scope of scopes) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.key(`${scope}:*`), 'COUNT', 500);
        if (keys.length > 0) await this.redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  }

  private key(key: string): string {
    return `${this.prefix}activity:${key}`;
  }
}
