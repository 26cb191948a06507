/**
 * Evidence in the embedded store: files up to `IN_FILE_MAX` (a photo from a chat app, a
 * screenshot) as rows of the SQLite file, larger ones (a video, a full-size camera photo) in the
 * evidence directory (`DirEvidenceStore`). A new file costs the file system a new inode: measured
 * at 0.6 ms of system time per file on an ext4 volume with a long history of created and deleted
 * files, more than the rest of the turn that stores it, all of it on the event loop. A row costs a
 * few pages of the write-ahead log, committed with the turn's other writes. Content-addressed
 * like the directory: the key is the SHA-256 of the bytes, so the same photo is kept once, and the
 * type read back is the one last put. Files written before, or too large for a row, are read,
 * deleted and swept in the directory.
 */
import type { Statement } from 'better-sqlite3';
import { type DirEvidenceStore, isEvidenceKey, sha256Hex } from './dirEvidenceStore.js';
import { committed } from './groupCommit.js';
import { migrateSqlite, type SqliteDb } from './sqliteDb.js';
import type { EvidenceStore, StoredEvidence } from '../../domain/cases.js';

/**
 * Largest file kept as a row. Writing a row is a synchronous call on the event loop, and its
 * pages go to the log twice (the commit, then the checkpoint): 256 KiB is 64 pages, well under a
 * millisecond, and covers the photos chat apps send; anything larger goes to the directory
 * through the thread pool.
 */
export const IN_FILE_MAX = 256 * 1024;

const MIGRATIONS = [
  // written_at before data: a sweep reads it without walking the blob's overflow pages.
  `CREATE TABLE evidence (
     key TEXT PRIMARY KEY,
     content_type TEXT NOT NULL,
     written_at INTEGER NOT NULL,
     data BLOB NOT NULL
   );`,
];

interface Row {
  key: string;
  contentType: string;
  writtenAt: number;
  data: Buffer;
}

export class SqliteEvidenceStore implements EvidenceStore {
  private readonly upsert: Statement<[Row]>;
  private readonly select: Statement<[string], { data: Buffer; content_type: string }>;
  private readonly remove: Statement<[string]>;
  private readonly olderThan: Statement<[number], { key: string }>;
  private readonly removeAll: (keys: string[]) => void;

  constructor(
    private readonly db: SqliteDb,
    /** Files too large for a row, and every file written before evidence went into the SQLite file. */
    readonly files: DirEvidenceStore,
  ) {
    migrateSqlite(db, 'evidence', MIGRATIONS);
    this.upsert = db.prepare(
      `INSERT INTO evidence (key, content_type, written_at, data) VALUES (@key, @contentType, @writtenAt, @data)
       ON CONFLICT (key) DO UPDATE SET content_type = excluded.content_type, written_at = excluded.written_at`,
    );
    this.select = db.prepare('SELECT data, content_type FROM evidence WHERE key = ?');
    this.remove = db.prepare('DELETE FROM evidence WHERE key = ?');
    this.olderThan = db.prepare('SELECT key FROM evidence WHERE written_at < ?');
    this.removeAll = db.transaction((keys: string[]) => {
      for (const key of keys) this.remove.run(key);
    });
  }

  async put(data: Buffer, contentType: string): Promise<StoredEvidence> {
    if (data.length > IN_FILE_MAX) return this.files.put(data, contentType);
    const key = sha256Hex(data);
    await committed(this.db, () => this.upsert.run({ key, contentType, writtenAt: Date.now(), data }));
    return { key, sha256: key, bytes: data.length };
  }

  async get(key: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    if (!isEvidenceKey(key)) return undefined;
    const row = this.select.get(key);
    return row ? { data: row.data, contentType: row.content_type } : this.files.get(key);
  }

  async delete(key: string): Promise<void> {
    if (!isEvidenceKey(key)) return;
    await committed(this.db, () => this.remove.run(key));
    await this.files.delete(key);
  }

  /**
   * Deletes evidence last written before `before` that no case uses (`inUse` keys), rows and
   * files, and the directory's `.tmp` leftovers older than `tmpBefore`; returns how many went.
   */
  async sweep(inUse: Set<string>, before: Date, tmpBefore?: Date): Promise<number> {
    const unused = this.olderThan
      .all(before.getTime())
      .map((r) => r.key)
      .filter((key) => !inUse.has(key));
    if (unused.length > 0) await committed(this.db, () => this.removeAll(unused));
    return unused.length + (await this.files.sweep(inUse, before, tmpBefore));
  }
}
