/**
 * Scale-out figures in one run: full complaint conversations (story 1, 7 turns) over HTTP on
 * loopback with `expectReplies`, on one instance on SQLite, one on Redis + PostgreSQL and two on
 * Redis + PostgreSQL behind a round-robin client, beside an echo bot on the same stack (restify +
 * CloudAdapter) as the baseline; then state bytes per idle conversation in Redis and the RSS of
 * an instance holding 10,000 live conversations. Bounded: a fixed number of conversations each.
 */
import { startHarness as startEcho } from '../directline/echoBot.js';
import { startCluster, type Cluster } from '../scale/cluster.js';
import { answerFor, ORDER_ID } from '../scale/driver.js';
import type { Reply } from '../support/kefuHarness.js';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../store/backends.js';
import { readFileSync } from 'node:fs';
import { throughput, type Throughput } from './latency.js';

const CONVERSATIONS = 60;
const CONCURRENCY = 10;
const LIVE = 10_000;

/** Runs `count` conversations, `CONCURRENCY` at a time, timing every turn. */
async function load(
  count: number,
  conversation: (i: number, time: (work: () => Promise<void>) => Promise<void>) => Promise<void>,
): Promise<Throughput> {
  const samples: number[] = [];
  const time = async (work: () => Promise<void>) => {
    const t = performance.now();
    await work();
    samples.push(performance.now() - t);
  };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await conversation(next++, time);
    }),
  );
  return throughput(samples, performance.now() - t0);
}

async function stories(cluster: Cluster, tag: string, count = CONVERSATIONS): Promise<Throughput> {
  let turn = 0;
  return load(count, async (i, time) => {
    const conv = `bench-${tag}-${i}`;
    // The order in the first message, as in the scale tests' driver: each conversation opens its
    // own case at once (one that starts while another is at its proposal joins that one).
    let body: Record<string, unknown> = { text: `洗发水瓶子破了，漏了一箱 ${ORDER_ID}` };
    for (;;) {
      let replies: Reply[] = [];
      await time(async () => {
        replies = await cluster.say(turn++ % cluster.instances.length, conv, 'u-lihua', body);
      });
      const next = answerFor(replies);
      if (next === 'done') return;
      body = next;
    }
  });
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export default async function bench(): Promise<void> {
  const echo = await startEcho();
  const sqlite = await startCluster(1, { env: { REDIS_URL: '', DATABASE_URL: '', EVIDENCE_STORE: 'dir' } });
  const one = await startCluster(1);
  const two = await startCluster(2);
  try {
    // Unmeasured warm-up (JIT, connection pools, classifier caches) for every setup first.
    for (const [c, tag] of [
      [sqlite, 'w1'],
      [one, 'w2'],
      [two, 'w3'],
    ] as const)
      await stories(c, tag, CONCURRENCY);
    const echoLoad = (count: number) =>
      load(count, async (i, time) => {
        for (let r = 0; r < 7; r++) {
          await time(async () => {
            const res = await fetch(`${echo.baseUrl}/api/messages`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                type: 'message',
                text: `m${r}`,
                deliveryMode: 'expectReplies',
                channelId: 'bench',
                serviceUrl: 'http://127.0.0.1:9',
                conversation: { id: `echo-${i}` },
                from: { id: `u-${i}` },
                recipient: { id: 'kefu' },
              }),
            });
            await res.arrayBuffer();
          });
        }
      });
    await echoLoad(CONCURRENCY);
    const baseline = await echoLoad(CONVERSATIONS);
    const rows: Array<[string, Throughput]> = [['echo bot (baseline)', baseline]];
    rows.push(['kefu, 1 instance, SQLite', await stories(sqlite, 'sqlite')]);
    rows.push(['kefu, 1 instance, Redis+PostgreSQL', await stories(one, 'one')]);
    rows.push(['kefu, 2 instances, Redis+PostgreSQL, round-robin', await stories(two, 'two')]);
    console.log(
      `${CONVERSATIONS} story-1 complaint conversations (7 turns), ${CONCURRENCY} at a time, expectReplies over loopback`,
    );
    for (const [name, f] of rows) {
      console.log(
        `${name.padEnd(50)} ${f.perSecond.toFixed(0).padStart(6)} turns/s (x${(f.perSecond / baseline.perSecond).toFixed(2)})   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms (x${(f.p99 / baseline.p99).toFixed(2)})`,
      );
    }

    // Idle conversations: state bytes in Redis after a first turn, then RSS with 10,000 live.
    const redis = new Redis(REDIS_URL);
    const rssBefore = rssOf(one.instances[0]!.process.pid!);
    let i = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (i < LIVE) {
          const n = i++;
          await one.say(0, `idle-${n}`, `u-idle-${n % 50}`, { text: '你好' });
        }
      }),
    );
    const rssAfter = rssOf(one.instances[0]!.process.pid!);
    let keys = 0;
    let bytes = 0;
    let cursor = '0';
    do {
      const [nextCursor, found] = await redis.scan(cursor, 'MATCH', `${one.prefix}state:*idle-*`, 'COUNT', 1000);
      for (const k of found) {
        bytes += (await redis.memory('USAGE', k)) ?? 0;
        keys += 1;
      }
      cursor = nextCursor;
    } while (cursor !== '0');
    redis.disconnect();
    console.log(
      `idle conversation state in Redis: ${(bytes / Math.max(1, LIVE) / 1024).toFixed(2)} KB per conversation (${keys} keys, MEMORY USAGE; goal <= 4 KB)`,
    );
    console.log(
      `RSS of one instance: ${(rssBefore / 1048576).toFixed(0)} MB before, ${(rssAfter / 1048576).toFixed(0)} MB with ${LIVE} live conversations (${((rssAfter - rssBefore) / LIVE / 1024).toFixed(2)} KB each)`,
    );
  } finally {
    await Promise.all([sqlite.close(), one.close(), two.close(), echo.close()]);
  }
}
