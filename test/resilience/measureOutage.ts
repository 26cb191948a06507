/**
 * Figures for docs/operations.md with the default timeouts: how long a turn and /readyz take
 * while Redis or PostgreSQL is frozen, and how long shutdown takes then.
 * Run: npx tsx test/resilience/measureOutage.ts
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL, dropRedisPrefix, testId } from '../store/backends.js';
import { startHarness } from '../support/kefuHarness.js';
import { ORDER_ID } from '../scale/driver.js';
import { startFreezeProxy } from './freezeProxy.js';
import type { Reply } from '../support/kefuHarness.js';

const id = testId();
const prefix = `kefu-test:${id}:`;
const schema = `kefu_test_${id}`;
const rp = await startFreezeProxy(REDIS_URL);
const pp = await startFreezeProxy(DATABASE_URL);
const h = await startHarness({
  REDIS_URL: rp.in(REDIS_URL),
  DATABASE_URL: pp.in(DATABASE_URL),
  REDIS_PREFIX: prefix,
  DATABASE_SCHEMA: schema,
});
const t = async (f: () => Promise<unknown>) => {
  const s = performance.now();
  const r = await f();
  return [Math.round(performance.now() - s), r] as const;
};
await h.say('m1', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
console.log('normal turn ms', (await t(() => h.say('m0', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' })))[0]);
rp.freeze();
const [ms1, r1] = await t(() => h.say('m1', 'u-lihua', { text: ORDER_ID }));
console.log('redis frozen: turn ms', ms1, JSON.stringify((r1 as Reply[]).map((r) => r.text)));
const [ms2, r2] = await t(async () => {
  const res = await fetch(`${h.app.url}/readyz`);
  return `${res.status} ${await res.text()}`;
});
console.log('redis frozen: readyz ms', ms2, r2);
rp.thaw();
await new Promise((r) => setTimeout(r, 3000));
await h.say('m2', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
pp.freeze();
const [ms3, r3] = await t(() => h.say('m2', 'u-lihua', { text: ORDER_ID }));
console.log('postgres frozen: turn ms', ms3, JSON.stringify((r3 as Reply[]).map((r) => r.text)));
const [ms4, r4] = await t(async () => {
  const res = await fetch(`${h.app.url}/readyz`);
  return `${res.status} ${await res.text()}`;
});
console.log('postgres frozen: readyz ms', ms4, r4);
const [ms5] = await t(() => h.app.close());
console.log('close while postgres frozen ms', ms5);
pp.thaw();
await rp.close();
await pp.close();
const redis = new Redis(REDIS_URL);
await dropRedisPrefix(redis, prefix);
redis.disconnect();
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
await pool.end();
process.exit(0);
