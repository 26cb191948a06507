/**
 * The activity ledger in the embedded SQLite file: one row per activity, claimed or handled.
 * Every read-and-claim is one IMMEDIATE transaction, so two processes on the same file cannot
 * both claim an activity. Expired rows are swept a few at a time on each claim.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './sqliteDb.js';
import type { ActivityLedger, LedgerEntry } from './types.js';

interface Row {
  owner: string;
  done: number;
  replies: string | null;
  expires_at: number;
}

export class SqliteLedger implements ActivityLedger {
  private readonly claim: (key: string, owner: string, leaseMs: number) => LedgerEntry;
  private readonly extend: Statement<[number, string, string]>;
  private readonly done: Statement<[string, string, number]>;
  private readonly release: Statement<[string, string]>;
  private readonly drop: Statement<[string]>;

  constructor(
    db: SqliteDb,
    private readonly now: () => number = Date.now,
  ) {
    const read = db.prepare<[string], Row>(
      'SELECT owner, done, replies, expires_at FROM activity_ledger WHERE key = ?',
    );
    const put = db.prepare(
      'INSERT OR REPLACE INTO activity_ledger (key, owner, done, replies, expires_at) VALUES (?, ?, 0, NULL, ?)',
    );
    const sweep = db.prepare(
      'DELETE FROM activity_ledger WHERE key IN (SELECT key FROM activity_ledger WHERE expires_at < ? LIMIT 50)',
    );
    const tx = db.transaction((key: string, owner: string, leaseMs: number): LedgerEntry => {
      const at = this.now();
      sweep.run(at);
      const row = read.get(key);
      if (row !== undefined && row.expires_at > at) {
        return row.done === 1
          ? { state: 'done', replies: JSON.parse(row.replies ?? '[]') as unknown[] }
          : { state: 'busy' };
      }
      put.run(key, owner, at + leaseMs);
      return { state: 'new' };
    });
    this.claim = (key, owner, leaseMs) => tx.immediate(key, owner, leaseMs);
    this.extend = db.prepare('UPDATE activity_ledger SET expires_at = ? WHERE key = ? AND owner = ? AND done = 0');
    this.done = db.prepare(
      "INSERT OR REPLACE INTO activity_ledger (key, owner, done, replies, expires_at) VALUES (?, '', 1, ?, ?)",
    );
    this.release = db.prepare('DELETE FROM activity_ledger WHERE key = ? AND owner = ? AND done = 0');
    // Keys are `<hex scope>:<hex id>`, so the pattern has no LIKE wildcards of its own.
    this.drop = db.prepare("DELETE FROM activity_ledger WHERE key LIKE ? || ':%'");
  }

  async begin(key: string, owner: string, leaseMs: number): Promise<LedgerEntry> {
    return this.claim(key, owner, leaseMs);
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<void> {
    this.extend.run(this.now() + leaseMs, key, owner);
  }

  async finish(key: string, replies: unknown[], ttlSeconds: number): Promise<void> {
    this.done.run(key, JSON.stringify(replies), this.now() + ttlSeconds * 1000);
  }

  async abandon(key: string, owner: string): Promise<void> {
    this.release.run(key, owner);
  }

  async forget(scopes: string[]): Promise<void> {
    for (const scope of scopes) this.drop.run(scope);
  }
}
