/**
 * botbuilder `Storage` on the embedded SQLite file: conversation and user state with eTag
 * compare-and-set. A write of several keys is one transaction: all applied or none.
 * Several processes may share the file; SQLite serializes their writes.
 */
import type { Storage, StoreItems } from 'botbuilder';
import { EtagConflictError } from './errors.js';
import type { SqliteDb } from './sqliteDb.js';
import { markWritten, type PreparedWrite, prepareWrites, restoreItem, takeAlong } from './storeItems.js';

interface StateRow {
  etag: string;
  data: string;
  updated_at: number;
}

/**
 * How stale a row's `updated_at` may get before a write refreshes it. It only tells idle state
 * from live (`purgeIdle`, days), and leaving it alone spares the write its index entry.
 */
export const STAMP_SLACK_MS = 10 * 60_000;

export class SqliteStorage implements Storage {
  private readonly selectOne;
  private readonly casUpsert;
  private readonly casUpdateUnstamped;
  /** When each item read here was last stamped (`updated_at`), by item. */
  private readonly stamps = new WeakMap<object, number>();
  private readonly remove;
  private readonly writeAll;
  private readonly removeAll;

  /** `db` comes from `openSqlite`, which creates the `state` table. */
  constructor(private readonly db: SqliteDb) {
    this.selectOne = db.prepare<[string], StateRow>('SELECT etag, data, updated_at FROM state WHERE key = ?');
    // One statement per key: insert, or overwrite when no eTag is expected or the stored one matches.
    this.casUpsert = db.prepare<[{ key: string; eTag: string; json: string; now: number; expected: string | null }]>(
      `INSERT INTO state (key, etag, data, updated_at) VALUES (@key, @eTag, @json, @now)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at
       WHERE @expected IS NULL OR state.etag = @expected`,
    );
    // An item read a moment ago: its eTag pins the row, whose stamp is recent enough to keep.
    this.casUpdateUnstamped = db.prepare<[{ key: string; eTag: string; json: string; expected: string }]>(
      'UPDATE state SET etag = @eTag, data = @json WHERE key = @key AND etag = @expected',
    );
    this.remove = db.prepare<[string]>('DELETE FROM state WHERE key = ?');
    // Several keys, or writes that go along (the activity ledger's): one IMMEDIATE transaction,
    // all applied or none.
    this.writeAll = db.transaction((writes: PreparedWrite[], now: number, extra: (() => void)[]) => {
      for (const w of writes) this.writeOne(w, now);
      for (const write of extra) write();
    });
    this.removeAll = db.transaction((keys: string[]) => {
      for (const key of keys) this.remove.run(key);
    });
  }

  private writeOne(w: PreparedWrite, now: number): void {
    const { key, eTag, json, expected } = w;
    const stamp = this.stamps.get(w.item);
    if (expected !== undefined && stamp !== undefined && now >= stamp && now - stamp < STAMP_SLACK_MS) {
      // Not stored any more (deleted or purged since it was read): the upsert below inserts it.
      if (this.casUpdateUnstamped.run({ key, eTag, json, expected }).changes === 1) return;
      if (this.selectOne.get(key) !== undefined) throw new EtagConflictError(key);
    }
    if (this.casUpsert.run({ key, eTag, json, now, expected: expected ?? null }).changes === 0)
      throw new EtagConflictError(key);
    this.stamps.set(w.item, now);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row === undefined) continue;
      const item = restoreItem(row.data, row.etag, key);
      this.stamps.set(item, row.updated_at);
      items[key] = item;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const writes = prepareWrites(changes);
    const extra = writes.map((w) => takeAlong(w.item)).filter((w) => w !== undefined);
    if (writes.length === 1 && extra.length === 0) this.writeOne(writes[0]!, Date.now());
    else this.writeAll.immediate(writes, Date.now(), extra);
    markWritten(writes);
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    this.removeAll.immediate(keys);
  }

  /** Deletes items not written for `idleSeconds` (SQLite has no TTL); returns how many. */
  purgeIdle(idleSeconds: number, now: number = Date.now()): number {
    return this.db.prepare('DELETE FROM state WHERE updated_at < ?').run(now - idleSeconds * 1000).changes;
  }
}
