/**
 * The activity ledger's contract, on both backends: one claim at a time, a claim of a vanished
 * owner frees itself when its lease runs out, an abandoned claim frees at once (and only its own
 * owner can abandon it), and a handled activity answers with its replies until its window ends.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { RedisLedger, SqliteLedger, SqliteStorage, openSqlite, type ActivityLedger } from '../../bot/store/index.js';
import { ActivityOnce, activityKey } from '../../bot/resilience/activityOnce.js';
import { REDIS_URL, dropRedisPrefix, testId } from '../store/backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const backends: { name: string; open(): Promise<{ ledger: ActivityLedger; close(): Promise<void> }> }[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-ledger-'));
      const db = openSqlite(path.join(dir, 'kefu.sqlite'));
      return {
        ledger: new SqliteLedger(db),
        close: async () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'Redis',
    async open() {
      const redis = new Redis(REDIS_URL);
      const prefix = `kefu-test:${testId()}:`;
      return {
        ledger: new RedisLedger(redis, prefix),
        close: async () => {
          await dropRedisPrefix(redis, prefix);
          redis.disconnect();
        },
      };
    },
  },
];

for (const backend of backends) {
  describe(`activity ledger (${backend.name})`, () => {
    let ledger: ActivityLedger;
    let close: () => Promise<void>;
    beforeEach(async () => ({ ledger, close } = await backend.open()));
    afterEach(async () => close());

    it('lets one owner claim an activity; others see it busy until it is handled, then its replies', async () => {
      expect(await ledger.begin('k1', 'a', 5000)).to.deep.equal({ state: 'new' });
      expect(await ledger.begin('k1', 'b', 5000)).to.deep.equal({ state: 'busy' });
      await ledger.finish('k1', [{ type: 'message', text: '已收到商品照片。' }], 60);
      expect(await ledger.begin('k1', 'b', 5000)).to.deep.equal({
        state: 'done',
        replies: [{ type: 'message', text: '已收到商品照片。' }],
      });
    });

    it('frees an abandoned claim at once, but only for its own owner', async () => {
      await ledger.begin('k2', 'a', 5000);
      await ledger.abandon('k2', 'b');
      expect(await ledger.begin('k2', 'c', 5000)).to.deep.equal({ state: 'busy' });
      await ledger.abandon('k2', 'a');
      expect(await ledger.begin('k2', 'c', 5000)).to.deep.equal({ state: 'new' });
    });

    it('frees the claim of an owner that stopped renewing when the lease runs out; renewing keeps it', async () => {
      await ledger.begin('k3', 'a', 150);
      await ledger.begin('k4', 'a', 150);
      await sleep(100);
      await ledger.renew('k4', 'a', 300);
      await sleep(100);
      expect(await ledger.begin('k3', 'b', 5000)).to.deep.equal({ state: 'new' });
      expect(await ledger.begin('k4', 'b', 5000)).to.deep.equal({ state: 'busy' });
    });

    it('forgets a handled activity after its window', async () => {
      await ledger.begin('k5', 'a', 5000);
      await ledger.finish('k5', [], 1);
      await sleep(1100);
      expect(await ledger.begin('k5', 'b', 5000)).to.deep.equal({ state: 'new' });
    });

    it('ActivityOnce: a redelivery that arrives while the first is running waits for its replies', async () => {
      const once = new ActivityOnce({ ledger, ttlSeconds: 60, leaseMs: 2000, pollMs: 20 });
      const activity = {
        id: 'act-1',
        channelId: 'test',
        conversation: { id: 'c1', isGroup: false, conversationType: '', name: '' },
      };
      const first = await once.claim(activity);
      expect(first.kind).to.equal('run');
      const second = once.claim(activity);
      await sleep(100);
      if (first.kind === 'run') await first.finish([{ type: 'message', text: 'hi' }]);
      expect(await second).to.deep.equal({ kind: 'replay', replies: [{ type: 'message', text: 'hi' }] });
    });
  });
}

describe('activity ledger and conversation state on one SQLite file', () => {
  let dir: string;
  let db: ReturnType<typeof openSqlite>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-ledger-'));
    db = openSqlite(path.join(dir, 'kefu.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const KEY = 'test/conversations/c1/';

  it("commits the turn's state and its handled mark together, or neither when the state loses its eTag race", async () => {
    const ledger = new SqliteLedger(db);
    const storage = new SqliteStorage(db);
    const once = new ActivityOnce({ ledger, ttlSeconds: 60 });
    const activity = (id: string) => ({
      id,
      channelId: 'test',
      conversation: { id: 'c1', isGroup: false, conversationType: '', name: '' },
    });

    // Won: the state write also marks the activity handled; `finish` has nothing left to write.
    const first = await once.claim(activity('m1'));
    if (first.kind !== 'run') throw new Error('expected a fresh claim');
    const state: Record<string, unknown> = { session: { unsure: 0 } };
    first.finishAlong(state, [{ type: 'message', text: '已收到商品照片。' }]);
    await storage.write({ [KEY]: state });
    expect(await once.claim(activity('m1'))).to.deep.equal({
      kind: 'replay',
      replies: [{ type: 'message', text: '已收到商品照片。' }],
    });
    await first.finish([{ type: 'message', text: 'not written again' }]);
    expect(await once.claim(activity('m1'))).to.deep.include({ kind: 'replay' });
    expect(await ledger.begin(activityKey('test', 'c1', 'm1'), 'x', 5000)).to.deep.equal({
      state: 'done',
      replies: [{ type: 'message', text: '已收到商品照片。' }],
    });

    // Lost: another instance saved the conversation first, so neither the state nor the mark is kept.
    const second = await once.claim(activity('m2'));
    if (second.kind !== 'run') throw new Error('expected a fresh claim');
    const stale = (await storage.read([KEY]))[KEY]!;
    await storage.write({ [KEY]: { ...stale, session: { unsure: 1 } } });
    second.finishAlong(stale, [{ type: 'message', text: 'lost' }]);
    const refused = await storage.write({ [KEY]: stale }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(String(refused)).to.match(/etag/i);
    expect(await ledger.begin(activityKey('test', 'c1', 'm2'), 'x', 5000)).to.deep.equal({ state: 'busy' });
    expect((await storage.read([KEY]))[KEY]).to.deep.include({ session: { unsure: 1 } });
  });
});
