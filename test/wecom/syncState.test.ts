/**
 * Where the WeCom channel keeps its cursor, handled msgids and seen nonces: the embedded SQLite
 * file and Redis behave the same (a second instance sees the first one's marks and cursor).
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import { redisSyncState, sqliteSyncState, type WeComSyncState } from '../../bot/wecom/syncState.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function behaves(
  name: string,
  open: (now: () => number) => Promise<{ a: WeComSyncState; b: WeComSyncState; close(): Promise<void> }>,
) {
  describe(`WeCom sync state (${name})`, () => {
    let t = Date.now();
    let parts: Awaited<ReturnType<typeof open>>;
    beforeEach(async () => (parts = await open(() => t)));
    afterEach(() => parts.close());

    it('shares the cursor and the marks between two instances; a mark is taken once', async () => {
      expect(await parts.a.cursor('wk1')).to.equal(undefined);
      await parts.a.setCursor('wk1', 'c10');
      await parts.a.setCursor('wk1', 'c12');
      expect(await parts.b.cursor('wk1')).to.equal('c12');
      await parts.b.setCursor('wk0', 'c1');
      expect(await parts.a.accounts()).to.deep.equal(['wk0', 'wk1']);
      expect(await parts.a.mark('msg:1', 60)).to.equal(true);
      expect(await parts.b.mark('msg:1', 60)).to.equal(false);
      expect(await parts.b.seen('msg:1')).to.equal(true);
      expect(await parts.b.seen('msg:2')).to.equal(false);
    });

    if (name === 'sqlite') {
      it('forgets a mark once its time is up', async () => {
        await parts.a.mark('nonce:1', 10);
        t += 11_000;
        expect(await parts.b.seen('nonce:1')).to.equal(false);
        expect(await parts.b.mark('nonce:1', 10)).to.equal(true);
      });
    }
  });
}

behaves('sqlite', async (now) => {
  const db = openSqlite(':memory:');
  return { a: sqliteSyncState(db, now), b: sqliteSyncState(db, now), close: async () => void db.close() };
});

behaves('redis', async () => {
  const prefix = `kefu-test-wecom-${randomUUID()}:`;
  const one = new Redis(REDIS_URL);
  const two = new Redis(REDIS_URL);
  return {
    a: redisSyncState(one, prefix),
    b: redisSyncState(two, prefix),
    async close() {
      const keys = await one.keys(`${prefix}*`);
      expect(keys.length).to.be.greaterThan(0);
      if (keys.length > 0) await one.del(...keys);
      one.disconnect();
      two.disconnect();
    },
  };
});
