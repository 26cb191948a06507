/**
 * Picks the storage backend from configuration only: Redis + PostgreSQL when both `REDIS_URL`
 * and `DATABASE_URL` are set, else the embedded SQLite file under `KEFU_DATA_DIR` (zero setup).
 * Connections are checked here, at start, so a wrong URL fails the start with a clear message
 * instead of the first shopper's turn. Every connect, command and query has a deadline
 * (`Resilience`), so a store that accepts connections but never answers fails a turn in seconds
 * instead of hanging it.
 */
import path from 'node:path';
import { ConfigError, DEFAULT_RESILIENCE, type Config, type Resilience } from '../config.js';
import type { Logger } from '../log.js';
import { DirEvidenceStore } from './dirEvidenceStore.js';
import { SqliteEvidenceStore } from './sqliteEvidenceStore.js';
import { PgCaseStore } from './pgCaseStore.js';
import { PgEvidenceStore } from './pgEvidenceStore.js';
import { RedisLedger } from './redisLedger.js';
import { RedisStorage } from './redisStorage.js';
import { SqliteLedger } from './sqliteLedger.js';
import { SqliteCaseStore } from './sqliteCaseStore.js';
import { commitNow, writesSettled } from './groupCommit.js';
import { openSqlite } from './sqliteDb.js';
import { SqliteStorage } from './sqliteStorage.js';
import { startWalCheckpointer } from './walCheckpointer.js';
import type { Stores } from './types.js';
import { YamlOrderSource } from './yamlOrderSource.js';

export const SQLITE_FILE_NAME = 'kefu.sqlite';

export async function openStores(config: Config, log: Logger): Promise<Stores> {
  const orders = YamlOrderSource.load(config.ordersFile);
  if (config.redisUrl && config.databaseUrl)
    return openScaled(config, config.redisUrl, config.databaseUrl, orders, log);
  if (config.redisUrl || config.databaseUrl) {
    throw new ConfigError(
      `${config.redisUrl ? 'REDIS_URL' : 'DATABASE_URL'} is set but ${config.redisUrl ? 'DATABASE_URL' : 'REDIS_URL'} is not ` +
        '(expected both, to run on Redis + PostgreSQL, or neither, for the embedded SQLite file)',
    );
  }
  const file = path.join(config.dataDir, SQLITE_FILE_NAME);
  const db = openSqlite(file);
  const checkpointer = startWalCheckpointer(db, (message) =>
    log.warn({ file, err: message }, 'SQLite checkpoint failed; the write-ahead log grows until the next one succeeds'),
  );
  log.info({ store: 'sqlite', file }, 'storage: embedded SQLite');
  return {
    backend: 'sqlite',
    state: new SqliteStorage(db),
    cases: new SqliteCaseStore(db),
    evidence:
      config.evidenceStore === 'postgres'
        ? badEvidenceChoice()
        : new SqliteEvidenceStore(db, new DirEvidenceStore(path.join(config.dataDir, 'evidence'))),
    orders,
    sqlite: db,
    ledger: new SqliteLedger(db),
    probes: { sqlite: async () => void db.prepare('SELECT 1').get() },
    settled: () => writesSettled(db),
    close: async () => {
      commitNow(db);
      await checkpointer.stop();
      db.close();
    },
  };
}

function badEvidenceChoice(): never {
  throw new ConfigError(
    'EVIDENCE_STORE=postgres needs DATABASE_URL and REDIS_URL (expected EVIDENCE_STORE=dir with the embedded store)',
  );
}

async function openScaled(
  config: Config,
  redisUrl: string,
  databaseUrl: string,
  orders: YamlOrderSource,
  log: Logger,
): Promise<Stores> {
  const prefix = config.redisPrefix ?? 'kefu:';
  const schema = config.databaseSchema ?? 'kefu';
  // The drivers load only when used: the embedded store's start-up does not pay for them.
  const [{ Redis }, { default: pg }] = await Promise.all([import('ioredis'), import('pg')]);
  const redis = new Redis(redisUrl, redisOptions(config.resilience ?? DEFAULT_RESILIENCE));
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    ...pgOptions(config.resilience ?? DEFAULT_RESILIENCE),
  });
  pool.on('error', (err: Error) => log.warn({ err: err.message }, 'postgres idle client error'));
  try {
    await redis.connect().catch((err: Error) => {
      throw new Error(`cannot connect to REDIS_URL (${redactUrl(redisUrl)}): ${err.message}`);
    });
    const cases = await PgCaseStore.open(pool, schema).catch((err: Error) => {
      throw new Error(`cannot open DATABASE_URL (${redactUrl(databaseUrl)}), schema ${schema}: ${err.message}`);
    });
    const evidence =
      config.evidenceStore === 'postgres'
        ? await PgEvidenceStore.open(pool, schema)
        : new DirEvidenceStore(path.join(config.dataDir, 'evidence'));
    log.info(
      { store: 'redis+postgres', prefix, schema, evidence: config.evidenceStore ?? 'dir' },
      'storage: Redis + PostgreSQL',
    );
    return {
      backend: 'redis+postgres',
      state: new RedisStorage(redis, { prefix, ttlSeconds: config.stateTtlSeconds ?? 30 * 24 * 3600 }),
      cases,
      evidence,
      orders,
      scaled: { redis, pool, prefix, schema },
      ledger: new RedisLedger(redis, prefix),
      probes: {
        redis: async () => void (await redis.ping()),
        postgres: async () => void (await pool.query('SELECT 1')),
      },
      close: async () => {
        redis.disconnect();
        await pool.end();
      },
    };
  } catch (err) {
    redis.disconnect();
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/**
 * A turn during a Redis outage fails after a few reconnect tries or `storeTimeoutMs` (and the
 * shopper is asked to resend) rather than hanging; the client keeps reconnecting meanwhile. A
 * connection that stops answering (a blackhole) is dropped after `socketTimeout` and opened again.
 */
export function redisOptions(r: Resilience) {
  return {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    connectTimeout: r.connectTimeoutMs,
    commandTimeout: r.storeTimeoutMs,
    socketTimeout: r.storeTimeoutMs * 2,
  };
}

/**
 * `connectionTimeoutMillis` covers the TCP connect and the start-up handshake, `query_timeout`
 * every query on the client side (a blackhole never answers the server-side one), and
 * `statement_timeout` lets the server give up too, so it does not keep working for nobody.
 */
export function pgOptions(r: Resilience) {
  return {
    connectionTimeoutMillis: r.connectTimeoutMs,
    query_timeout: r.storeTimeoutMs,
    statement_timeout: r.storeTimeoutMs,
    keepAlive: true,
  };
}

/** Connection URLs may carry passwords; logs and errors show them without. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}
