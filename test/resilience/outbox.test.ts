/**
 * The outbox to channels: an agent's claim and words answer at once even when the shopper's
 * channel never answers; messages of one conversation keep their order; failures are retried
 * with growing waits, then dropped and logged; a full outbox drops and logs; closing is bounded.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../bot/log.js';
import { Outbox } from '../../bot/resilience/outbox.js';
import {
  AGENT_TOKEN,
  ROOT,
  handedOffCaseId,
  postActivity,
  startHarness,
  type Harness,
} from '../support/kefuHarness.js';
import { FROM_SOURCE } from '../support/runKefu.js';
import { freePort } from '../scale/cluster.js';

/** A channel that accepts connections and never answers (its serviceUrl hangs every call). */
async function silentChannel(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let seen = 0;
  const server = net.createServer((s) => {
    seen += 1;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    connections: () => seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function capturingLog() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('warn', {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { log, lines };
}

const agentPost = (base: string, route: string, body: unknown) =>
  fetch(`${base}/api/agent${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });

/** A shopper on `serviceUrl` who asks for a person; returns the case id. */
async function escalate(base: string, serviceUrl: string, conv: string): Promise<string> {
  let seq = 0;
  const say = (text: string) =>
    postActivity(base, {
      id: `${conv}-${++seq}`,
      serviceUrl,
      conversation: conv,
      user: 'u-wangfang',
      body: { text, locale: 'zh-CN' },
    });
  await say('电水壶不加热了 335261748392027586');
  const queued = await say('转人工');
  return handedOffCaseId(queued);
}

describe('outbox to channels', function () {
  this.timeout(60_000);

  describe('Outbox', () => {
    it('sends one conversation in order and others alongside', async () => {
      const { log } = capturingLog();
      const outbox = new Outbox({ max: 100, timeoutMs: 1000, attempts: 1, backoffMs: 10, log });
      const sent: string[] = [];
      const slow = (what: string, ms: number) => () =>
        new Promise<void>((r) =>
          setTimeout(() => {
            sent.push(what);
            r();
          }, ms),
        );
      outbox.push('a', 'a1', slow('a1', 60));
      outbox.push('a', 'a2', slow('a2', 1));
      outbox.push('b', 'b1', slow('b1', 1));
      await outbox.idle();
      expect(sent).to.deep.equal(['b1', 'a1', 'a2']);
    });

    it('retries with growing waits, then drops and logs', async () => {
      const { log, lines } = capturingLog();
      const outbox = new Outbox({ max: 100, timeoutMs: 100, attempts: 3, backoffMs: 40, log });
      const at: number[] = [];
      const started = Date.now();
      // Never answers: each attempt ends at the timeout.
      outbox.push('c', 'claim', () => {
        at.push(Date.now() - started);
        return new Promise<void>(() => undefined);
      });
      let ok = 0;
      outbox.push('d', 'flaky', async () => {
        if (++ok < 2) throw new Error('503 from channel');
      });
      await outbox.idle();
      expect(at).to.have.length(3);
      // 100 ms per attempt, then 40 and 80 ms of backoff.
      expect(at[1]! - at[0]!).to.be.within(130, 400);
      expect(at[2]! - at[1]!).to.be.within(170, 500);
      expect(ok).to.equal(2);
      expect(
        lines.filter((l) => l.msg === 'message to the channel dropped after failing').map((l) => l.what),
      ).to.deep.equal(['claim']);
    });

    it('drops (and logs) what does not fit', async () => {
      const { log, lines } = capturingLog();
      const outbox = new Outbox({ max: 2, timeoutMs: 1000, attempts: 1, backoffMs: 10, log });
      const sent: string[] = [];
      const results = ['1', '2', '3'].map((n) => outbox.push('e', n, async () => void sent.push(n)));
      expect(results).to.deep.equal([true, true, false]);
      await outbox.idle();
      expect(sent).to.deep.equal(['1', '2']);
      expect(
        lines.some((l) => l.msg === 'outbox full or closing; message to the channel dropped' && l.what === '3'),
      ).to.equal(true);
    });

    it('closes within its grace period even when a channel never answers', async () => {
      const { log } = capturingLog();
      const outbox = new Outbox({ max: 10, timeoutMs: 60_000, attempts: 5, backoffMs: 10, log });
      outbox.push('f', 'hangs', () => new Promise<void>(() => undefined));
      const started = Date.now();
      await outbox.close(200);
      expect(Date.now() - started).to.be.below(1000);
      expect(outbox.push('f', 'late', async () => undefined)).to.equal(false);
    });
  });

  describe('agent routes with a channel that never answers', () => {
    let h: Harness;
    let channel: Awaited<ReturnType<typeof silentChannel>>;
    before(async () => {
      channel = await silentChannel();
      h = await startHarness({
        OUTBOX_TIMEOUT_MS: '500',
        OUTBOX_ATTEMPTS: '2',
        OUTBOX_BACKOFF_MS: '100',
        SHUTDOWN_TIMEOUT_MS: '2000',
      });
    });
    after(async () => {
      await h?.close();
      await channel?.close();
    });

    it('a shopper turn on that channel (replies posted to its serviceUrl) is answered within the outbox timeout', async () => {
      const started = performance.now();
      const res = await fetch(`${h.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: 'silent-turn-1',
          channelId: 'test',
          serviceUrl: channel.url,
          from: { id: 'u-wangfang' },
          recipient: { id: 'kefu' },
          conversation: { id: 'silent-0' },
          text: '你好',
          locale: 'zh-CN',
        }),
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status).to.be.within(200, 202);
      expect(performance.now() - started).to.be.below(500 + 1000);
    });

    it('claims and messages answer at once; the messages wait in the outbox; shutdown is bounded', async () => {
      const caseId = await escalate(h.app.url, channel.url, 'silent-1');
      let started = performance.now();
      const claim = await agentPost(h.app.url, `/cases/${caseId}/claim`, {});
      expect(claim.status).to.equal(200);
      expect(performance.now() - started).to.be.below(1000);
      started = performance.now();
      const said = await agentPost(h.app.url, `/cases/${caseId}/messages`, { text: '您好，我是客服小李' });
      expect(said.status).to.equal(201);
      expect(performance.now() - started).to.be.below(1000);
      expect(h.app.outbox.size()).to.be.greaterThan(0);
      // The channel was tried (and keeps not answering).
      await new Promise((r) => setTimeout(r, 300));
      expect(channel.connections()).to.be.greaterThan(0);
      started = performance.now();
      await h.app.close();
      expect(performance.now() - started).to.be.below(2000 + 1500);
      await h.restart();
    });
  });

  it('`kefu serve` exits on SIGTERM while an agent claim waits on a silent channel', async () => {
    const channel = await silentChannel();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-sigterm-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['bot/kefu.js', 'serve'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: os.tmpdir(),
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        PORT: String(port),
        KEFU_DATA_DIR: dataDir,
        AGENT_TOKENS: `li:${AGENT_TOKEN}`,
        SHUTDOWN_TIMEOUT_MS: '2000',
        ...FROM_SOURCE,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      for (
        let i = 0;
        !(await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      ) {
        if (i > 300) throw new Error('kefu serve did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
      const caseId = await escalate(base, channel.url, 'silent-2');
      const claim = agentPost(base, `/cases/${caseId}/claim`, {}).then(
        (r) => r.status,
        () => 0,
      );
      await new Promise((r) => setTimeout(r, 300));
      const started = performance.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      expect(performance.now() - started, 'exited on its own within the shutdown budget').to.be.below(2000 + 2000);
      expect(code).to.equal(0);
      expect(await claim).to.equal(200);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await channel.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
