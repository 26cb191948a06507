/**
 * Storage figures: turn-shaped state traffic (read conversation and user state, write both
 * back with their eTags) on SQLite and on Redis, beside botbuilder's MemoryStorage as the
 * baseline measured in the same run; and the memory an idle conversation's state costs
 * (goal: ≤ 4 KB) in each backend.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import { Redis } from 'ioredis';
import { openSqlite, RedisStorage, SqliteStorage } from '../../bot/store/index.js';
import { dropRedisPrefix, REDIS_URL, testId } from '../store/backends.js';
import { throughput, type Throughput } from './latency.js';

/** The state of a conversation waiting at the evidence step, as botbuilder stores it. */
function conversationState(i: number) {
  return {
    dialogState: {
      dialogStack: [
        { id: 'main', state: { options: {}, values: { instanceId: `m-${i}` }, stepIndex: 1 } },
        {
          id: 'triage',
          state: {
            options: { complaint: 'damaged_packaging', orderId: '284716350192837465' },
            values: {
              instanceId: `t-${i}`,
              facts: { category: 'daily_chemical', hours_since_delivery: 5, evidence: ['photo_item'] },
            },
            stepIndex: 3,
          },
        },
        {
          id: 'attachmentPrompt',
          state: {
            options: {
              prompt: {
                type: 'message',
                text: '请拍一张外包装的照片发给我（可以直接上传图片）。',
                inputHint: 'expectingInput',
                channelData: { prompt: { slot: 'photo_package', kind: 'attachment', optional: false } },
              },
            },
            state: {},
          },
        },
      ],
    },
    lang: 'zh-CN',
  };
}

async function turns(storage: Storage, conversations: number, rounds: number): Promise<Throughput> {
  const times: number[] = [];
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (let c = 0; c < conversations; c++) {
      const t0 = performance.now();
      const keys = [`bench/conversations/c${c}/`, `bench/users/u${c % 50}/`];
      const items = await storage.read(keys);
      const convo = items[keys[0]!] ?? conversationState(c);
      const user = items[keys[1]!] ?? { tier: 'vip' };
      convo.turn = r;
      await storage.write({ [keys[0]!]: convo, [keys[1]!]: user });
      times.push(performance.now() - t0);
    }
  }
  return throughput(times, performance.now() - start);
}

async function fill(storage: Storage, n: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const batch: Record<string, object> = {};
    for (let j = i; j < Math.min(n, i + 100); j++) batch[`idle/conversations/c${j}/`] = conversationState(j);
    await storage.write(batch);
  }
}

export default async function storeBench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-'));
  const db = openSqlite(path.join(dir, 'bench.sqlite'));
  const redis = new Redis(REDIS_URL);
  const prefix = `kefu-bench:${testId()}:`;
  try {
    const backends: [string, Storage][] = [
      ['MemoryStorage (baseline)', new MemoryStorage()],
      ['SQLite', new SqliteStorage(db)],
      ['Redis', new RedisStorage(redis, { prefix, ttlSeconds: 3600 })],
    ];
    console.log(
      'state traffic: one turn = read 2 keys + compare-and-set write of 2 keys, 200 conversations × 15 turns',
    );
    let baseline = 0;
    for (const [name, storage] of backends) {
      await turns(storage, 50, 2); // warm-up
      const r = await turns(storage, 200, 15);
      if (baseline === 0) baseline = r.perSecond;
      console.log(
        `  ${name.padEnd(26)} ${r.perSecond.toFixed(0).padStart(7)} turns/s  p99 ${r.p99.toFixed(3)} ms  (${(r.perSecond / baseline).toFixed(3)}× baseline)`,
      );
    }

    const n = 10_000;
    const json = Buffer.byteLength(JSON.stringify(conversationState(0)));
    console.log(`memory per idle conversation (${n} conversations waiting at the evidence step, goal ≤ 4096 B)`);
    console.log(`  JSON of the state (baseline)  ${json} B`);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pagesBefore = db.pragma('page_count', { simple: true }) as number;
    await fill(new SqliteStorage(db), n);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pagesAfter = db.pragma('page_count', { simple: true }) as number;
    const sqliteBytes = ((pagesAfter - pagesBefore) * pageSize) / n;
    console.log(
      `  SQLite file                   ${sqliteBytes.toFixed(0)} B  (${(sqliteBytes / json).toFixed(2)}× JSON)`,
    );
    const usedBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
    await fill(new RedisStorage(redis, { prefix, ttlSeconds: 3600 }), n);
    const usedAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
    const sample = (await redis.memory('USAGE', `${prefix}state:idle/conversations/c7/`)) ?? 0;
    const redisBytes = (usedAfter - usedBefore) / n;
    console.log(
      `  Redis used_memory             ${redisBytes.toFixed(0)} B  (${(redisBytes / json).toFixed(2)}× JSON; MEMORY USAGE of one key: ${sample} B)`,
    );
  } finally {
    await dropRedisPrefix(redis, prefix);
    redis.disconnect();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
