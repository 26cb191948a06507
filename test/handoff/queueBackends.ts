/**
 * The two handoff queues as test fixtures: SQLite in a temporary file and Redis under its own key
 * prefix, removed afterwards. `instance()` opens another queue on the same data, as a second
 * bot process would, so the contract can race two instances.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { RedisHandoffQueue, SqliteHandoffQueue, type HandoffQueue } from '../../bot/handoff/index.js';
import { REDIS_URL, dropRedisPrefix, testId } from '../store/backends.js';

export interface QueueFixture {
  instance(): HandoffQueue;
  cleanup(): Promise<void>;
}

export interface QueueBackend {
  name: string;
  open(): QueueFixture;
}

export const sqliteQueueBackend: QueueBackend = {
  name: 'SQLite',
  open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-queue-'));
    const dbs: Database.Database[] = [];
    return {
      instance() {
        const db = new Database(path.join(dir, 'kefu.sqlite'));
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        dbs.push(db);
        return new SqliteHandoffQueue(db);
      },
      async cleanup() {
        for (const db of dbs) db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const redisQueueBackend: QueueBackend = {
  name: 'Redis',
  open() {
    const prefix = `kefu-test:${testId()}:`;
    const clients: Redis[] = [];
    return {
      instance() {
        const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
        clients.push(redis);
        return new RedisHandoffQueue(redis, prefix);
      },
      async cleanup() {
        if (clients[0] !== undefined) await dropRedisPrefix(clients[0], prefix);
        for (const c of clients) c.disconnect();
      },
    };
  },
};

export const QUEUE_BACKENDS: QueueBackend[] = [sqliteQueueBackend, redisQueueBackend];

/**
 * Inside a `describe`: a `queue()` factory for tests, each call a fresh fixture on `backend`,
 * all cleaned up after each test.
 */
export function useQueueBackend(backend: QueueBackend): () => QueueFixture {
  const open: QueueFixture[] = [];
  afterEach(async () => {
    for (const f of open.splice(0)) await f.cleanup();
  });
  return () => {
    const f = backend.open();
    open.push(f);
    return f;
  };
}
