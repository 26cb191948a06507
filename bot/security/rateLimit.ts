/**
 * Token buckets per key (a conversation, a client address): `perMinute` requests a minute on
 * average, bursts up to the same number. Memory is bounded: past `maxKeys` the bucket touched
 * longest ago is forgotten, which only ever lets a forgotten key start again with a full bucket.
 */
export interface Limiter {
  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean;
  /** Seconds until `key` has a token again (0 when it has one). */
  retryAfter(key: string): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets implements Limiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {
    this.ratePerMs = perMinute / 60_000;
  }

  take(key: string): boolean {
    if (this.perMinute <= 0) return true;
    const bucket = this.refill(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  retryAfter(key: string): number {
    if (this.perMinute <= 0) return 0;
    const bucket = this.refill(key);
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000);
  }

  private refill(key: string): Bucket {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.perMinute, at: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    } else {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.ratePerMs);
      bucket.at = now;
      this.buckets.delete(key); // re-inserted below: Map order is then least recently used first
    }
    this.buckets.set(key, bucket);
    return bucket;
  }
}
