/**
 * botbuilder `Storage` on the embedded SQLite file: conversation and user state with eTag
 * compare-and-set. A write of several keys is one transaction: all applied or none.
 * Several processes may share the file; SQLite serializes their writes.
 */
import type { Storage, StoreItems } from 'botbuilder';
import { EtagConflictError } from './errors.js';
import { committed } from './groupCommit.js';
import type { SqliteDb } from './sqliteDb.js';
import { markWritten, type PreparedWrite, prepareWrites, restoreItem, takeAlong } from './storeItems.js';

interface StateRow {
  etag: string;
  data: string;
}

export class SqliteStorage implements Storage {
  private readonly selectOne;
  private readonly casUpsert;
  private readonly remove;
  private readonly writeAll;
  private readonly removeAll;

  /** `db` comes from `openSqlite`, which creates the `state` table. */
  constructor(private readonly db: SqliteDb) {
    this.selectOne = db.prepare<[string], StateRow>('SELECT etag, data FROM state WHERE key = ?');
    // One statement per key: insert, or overwrite when no eTag is expected or the stored one matches.
    this.casUpsert = db.prepare<[{ key: string; eTag: string; json: string; now: number; expected: string | null }]>(
      `INSERT INTO state (key, etag, data, updated_at) VALUES (@key, @eTag, @json, @now)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at
       WHERE @expected IS NULL OR state.etag = @expected`,
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
    if (this.casUpsert.run({ key, eTag, json, now, expected: expected ?? null }).changes === 0)
      throw new EtagConflictError(key);
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
    const extra = writes.map((w) => takeAlong(w.item)).filter((w) => w !== undefined);
    await committed(this.db, () =>
      writes.length === 1 && extra.length === 0
        ? this.writeOne(writes[0]!, Date.now())
        : this.writeAll(writes, Date.now(), extra),
    );
    markWritten(writes);
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    await committed(this.db, () => this.removeAll(keys));
  }

  /** Deletes items not written for `idleSeconds` (SQLite has no TTL); returns how many. */
  purgeIdle(idleSeconds: number, now: number = Date.now()): number {
    return this.db.prepare('DELETE FROM state WHERE updated_at < ?').run(now - idleSeconds * 1000).changes;
  }
}
