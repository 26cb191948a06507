/**
 * Backend selection by configuration only, and what only one backend has: Redis TTLs, SQLite's
 * idle purge, case ids, and clear errors for stored data that was tampered with.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig, ConfigError } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';
import Database from 'better-sqlite3';
import { STORE_MIGRATIONS } from '../../bot/store/sqliteDb.js';
import {
  migrateSqlite,
  newCaseId,
  normalizeCaseId,
  openSqlite,
  openStores,
  PgCaseStore,
  RedisStorage,
  SqliteCaseStore,
  SqliteLedger,
  SqliteStorage,
  StoredDataError,
} from '../../bot/store/index.js';
import { DATABASE_URL, dropRedisPrefix, REDIS_URL, rejection, testId } from './backends.js';
import { sampleCase } from './caseStoreContract.js';

const log = createLogger('silent');

describe('openStores', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'kefu-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the embedded SQLite file under KEFU_DATA_DIR when no Redis and PostgreSQL are configured', async () => {
    const stores = await openStores(loadConfig({ KEFU_DATA_DIR: dir }), log);
    try {
      expect(stores.backend).to.equal('sqlite');
      expect(stores.sqlite?.name).to.equal(path.join(dir, 'kefu.sqlite'));
      const created = await stores.cases.create(sampleCase());
      expect((await stores.cases.get(created.id))?.id).to.equal(created.id);
      expect((await stores.orders.getOrder('284716350192837465'))?.shopperId).to.equal('u-lihua');
    } finally {
      await stores.close();
    }
  });

  it('opens Redis + PostgreSQL when both URLs are set, in the configured prefix and schema', async () => {
    const id = testId();
    const env = {
      KEFU_DATA_DIR: dir,
      REDIS_URL,
      DATABASE_URL,
      REDIS_PREFIX: `kefu-test:${id}:`,
      DATABASE_SCHEMA: `kefu_test_${id}`,
      EVIDENCE_STORE: 'postgres',
    };
    const stores = await openStores(loadConfig(env), log);
    try {
      expect(stores.backend).to.equal('redis+postgres');
      await stores.state.write({ 'test/conversations/c1/': { step: 1 } });
      expect(await stores.scaled!.redis.exists(`kefu-test:${id}:state:test/conversations/c1/`)).to.equal(1);
      const created = await stores.cases.create(sampleCase());
      const row = await stores.scaled!.pool.query(`SELECT rule_id FROM "kefu_test_${id}".cases WHERE id = $1`, [
        created.id,
      ]);
      expect(row.rows[0]).to.deep.equal({ rule_id: 'DMG-01' });
      const ev = await stores.evidence.put(Buffer.from('photo'), 'image/png');
      const evRow = await stores.scaled!.pool.query(
        `SELECT bytes FROM "kefu_test_${id}".evidence_files WHERE key = $1`,
        [ev.key],
      );
      expect(evRow.rows[0]).to.deep.equal({ bytes: 5 });
    } finally {
      await dropRedisPrefix(stores.scaled!.redis, `kefu-test:${id}:`);
      await stores.scaled!.pool.query(`DROP SCHEMA IF EXISTS "kefu_test_${id}" CASCADE`);
      await stores.close();
    }
  });

  it('refuses only one of REDIS_URL and DATABASE_URL, naming the missing one', async () => {
    const err = await rejection(openStores(loadConfig({ KEFU_DATA_DIR: dir, REDIS_URL }), log));
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain('DATABASE_URL is not');
  });

  it('fails at start with the URL (password hidden) when Redis is unreachable', async () => {
    const env = { KEFU_DATA_DIR: dir, REDIS_URL: 'redis://:secret@127.0.0.1:1', DATABASE_URL };
    const err = await rejection(openStores(loadConfig(env), log));
    expect(err.message).to.contain('cannot connect to REDIS_URL').and.contain('127.0.0.1:1').and.not.contain('secret');
  });
});

describe('Redis state TTL', () => {
  const prefix = `kefu-test:${testId()}:`;
  const redis = new Redis(REDIS_URL);
  after(async () => {
    await dropRedisPrefix(redis, prefix);
    redis.disconnect();
  });

  it('gives every written item the idle TTL and renews it on each write', async () => {
    const storage = new RedisStorage(redis, { prefix, ttlSeconds: 600 });
    await storage.write({ c: { step: 1 } });
    await redis.expire(`${prefix}state:c`, 5);
    await storage.write({ c: { step: 2 } });
    const ttl = await redis.ttl(`${prefix}state:c`);
    expect(ttl).to.be.greaterThan(5).and.at.most(600);
  });

  it('keeps items without a TTL when none is configured', async () => {
    const storage = new RedisStorage(redis, { prefix });
    await storage.write({ u: { lang: 'en' } });
    expect(await redis.ttl(`${prefix}state:u`)).to.equal(-1);
  });

  it('recovers when Redis forgot the script (a restart or SCRIPT FLUSH)', async () => {
    const storage = new RedisStorage(redis, { prefix });
    await redis.script('FLUSH');
    await storage.write({ s: { v: 1 } });
    expect((await storage.read(['s'])).s?.v).to.equal(1);
  });
});

describe('SQLite specifics', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'kefu-sqlite-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('purges state idle longer than asked and keeps the rest', async () => {
    const db = openSqlite(path.join(dir, 'k.sqlite'));
    const storage = new SqliteStorage(db);
    await storage.write({ old: { v: 1 } });
    db.prepare("UPDATE state SET updated_at = updated_at - 7200000 WHERE key = 'old'").run();
    await storage.write({ fresh: { v: 1 } });
    expect(storage.purgeIdle(3600)).to.equal(1);
    expect(Object.keys(await storage.read(['old', 'fresh']))).to.deep.equal(['fresh']);
    db.close();
  });

  it('runs its migrations once when opened again', () => {
    const file = path.join(dir, 'k.sqlite');
    const steps = (db: ReturnType<typeof openSqlite>) =>
      db
        .prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT step) AS d FROM kefu_migrations WHERE component = 'store'")
        .get() as { n: number; d: number };
    const first = openSqlite(file);
    const once = steps(first);
    first.close();
    const db = openSqlite(file);
    expect(once.n).to.be.greaterThan(1);
    expect(steps(db)).to.deep.equal({ n: once.n, d: once.n });
    db.close();
  });

  it('moves state and the ledger of an older file to rowid tables, keeping every row', async () => {
    const file = path.join(dir, 'k.sqlite');
    const old = new Database(file);
    migrateSqlite(old, 'store', STORE_MIGRATIONS.slice(0, -1));
    await new SqliteStorage(old).write({
      'c/conversations/1/': { session: { lang: 'zh-CN', note: '长'.repeat(800) } },
    });
    const ledger = new SqliteLedger(old);
    expect((await ledger.begin('c/1/a1', 'kefu-1', 60_000)).state).to.equal('new');
    await ledger.finish('c/1/a1', [{ text: '已收到' }], 3600);
    await new SqliteCaseStore(old).create(sampleCase());
    old.close();

    const db = openSqlite(file);
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
      sql: string;
    }[];
    for (const name of ['state', 'activity_ledger'])
      expect(tables.find((t) => t.name === name)?.sql, name).to.not.match(/WITHOUT ROWID/i);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map(
      (i) => i.name,
    );
    expect(indexes).to.include.members(['state_updated', 'activity_ledger_expires', 'cases_shopper_status']);
    expect(indexes).to.not.include('cases_shopper');
    const state = (await new SqliteStorage(db).read(['c/conversations/1/']))['c/conversations/1/'];
    expect(state?.session.note).to.equal('长'.repeat(800));
    expect(await new SqliteLedger(db).begin('c/1/a1', 'kefu-2', 60_000)).to.deep.include({
      state: 'done',
      replies: [{ text: '已收到' }],
    });
    expect(await new SqliteCaseStore(db).list({ shopperId: sampleCase().shopperId })).to.have.length(1);
    db.close();
  });

  it("finds a conversation's cases by index, not by reading every case of the shopper", () => {
    const db = openSqlite(path.join(dir, 'k.sqlite'));
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT doc FROM cases WHERE shopper_id = 'u' AND conversation_id = 'c' ORDER BY created_at DESC, id",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('; ')).to.contain('INDEX cases_conversation');
    db.close();
  });

  it('says which case is damaged when stored JSON is not a case', async () => {
    const db = openSqlite(path.join(dir, 'k.sqlite'));
    const cases = new SqliteCaseStore(db);
    const created = await cases.create(sampleCase());
    db.prepare('UPDATE cases SET doc = ? WHERE id = ?').run('{"id": 1}', created.id);
    const err = await rejection(cases.get(created.id));
    expect(err).to.be.instanceOf(StoredDataError);
    expect(err.message).to.contain(`case ${created.id}`);
    db.close();
  });
});

describe('PostgreSQL migrations', () => {
  it('apply once when several instances start together', async () => {
    const schema = `kefu_test_${testId()}`;
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 6 });
    try {
      await Promise.all([
        PgCaseStore.open(pool, schema),
        PgCaseStore.open(pool, schema),
        PgCaseStore.open(pool, schema),
      ]);
      const res = await pool.query(`SELECT component, step FROM "${schema}".kefu_migrations ORDER BY step`);
      expect(res.rows).to.deep.equal([
        { component: 'cases', step: 1 },
        { component: 'cases', step: 2 },
      ]);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    try {
      const err = await rejection(PgCaseStore.open(pool, 'x"; DROP TABLE y; --'));
      expect(err.message).to.contain('is not valid');
    } finally {
      await pool.end();
    }
  });
});

describe('case ids', () => {
  it('read as KF + year and month + six Crockford base32 characters', () => {
    expect(newCaseId(new Date('2026-11-11T00:00:00Z'))).to.match(/^KF2611-[0-9A-HJKMNP-TV-Z]{6}$/);
  });

  it('are recognised however a shopper types them back', () => {
    expect(normalizeCaseId('kf2611 7q4m9c')).to.equal('KF2611-7Q4M9C');
    expect(normalizeCaseId('KF2611-7Q4M9O')).to.equal('KF2611-7Q4M90');
    expect(normalizeCaseId('KF2611-7Q4')).to.equal(undefined);
    expect(normalizeCaseId('284716350192837465')).to.equal(undefined);
  });
});
