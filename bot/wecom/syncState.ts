/**
 * What the WeCom channel must remember across restarts and instances: the `kf/sync_msg` cursor
 * of each 客服 account, the msgids already handled (WeCom returns up to 3 days of messages, so a
 * pull from an old cursor repeats some) and the callback nonces already seen (replays). In the
 * embedded SQLite file, or in Redis when kefu is scaled out.
 */
import type { Redis } from 'ioredis';
import { committed } from '../store/groupCommit.js';
import { migrateSqlite, type SqliteDb } from '../store/sqliteDb.js';

export interface WeComSyncState {
  cursor(openKfId: string): Promise<string | undefined>;
  setCursor(openKfId: string, cursor: string): Promise<void>;
  /** The 客服 accounts with a cursor (pulled before), to resume their pulls at start. */
  accounts(): Promise<string[]>;
  /** Whether `key` was marked and has not expired. */
  seen(key: string): Promise<boolean>;
  /** Marks `key` for `ttlSeconds`; false when it was marked already (the caller lost a race). */
  mark(key: string, ttlSeconds: number): Promise<boolean>;
}

const MIGRATIONS = [
  `CREATE TABLE wecom_cursor (open_kfid TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE wecom_seen (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
   CREATE INDEX wecom_seen_expires ON wecom_seen (expires_at);`,
];

export function sqliteSyncState(db: SqliteDb, now: () => number = Date.now): WeComSyncState {
  migrateSqlite(db, 'wecom', MIGRATIONS);
  const getCursor = db.prepare('SELECT cursor FROM wecom_cursor WHERE open_kfid = ?');
  const putCursor = db.prepare(
    'INSERT INTO wecom_cursor (open_kfid, cursor, updated_at) VALUES (?, ?, ?) ON CONFLICT (open_kfid) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at',
  );
  const listAccounts = db.prepare('SELECT open_kfid FROM wecom_cursor ORDER BY open_kfid');
  const getSeen = db.prepare('SELECT 1 FROM wecom_seen WHERE key = ? AND expires_at > ?');
  const sweep = db.prepare('DELETE FROM wecom_seen WHERE expires_at <= ?');
  const putSeen = db.prepare('INSERT INTO wecom_seen (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
  const mark = db.transaction((key: string, ttlSeconds: number) => {
    const t = now();
    sweep.run(t);
    return putSeen.run(key, t + ttlSeconds * 1000).changes === 1;
  });
  return {
    cursor: async (kf) => (getCursor.get(kf) as { cursor: string } | undefined)?.cursor,
    setCursor: async (kf, cursor) => void (await committed(db, () => putCursor.run(kf, cursor, now()))),
    accounts: async () => (listAccounts.all() as { open_kfid: string }[]).map((r) => r.open_kfid),
    seen: async (key) => getSeen.get(key, now()) !== undefined,
    mark: (key, ttl) => committed(db, () => mark(key, ttl)),
  };
}

export function redisSyncState(redis: Redis, prefix: string): WeComSyncState {
  const k = (what: string, id: string) => `${prefix}wecom:${what}:${id}`;
  return {
    cursor: async (kf) => (await redis.get(k('cursor', kf))) ?? undefined,
    setCursor: async (kf, cursor) =>
      void (await redis.multi().set(k('cursor', kf), cursor).sadd(`${prefix}wecom:accounts`, kf).exec()),
    accounts: async () => (await redis.smembers(`${prefix}wecom:accounts`)).sort(),
    seen: async (key) => (await redis.exists(k('seen', key))) === 1,
    mark: async (key, ttl) => (await redis.set(k('seen', key), '1', 'EX', Math.max(1, ttl), 'NX')) === 'OK',
  };
}
