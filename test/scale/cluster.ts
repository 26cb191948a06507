/**
 * Several real kefu processes (`node bot/kefu.js serve`) sharing one Redis key prefix and one
 * PostgreSQL schema, as a deployment behind a load balancer runs them, plus a small channel
 * server standing in for the shoppers' serviceUrl (it records proactive messages). Each cluster
 * gets its own prefix, schema and data directories, all removed by `close()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PgCaseStore } from '../../bot/store/index.js';
import type { CaseRecord } from '../../domain/cases.js';
import { DATABASE_URL, REDIS_URL, dropRedisPrefix, testId } from '../store/backends.js';
import { postActivity, ROOT, startChannelStub, type Reply } from '../support/kefuHarness.js';
import { FROM_SOURCE } from '../support/runKefu.js';

export const AGENT_TOKEN = 'agent-li-token-0123456789';
export const AGENT_AUTH = { authorization: `Bearer ${AGENT_TOKEN}` };

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface Instance {
  port: number;
  url: string;
  process: ChildProcess;
  /** What it wrote to stderr and stdout (warnings and errors show up here). */
  output: string[];
  alive: boolean;
}

export interface Cluster {
  instances: Instance[];
  prefix: string;
  schema: string;
  /** Activities the bot sent proactively, by conversation id. */
  proactive: Map<string, Reply[]>;
  serviceUrl: string;
  /** A turn through one instance's `/api/messages` with `expectReplies`. */
  say(instance: number, conversation: string, user: string, body: Record<string, unknown>): Promise<Reply[]>;
  cases(filter?: { shopperId?: string }): Promise<CaseRecord[]>;
  kill(instance: number): void;
  close(): Promise<void>;
}

export interface ClusterOptions {
  redisUrl?: string;
  env?: Record<string, string>;
}

let seq = 0;

export async function startCluster(count: number, options: ClusterOptions = {}): Promise<Cluster> {
  const id = testId();
  const prefix = `kefu-test:${id}:`;
  const schema = `kefu_test_${id}`;
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const dirs: string[] = [];
  const { proactive, serviceUrl, close: closeChannel } = await startChannelStub();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const store = await PgCaseStore.open(pool, schema);

  const launch = async (): Promise<Instance> => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-scale-'));
    dirs.push(dataDir);
    const port = await freePort();
    const child = spawn(process.execPath, ['bot/kefu.js', 'serve'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? os.tmpdir(),
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        REDIS_URL: redisUrl,
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
        REDIS_PREFIX: prefix,
        KEFU_DATA_DIR: dataDir,
        EVIDENCE_STORE: 'postgres',
        AGENT_TOKENS: `li:${AGENT_TOKEN}`,
        ...FROM_SOURCE,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const instance: Instance = { port, url: `http://127.0.0.1:${port}`, process: child, output: [], alive: true };
    child.stdout!.on('data', (d: Buffer) => instance.output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => instance.output.push(d.toString()));
    child.on('exit', () => (instance.alive = false));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!instance.alive) throw new Error(`kefu on port ${port} exited during start:\n${instance.output.join('')}`);
      const ok = await fetch(`${instance.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return instance;
      if (Date.now() > deadline)
        throw new Error(`kefu on port ${port} did not start in 60 s:\n${instance.output.join('')}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  const instances = await Promise.all(Array.from({ length: count }, launch));
  return {
    instances,
    prefix,
    schema,
    proactive,
    serviceUrl,
    say: (i, conversation, user, body) =>
      postActivity(instances[i]!.url, {
        id: `act-${process.pid}-${++seq}`,
        serviceUrl,
        conversation,
        user,
        body: { locale: 'zh-CN', ...body },
      }),
    cases: (filter = {}) => store.list(filter),
    kill(i) {
      instances[i]!.process.kill('SIGKILL');
    },
    async close() {
      await Promise.all(
        instances.map(
          (inst) =>
            new Promise<void>((resolve) => {
              if (!inst.alive) return resolve();
              inst.process.once('exit', () => resolve());
              inst.process.kill('SIGTERM');
              setTimeout(() => inst.process.kill('SIGKILL'), 5000).unref();
            }),
        ),
      );
      await closeChannel();
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      if (redisUrl === REDIS_URL) await dropRedisPrefix(redis, prefix);
      redis.disconnect();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Text of the replies, for error messages. */
export function show(replies: Reply[]): string {
  return replies.map((r) => `[${r.type}] ${r.text ?? r.name ?? ''} ${JSON.stringify(r.channelData ?? {})}`).join('\n');
}
