/**
 * botbuilder's MemoryStorage refuses a stale write with a plain Error whose only sign is its text.
 * This wrapper gives it kefu's contract instead: writes are checked (all or none) under a lock
 * that orders them, and a stale one throws EtagConflictError before MemoryStorage sees it. Sound
 * as long as every write goes through the wrapper, which holds when it wraps a fresh storage.
 */
import type { Storage, StoreItems } from 'botbuilder';
import { EtagConflictError } from './errors.js';

export class TypedConflicts implements Storage {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly inner: Storage) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  write(changes: StoreItems): Promise<void> {
    const run = this.tail.then(async () => {
      const stored = await this.inner.read(Object.keys(changes));
      for (const [key, item] of Object.entries(changes)) {
        const expected = item?.eTag;
        const current = stored[key]?.eTag;
        if (
          typeof expected === 'string' &&
          expected !== '' &&
          expected !== '*' &&
          current !== undefined &&
          current !== expected
        )
          throw new EtagConflictError(key);
      }
      await this.inner.write(changes);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
