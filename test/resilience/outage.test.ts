/**
 * Redis and PostgreSQL that accept connections but never answer (a frozen TCP proxy in front of
 * each): turns fail fast with "not saved, please send again" instead of hanging, `/readyz`
 * answers 503 naming the store and recovers with it, `/healthz` stays a pure liveness check,
 * and the app still shuts down in bounded time while both are frozen.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL, dropRedisPrefix, testId } from '../store/backends.js';
import { handedOffCaseId, startHarness, type Harness, type Reply } from '../support/kefuHarness.js';
import { ORDER_ID } from '../scale/driver.js';
import { startFreezeProxy, type FreezeProxy } from './freezeProxy.js';

const NOT_SAVED = '您刚才的消息没有保存，请稍后重新发送';
const STORE_TIMEOUT_MS = 500;

/** A turn that must be answered within `ms` (the old code hung here for a minute or more). */
async function timedSay(
  h: Harness,
  conv: string,
  text: string,
  ms = 10_000,
): Promise<{ replies: Reply[]; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const replies = await Promise.race([
    h.say(conv, 'u-lihua', { text, locale: 'zh-CN' }),
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to "${text}" within ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
  return { replies, ms: performance.now() - started };
}

async function readyz(
  h: Harness,
): Promise<{ status: number; body: { status: string; stores: Record<string, string>; rules: string | null } }> {
  const res = await fetch(`${h.app.url}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as never };
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const texts = (replies: Reply[]) => replies.map((r) => r.text ?? '').join('\n');

describe('store outages (frozen Redis and PostgreSQL)', function () {
  this.timeout(60_000);
  const id = testId();
  const prefix = `kefu-test:${id}:`;
  const schema = `kefu_test_${id}`;
  let redisProxy: FreezeProxy;
  let pgProxy: FreezeProxy;
  let h: Harness | undefined;

  before(async () => {
    redisProxy = await startFreezeProxy(REDIS_URL);
    pgProxy = await startFreezeProxy(DATABASE_URL);
    h = await startHarness({
      REDIS_URL: redisProxy.in(REDIS_URL),
      DATABASE_URL: pgProxy.in(DATABASE_URL),
      REDIS_PREFIX: prefix,
      DATABASE_SCHEMA: schema,
      STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
      STORE_CONNECT_TIMEOUT_MS: '500',
      READY_TIMEOUT_MS: '300',
      SHUTDOWN_TIMEOUT_MS: '3000',
    });
  });

  after(async () => {
    redisProxy.thaw();
    pgProxy.thaw();
    await h?.close();
    await redisProxy.close();
    await pgProxy.close();
    const redis = new Redis(REDIS_URL);
    await dropRedisPrefix(redis, prefix);
    redis.disconnect();
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('is ready while both stores answer', async () => {
    const r = await readyz(h!);
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.include({ status: 'ready', stores: { redis: 'ok', postgres: 'ok' } });
    expect(r.body.rules).to.match(/^[0-9a-f]{8,}/);
    const first = await timedSay(h!, 'outage-1', '洗发水瓶子破了，漏了一箱');
    expect(texts(first.replies)).to.match(/订单/);
  });

  it('Redis frozen: the turn fails within seconds, says it was not saved, and /readyz names Redis', async () => {
    redisProxy.freeze();
    try {
      const turn = await timedSay(h!, 'outage-1', ORDER_ID);
      expect(turn.ms).to.be.below(4 * STORE_TIMEOUT_MS + 1000);
      expect(texts(turn.replies)).to.contain(NOT_SAVED);
      // None of the replies of a turn that was not saved reach the shopper.
      expect(turn.replies).to.have.length(1);
      const r = await readyz(h!);
      expect(r.status).to.equal(503);
      expect(r.body).to.deep.include({ status: 'not_ready', stores: { redis: 'timeout', postgres: 'ok' } });
      // Liveness is not readiness: the process itself is fine, so it is not restarted.
      expect((await fetch(`${h!.app.url}/healthz`)).status).to.equal(200);
    } finally {
      redisProxy.thaw();
    }
    const back = await until(
      () => readyz(h!),
      (r) => r.status === 200,
      10_000,
    );
    expect(back.body.stores).to.deep.equal({ redis: 'ok', postgres: 'ok' });
    // The resend works, from where the conversation was: the order number is taken now.
    const resent = await timedSay(h!, 'outage-1', ORDER_ID);
    expect(texts(resent.replies)).not.to.contain(NOT_SAVED);
    expect(texts(resent.replies)).to.match(/照片|拍/);
  });

  it('PostgreSQL frozen: a turn that opens a case fails fast, /readyz names PostgreSQL, then both recover', async () => {
    await timedSay(h!, 'outage-2', '洗发水瓶子破了，漏了一箱');
    pgProxy.freeze();
    try {
      const turn = await timedSay(h!, 'outage-2', ORDER_ID);
      expect(turn.ms).to.be.below(6 * STORE_TIMEOUT_MS + 1000);
      expect(texts(turn.replies)).to.contain(NOT_SAVED);
      expect(texts(turn.replies)).not.to.match(/照片|拍/);
      const r = await readyz(h!);
      expect(r.status).to.equal(503);
      expect(r.body.stores).to.deep.equal({ redis: 'ok', postgres: 'timeout' });
    } finally {
      pgProxy.thaw();
    }
    expect(
      (
        await until(
          () => readyz(h!),
          (r) => r.status === 200,
          10_000,
        )
      ).status,
    ).to.equal(200);
    const resent = await timedSay(h!, 'outage-2', ORDER_ID);
    expect(texts(resent.replies)).to.match(/照片|拍/);
    const cases = await h!.app.stores.cases.list({ conversationId: 'outage-2' });
    expect(cases).to.have.length(1);
  });

  it('PostgreSQL frozen while a shopper waits for a person: the turn fails unsaved and the handoff goes on', async () => {
    await timedSay(h!, 'outage-4', '电水壶不加热了 335261748392027586');
    const queued = await timedSay(h!, 'outage-4', '转人工');
    const caseId = handedOffCaseId(queued.replies);
    pgProxy.freeze();
    try {
      const turn = await timedSay(h!, 'outage-4', '请问还要等多久');
      expect(texts(turn.replies)).to.contain(NOT_SAVED);
    } finally {
      pgProxy.thaw();
    }
    await until(
      () => readyz(h!),
      (r) => r.status === 200,
      10_000,
    );
    // Still with the person: the message is passed on, not read by the bot.
    const resent = await timedSay(h!, 'outage-4', '请问还要等多久');
    expect(texts(resent.replies)).to.contain(`您的工单 ${caseId} 正在排队`);
    const c = await h!.app.stores.cases.get(caseId);
    expect(c?.status).to.equal('escalated');
    expect(c?.transcript.filter((t) => t.from === 'shopper' && t.text === '请问还要等多久')).to.have.length(1);
  });

  it('shuts down within its budget while both stores are frozen', async () => {
    const pending = timedSay(h!, 'outage-3', '洗发水瓶子破了，漏了一箱').catch((err: Error) => err);
    redisProxy.freeze();
    pgProxy.freeze();
    const started = performance.now();
    await h!.app.close();
    const took = performance.now() - started;
    await pending;
    expect(took).to.be.below(3000 + 1500);
    // Started again on thawed stores, for `after` (and as a restart after an outage would).
    redisProxy.thaw();
    pgProxy.thaw();
    await h!.restart().catch(() => undefined);
    expect((await readyz(h!)).status).to.equal(200);
  });
});
