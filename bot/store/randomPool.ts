/**
 * Random bytes for ids and eTags, drawn from a pool refilled 4 KiB at a time: each
 * `randomBytes` call costs a trip into OpenSSL, and every turn needs a few small draws.
 * A refill allocates a new buffer, so bytes handed out are never overwritten.
 */
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let next = 0;

export function randomChunk(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (next + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    next = 0;
  }
  const chunk = pool.subarray(next, next + size);
  next += size;
  return chunk;
}
