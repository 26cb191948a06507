/**
 * The two storage backends as test fixtures, each isolated: SQLite in its own temporary file,
 * Redis under its own key prefix and PostgreSQL in its own schema, all removed afterwards.
 * Every fixture opens two "instances" on the same data, as two bot processes would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Storage } from 'botbuilder';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  DirEvidenceStore,
  PgCaseStore,
  PgEvidenceStore,
  RedisStorage,
  SqliteCaseStore,
  SqliteEvidenceStore,
  SqliteStorage,
  openSqlite,
} from '../../bot/store/index.js';
import type { CaseStore, EvidenceStore } from '../../domain/cases.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Instance {
  state: Storage;
  cases: CaseStore;
  evidence: EvidenceStore;
}

export interface Fixture {
  /** Two instances sharing the data, like two bot processes. */
  a: Instance;
  b: Instance;
  /** A fresh instance on the same data, as after a process restart. */
  restart(): Promise<Instance>;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: string;
  open(): Promise<Fixture>;
}

export const sqliteBackend: Backend = {
  name: 'SQLite',
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-store-'));
    const file = path.join(dir, 'kefu.sqlite');
    const dbs: ReturnType<typeof openSqlite>[] = [];
    const instance = (): Instance => {
      const db = openSqlite(file);
      dbs.push(db);
      return {
        state: new SqliteStorage(db),
        cases: new SqliteCaseStore(db),
        evidence: new SqliteEvidenceStore(db, new DirEvidenceStore(path.join(dir, 'evidence'))),
      };
    };
    return {
      a: instance(),
      b: instance(),
      restart: async () => instance(),
      cleanup: async () => {
        for (const db of dbs) db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export function testId(): string {
  return randomBytes(5).toString('hex');
}

/** Deletes every key under `prefix` (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function dropRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export const redisPgBackend: Backend = {
  name: 'Redis + PostgreSQL',
  async open() {
    const id = testId();
    const prefix = `kefu-test:${id}:`;
    const schema = `kefu_test_${id}`;
    const redises: Redis[] = [];
    const pools: pg.Pool[] = [];
    const instance = async (): Promise<Instance> => {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
      redises.push(redis);
      pools.push(pool);
      return {
        state: new RedisStorage(redis, { prefix, ttlSeconds: 3600 }),
        cases: await PgCaseStore.open(pool, schema),
        evidence: await PgEvidenceStore.open(pool, schema),
      };
    };
    const [a, b] = await Promise.all([instance(), instance()]);
    return {
      a,
      b,
      restart: instance,
      cleanup: async () => {
        await dropRedisPrefix(redises[0]!, prefix);
        await pools[0]!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        for (const r of redises) r.disconnect();
        for (const p of pools) await p.end();
      },
    };
  },
};

export const BACKENDS: Backend[] = [sqliteBackend, redisPgBackend];

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to reject');
}
