/**
 * Faults under load: an instance SIGKILLed in the middle of conversations (the others carry on
 * with no lost step), and the Redis server dying and coming back (clear errors meanwhile, then
 * the same conversations continue on intact state). Redis here is a private `redis-server` on a
 * free port, never the machine's shared one.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Reply } from '../support/kefuHarness.js';
import { freePort, startCluster, type Cluster } from './cluster.js';
import { driveStory, ORDER_ID } from './driver.js';

async function expectStoryDone(cluster: Cluster, conversations: string[]): Promise<void> {
  const cases = await cluster.cases({ shopperId: 'u-lihua' });
  for (const conv of conversations) {
    // A turn killed after writing its new case but before saving the conversation is redelivered
    // with the same activity id, and finds that case again instead of opening a second one.
    const mine = cases.filter((c) => c.conversationId === conv);
    expect(mine, `${conv}: exactly one case`).to.have.length(1);
    expect(mine[0], conv).to.include({ status: 'accepted', orderId: ORDER_ID, complaint: 'damaged_packaging' });
    expect(mine[0]!.facts, conv).to.include({ merchant_response: 'not_contacted' });
    expect(mine[0]!.evidence.map((e) => e.kind).sort(), conv).to.deep.equal(['photo_item', 'photo_package']);
  }
}

describe('faults with several instances', function () {
  this.timeout(120_000);

  it('SIGKILL of one instance mid-conversations: every conversation finishes on the others', async () => {
    const cluster = await startCluster(3);
    try {
      const conversations = Array.from({ length: 12 }, (_, i) => `conv-kill-${i}`);
      let done = 0;
      let killed = false;
      const afterTurn = async () => {
        done += 1;
        if (!killed && done >= 20) {
          killed = true;
          cluster.kill(2);
        }
      };
      const results = await Promise.all(
        conversations.map((conv, c) =>
          driveStory(
            conv,
            (i, body) => cluster.say(i, conv, 'u-lihua', body),
            (turn, attempt) => (turn + c + attempt) % 3,
            { betweenTurns: afterTurn },
          ),
        ),
      );
      expect(killed).to.equal(true);
      expect(cluster.instances[2]!.alive).to.equal(false);
      // Turns sent to the dead instance failed and were answered by another one.
      expect(results.reduce((n, r) => n + r.retries, 0)).to.be.greaterThan(0);
      await expectStoryDone(cluster, conversations);
    } finally {
      await cluster.close();
    }
  });

  describe('Redis restarting mid-run', () => {
    let redisDir: string;
    let redisPort: number;
    let redis: ChildProcess | undefined;
    const startRedis = async () => {
      // Append-only file with fsync on every write: like a production Redis, it comes back with its data.
      redis = spawn(
        'redis-server',
        [
          '--port',
          String(redisPort),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--dir',
          redisDir,
        ],
        { stdio: 'ignore' },
      );
      const probe = new Redis(`redis://127.0.0.1:${redisPort}`, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 100,
      });
      probe.on('error', () => undefined);
      for (let i = 0; i < 100; i++) {
        if (
          await probe.ping().then(
            () => true,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      probe.disconnect();
    };
    const stopRedis = async () => {
      const proc = redis;
      if (proc === undefined || proc.exitCode !== null) return;
      await new Promise<void>((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGKILL');
      });
    };
    before(async () => {
      redisDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-redis-'));
      redisPort = await freePort();
      await startRedis();
    });
    after(async () => {
      await stopRedis();
      rmSync(redisDir, { recursive: true, force: true });
    });

    it('answers with clear errors while Redis is down, then the same conversations continue on intact state', async () => {
      const cluster = await startCluster(2, { redisUrl: `redis://127.0.0.1:${redisPort}` });
      try {
        const conversations = Array.from({ length: 6 }, (_, i) => `conv-redis-${i}`);
        // Half-way: order given and first photo sent.
        for (const [c, conv] of conversations.entries()) {
          await cluster.say(c % 2, conv, 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
          await cluster.say((c + 1) % 2, conv, 'u-lihua', { text: ORDER_ID });
        }
        await stopRedis();

        const during: Array<{ status: number; body: string }> = [];
        for (const [c, conv] of conversations.slice(0, 2).entries()) {
          const res = await fetch(`${cluster.instances[c % 2]!.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              type: 'message',
              id: `down-${c}`,
              channelId: 'test',
              serviceUrl: cluster.serviceUrl,
              deliveryMode: 'expectReplies',
              from: { id: 'u-lihua' },
              recipient: { id: 'kefu' },
              conversation: { id: conv },
              text: '在吗',
              locale: 'zh-CN',
            }),
          });
          during.push({ status: res.status, body: await res.text() });
        }
        // The shopper is told something went wrong (never a reply from a half-loaded state) ...
        for (const d of during) {
          const shown =
            d.status === 200
              ? (JSON.parse(d.body) as { activities: Reply[] }).activities.map((a) => a.text ?? '').join(' ')
              : d.body;
          expect(shown, JSON.stringify(d)).to.match(/出错|抱歉|error|Error|unavailable/i);
          expect(shown).not.to.include('已收到商品照片');
        }
        // ... and the operator sees which dependency failed.
        const logs = cluster.instances.map((i) => i.output.join('')).join('\n');
        expect(logs).to.match(/redis|Connection is closed|ECONNREFUSED|MaxRetriesPerRequest/i);

        await startRedis();
        const results = await Promise.all(
          conversations.map((conv, c) =>
            driveStory(
              conv,
              (i, body) => cluster.say(i, conv, 'u-lihua', body),
              (turn, attempt) => (turn + c + attempt) % 2,
              { retryDelayMs: 200 },
            ),
          ),
        );
        // Resumed where they were: the first answer after the restart was the item photo step.
        expect(results.every((r) => r.turns >= 5)).to.equal(true);
        await expectStoryDone(cluster, conversations);
      } finally {
        await cluster.close();
      }
    });
  });
});
