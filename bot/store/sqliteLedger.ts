/**
 * The activity ledger in the embedded SQLite file: one row per activity, claimed or handled.
 * A claim is one upsert statement, which SQLite applies atomically under its write lock, so two
 * processes on the same file cannot both claim an activity. Expired rows are swept a few at a
 * time, at most once a second, by a claim.
 */
import type { Statement } from 'better-sqlite3';
import { committed } from './groupCommit.js';
import type { SqliteDb } from './sqliteDb.js';
import { writeAlong } from './storeItems.js';
import type { ActivityLedger, LedgerEntry } from './types.js';

const SWEEP_EVERY_MS = 1000;
const SWEEP_BATCH = 50;

interface Row {
  owner: string;
  done: number;
  replies: string | null;
  expires_at: number;
}

export class SqliteLedger implements ActivityLedger {
  private readonly claim: (key: string, owner: string, leaseMs: number) => LedgerEntry;
  private readonly extend: Statement<[number, string, string]>;
  private readonly done: (key: string, replies: string, expiresAt: number) => void;
  private sweptAt = Number.NEGATIVE_INFINITY;
  private readonly release: Statement<[string, string]>;
  private readonly dropAll: (scopes: string[]) => void;

  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => number = Date.now,
  ) {
    const read = db.prepare<[string], Row>(
      'SELECT owner, done, replies, expires_at FROM activity_ledger WHERE key = ?',
    );
    // The claim is one statement (SQLite runs each atomically, holding the write lock): a new key
    // is inserted, an expired row is taken over, and a live one (claimed or handled) is left as it is.
    const take = db.prepare<[{ key: string; owner: string; expires: number; now: number }]>(
      `INSERT INTO activity_ledger (key, owner, done, replies, expires_at) VALUES (@key, @owner, 0, NULL, @expires)
       ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, done = 0, replies = NULL, expires_at = excluded.expires_at
       WHERE activity_ledger.expires_at <= @now`,
    );
    const sweep = db.prepare(
      `DELETE FROM activity_ledger WHERE key IN (SELECT key FROM activity_ledger WHERE expires_at < ? LIMIT ${SWEEP_BATCH})`,
    );
    this.claim = (key, owner, leaseMs) => {
      for (;;) {
        const now = this.now();
        // Expired rows are only clutter (every claim checks `expires_at`), so they are swept at most
        // once a second rather than on every claim; a full batch means more wait, so the next claim
        // sweeps again.
        if (now - this.sweptAt >= SWEEP_EVERY_MS || now < this.sweptAt)
          this.sweptAt = sweep.run(now).changes < SWEEP_BATCH ? now : Number.NEGATIVE_INFINITY;
        if (take.run({ key, owner, expires: now + leaseMs, now }).changes === 1) return { state: 'new' };
        const row = read.get(key);
        // Released or expired since the claim found it live: claim again.
        if (row === undefined || row.expires_at <= now) continue;
        return row.done === 1
          ? { state: 'done', replies: JSON.parse(row.replies ?? '[]') as unknown[] }
          : { state: 'busy' };
      }
    };
    this.extend = db.prepare('UPDATE activity_ledger SET expires_at = ? WHERE key = ? AND owner = ? AND done = 0');
    // The claim's row is there (unless it expired and was swept): an UPDATE in place rewrites less
    // than a REPLACE, which deletes and inserts both the row and its index entry.
    const markDone = db.prepare<[string, number, string]>(
      "UPDATE activity_ledger SET owner = '', done = 1, replies = ?, expires_at = ? WHERE key = ?",
    );
    const insertDone = db.prepare<[string, string, number]>(
      "INSERT OR REPLACE INTO activity_ledger (key, owner, done, replies, expires_at) VALUES (?, '', 1, ?, ?)",
    );
    this.done = (key, replies, expiresAt) => {
      if (markDone.run(replies, expiresAt, key).changes === 0) insertDone.run(key, replies, expiresAt);
    };
    this.release = db.prepare('DELETE FROM activity_ledger WHERE key = ? AND owner = ? AND done = 0');
    // Keys are `<hex scope>:<hex id>`, so the pattern has no LIKE wildcards of its own.
    const drop = db.prepare("DELETE FROM activity_ledger WHERE key LIKE ? || ':%'");
    this.dropAll = db.transaction((scopes: string[]) => {
      for (const scope of scopes) drop.run(scope);
    });
  }

  async begin(key: string, owner: string, leaseMs: number): Promise<LedgerEntry> {
    return committed(this.db, () => this.claim(key, owner, leaseMs));
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<void> {
    await committed(this.db, () => this.extend.run(this.now() + leaseMs, key, owner));
  }

  async finish(key: string, replies: unknown[], ttlSeconds: number): Promise<void> {
    await committed(this.db, () => this.done(key, JSON.stringify(replies), this.now() + ttlSeconds * 1000));
  }

  /** In the transaction that writes `item` to this database's `SqliteStorage`: state and mark commit together. */
  finishAlong(item: object, key: string, replies: unknown[], ttlSeconds: number): () => boolean {
    const json = JSON.stringify(replies);
    let written = false;
    writeAlong(item, () => {
      // A mark that cannot be written must not cost the turn its state: `finish` tries again after.
      try {
        this.done(key, json, this.now() + ttlSeconds * 1000);
        written = true;
      } catch {}
    });
    return () => written;
  }

  async abandon(key: string, owner: string): Promise<void> {
    await committed(this.db, () => this.release.run(key, owner));
  }

  async forget(scopes: string[]): Promise<void> {
    await committed(this.db, () => this.dropAll(scopes));
  }
}
