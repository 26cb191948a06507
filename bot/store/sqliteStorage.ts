/**
 * botbuilder `Storage` on the embedded SQLite file: conversation and user state with eTag
 * compare-and-set. A write of several keys is one transaction: all applied or none.
 * Several processes may share the file; SQLite serializes their writes.
 */
import type { Storage, StoreItems } from 'botbuilder';
import { EtagConflictError } from './errors.js';
import type { SqliteDb } from './sqliteDb.js';
import { markWritten, prepareWrites, restoreItem, type PreparedWrite } from './storeItems.js';

interface StateRow {
  etag: string;
  data: string;
}

export class SqliteStorage implements Storage {
  private readonly selectOne;
  private readonly upsert;
  private readonly remove;
  private readonly writeAll;
  private readonly removeAll;

  /** `db` comes from `openSqlite`, which creates the `state` table. */
  constructor(private readonly db: SqliteDb) {
    this.selectOne = db.prepare<[string], StateRow>('SELECT etag, data FROM state WHERE key = ?');
    this.upsert = db.prepare<[string, string, string, number]>(
      `INSERT INTO state (key, etag, data, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM state WHERE key = ?');
    this.writeAll = db.transaction((writes: PreparedWrite[], now: number) => {
      for (const w of writes) {
        if (w.expected !== undefined) {
          const stored = this.selectOne.get(w.key);
          if (stored !== undefined && stored.etag !== w.expected) throw new EtagConflictError(w.key);
        }
        this.upsert.run(w.key, w.eTag, w.json, now);
      }
    });
    this.removeAll = db.transaction((keys: string[]) => {
      for (const key of keys) this.remove.run(key);
    });
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row !== undefined) items[key] = restoreItem(row.data, row.etag, key);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const writes = prepareWrites(changes);
    // IMMEDIATE: take the write lock before the eTag check, so another process cannot slip in between.
    this.writeAll.immediate(writes, Date.now());
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
