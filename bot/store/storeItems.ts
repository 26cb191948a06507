/**
 * What the botbuilder `Storage` backends share: splitting a StoreItem into its JSON and the eTag
 * it expects, minting eTags, and parsing stored JSON back into an item at the edge.
 *
 * Semantics follow botbuilder's MemoryStorage: an item whose eTag is absent or `'*'` overwrites;
 * any other eTag must equal the stored one, else the whole write is refused. A write to a key that
 * is not stored (never written, deleted or expired) succeeds whatever its eTag.
 */
import type { StoreItem, StoreItems } from 'botbuilder';
import { StoredDataError } from './errors.js';
import { randomChunk } from './randomPool.js';

export interface PreparedWrite {
  /** The caller's item: gets the new eTag once the write is applied (see `markWritten`). */
  item: StoreItem;
  key: string;
  /** The eTag the stored item must have, or undefined to overwrite. */
  expected: string | undefined;
  eTag: string;
  json: string;
}

/** Random rather than a counter: an eTag must never repeat for a key, even after a delete. */
export function newEtag(): string {
  return randomChunk(9).toString('base64url');
}

/** The JSON each item was parsed from by `restoreItem` (without its eTag), for comparisons. */
const readJson = new WeakMap<object, string>();
/** The JSON the next write of an item is to store, serialised by its caller just before. */
const pendingJson = new WeakMap<object, string>();

/**
 * Tells the next write of `item` its JSON (without the eTag), so the state that was compared
 * is not serialised again. Call it right before `write`, with nothing awaited in between.
 */
export function presetJson(item: StoreItem, json: string): void {
  pendingJson.set(item, json);
}

/** The stored JSON `item` was parsed from, if a store read it (see `restoreItem`). */
export function storedJson(item: object): string | undefined {
  return readJson.get(item);
}

/** Writes to run in the same transaction as an item's next write (see `writeAlong`). */
const along = new WeakMap<object, () => void>();

/**
 * Runs `write` (synchronous, on the same database) in the transaction of `item`'s next write, by
 * a store that can (SQLite); the other stores ignore it. Replaces a write registered before.
 */
export function writeAlong(item: object, write: () => void): void {
  along.set(item, write);
}

/** The write registered to go along with `item`, taken (it runs at most once). */
export function takeAlong(item: object): (() => void) | undefined {
  const write = along.get(item);
  along.delete(item);
  return write;
}

export function prepareWrites(changes: StoreItems): PreparedWrite[] {
  if (changes === null || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
  return Object.entries(changes).map(([key, item]: [string, StoreItem]) => {
    if (item === null || typeof item !== 'object') throw new TypeError(`Storage: item "${key}" is not an object`);
    const { eTag } = item;
    const expected = typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : undefined;
    const preset = pendingJson.get(item);
    pendingJson.delete(item);
    return { item, key, expected, eTag: newEtag(), json: preset ?? withoutEtag(item) };
  });
}

/** The item's JSON without its eTag. */
export function withoutEtag(item: StoreItem): string {
  const { eTag, ...rest } = item;
  return JSON.stringify(rest);
}

export function restoreItem(json: string, eTag: string, key: string): StoreItem {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new StoredDataError(`state "${key}"`, 'a JSON object');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StoredDataError(`state "${key}"`, 'a JSON object');
  }
  const item = { ...(value as Record<string, unknown>), eTag };
  readJson.set(item, json);
  return item;
}

/**
 * After a successful write, each caller's item carries its new eTag (MemoryStorage leaves it
 * stale), so saving the same object again in one turn is compare-and-set, not a false conflict.
 * An item written with `'*'` keeps it: the caller asked to overwrite.
 */
export function markWritten(writes: readonly PreparedWrite[]): void {
  for (const w of writes) if (w.item.eTag !== '*') w.item.eTag = w.eTag;
}
