/**
 * Runs generated hostile requests against the real `kefu serve`, in child processes, so a request
 * that kills kefu is seen as a process exit: one kefu in local mode (every route), one with app
 * credentials whose signing key endpoint is unreachable (forged Bot Framework tokens). Then it
 * checks that nothing broke: no 5xx, no exits, no failed turns, memory back under twice its
 * starting size, nothing written to the system temp directory, every stored case readable, and a
 * conversation left waiting before the run ("the canary") continues at the step it was at.
 * Used by `npm run fuzz` and by the mocha test.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { copyFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SignJWT, generateKeyPair } from 'jose';
import { createGenerator, type FuzzCase } from './generator.js';
import { AGENT_TOKEN, ROOT, postActivity } from '../support/kefuHarness.js';
import { startKefuProcess, type KefuProcess } from '../support/kefuProcess.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';
import { openStores } from '../../bot/store/index.js';

export interface FuzzReport {
  seed: number;
  cases: number;
  /** `501 invoke`: the Bot Framework protocol's answer to an invoke the bot does not implement (Teams expects it). */
  status: Record<'2xx' | '3xx' | '4xx' | '5xx' | '501 invoke' | 'no answer', number>;
  byKind: Record<string, number>;
  /** Distinct routes (of routes.ts) the run sent requests to. */
  routes: number;
  /** Times a kefu process exited during the run (it is restarted to go on). */
  exits: number;
  turnErrors: number;
  /** Resident memory of the local-mode kefu: after start-up, highest seen, after the run. */
  memory: { startBytes: number; peakBytes: number; endBytes: number };
  /** Files the runs left in the processes' system temp directories. */
  tempFiles: string[];
  failures: { kind: string; status: number | string; detail: string }[];
  checks: { name: string; ok: boolean; detail?: string }[];
}

const CANARY = 'fuzz-canary';
const APP_ID = '6f1d2c3b-0000-4a5b-9c8d-kefu-fuzz-app';
const LEAD_TOKEN = 'lead-fuzz-token-0123456789';

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** Tokens shaped like a channel's (issuer, audience, key id) but signed by a key nobody trusts. */
async function forgedTokens(n: number, serviceUrl: string): Promise<string[]> {
  const { privateKey } = await generateKeyPair('RS256');
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      new SignJWT({ serviceurl: serviceUrl })
        .setProtectedHeader({ alg: 'RS256', kid: `forged-${i}` })
        .setIssuer('https://api.botframework.com')
        .setAudience(APP_ID)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
        .sign(privateKey),
    ),
  );
}

export async function runFuzz(options: { cases: number; seed: number; concurrency?: number }): Promise<FuzzReport> {
  const report: FuzzReport = {
    seed: options.seed,
    cases: 0,
    status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, '501 invoke': 0, 'no answer': 0 },
    byKind: {},
    routes: 0,
    exits: 0,
    turnErrors: 0,
    memory: { startBytes: 0, peakBytes: 0, endBytes: 0 },
    tempFiles: [],
    failures: [],
    checks: [],
  };
  // Stands in for the channel: replies to activities without expectReplies are POSTed here.
  const channel = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"sink"}');
    });
  });
  await new Promise<void>((r) => channel.listen(0, '127.0.0.1', r));
  const serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`;
  const forged = await forgedTokens(8, serviceUrl);
  const env = { AGENT_TOKENS: `li:${AGENT_TOKEN}`, LEAD_TOKENS: `lead:${LEAD_TOKEN}`, LOG_LEVEL: 'error' };
  // Rule activation from the lead API writes the table file: a copy in the data directory.
  const prepare = (dataDir: string) => {
    const rules = path.join(dataDir, 'rules.yaml');
    if (!existsSync(rules)) copyFileSync(path.join(ROOT, 'data/rules.yaml'), rules);
    return { RULES_FILE: rules };
  };
  let main = await startKefuProcess(env, { prepare });
  const mainDir = main.dataDir;
  const authEnv = {
    ...env,
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'unused',
    BotOpenIdMetadata: `http://127.0.0.1:${await closedPort()}/openid`,
  };
  let auth = await startKefuProcess(authEnv, { prepare });
  const exitsSeen = new Set<KefuProcess>();
  const restartIfGone = async (): Promise<void> => {
    for (const p of [main, auth]) {
      if (p.exited() === undefined || exitsSeen.has(p)) continue;
      exitsSeen.add(p);
      report.exits += 1;
      report.failures.push({ kind: 'process exit', status: p.exited()!, detail: p.output().slice(-800) });
      if (p === main) main = await startKefuProcess(env, { dataDir: mainDir, prepare });
      else auth = await startKefuProcess(authEnv, { dataDir: auth.dataDir, prepare });
    }
  };
  let seq = 0;
  const say = (conversation: string, user: string, body: Record<string, unknown>) =>
    postActivity(main.url, { id: `fz-${++seq}`, serviceUrl, conversation, user, body });
  const sampler = setInterval(() => {
    const rss = main.exited() === undefined ? main.rss() : NaN;
    if (Number.isFinite(rss)) report.memory.peakBytes = Math.max(report.memory.peakBytes, rss);
  }, 250);
  const routesHit = new Set<string>();

  try {
    const before = await say(CANARY, 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    if (before.at(-1)?.channelData?.prompt?.slot !== 'order_id')
      throw new Error('the canary conversation did not reach the order question');
    const dl = (await (await fetch(`${main.url}/v3/directline/conversations`, { method: 'POST' })).json()) as {
      conversationId: string;
      token: string;
    };
    // Warm up (lazy modules, first turns) before taking the starting size.
    await say('fuzz-warmup', 'u-warm', { text: '牛奶过期了' });
    await new Promise((r) => setTimeout(r, 1000));
    report.memory.startBytes = main.rss();

    const next = createGenerator(options.seed, CANARY, serviceUrl);
    const fill = (s: string) =>
      s
        .replaceAll('{conv}', dl.conversationId)
        .replaceAll('{token}', dl.token)
        .replaceAll('{agent}', AGENT_TOKEN)
        .replaceAll('{lead}', LEAD_TOKEN)
        .replaceAll('{id}', 'K-NO-SUCH')
        .replaceAll('{forged}', forged[seq++ % forged.length]!);

    const one = async (c: FuzzCase) => {
      report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
      routesHit.add(`${c.method} ${c.path.split('?')[0]}`);
      const target = c.target === 'auth' ? auth : main;
      let status: number | 'no answer';
      try {
        const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, fill(v)]));
        status = await send(`${target.url}${fill(c.path)}`, c.method, headers, c.body);
      } catch (err) {
        status = 'no answer';
        report.failures.push({
          kind: c.kind,
          status,
          detail: `${c.method} ${c.path.slice(0, 80)}: ${(err as Error).message}`,
        });
        await restartIfGone();
      }
      report.cases += 1;
      const unknownInvoke =
        status === 501 && c.path === '/api/messages' && c.body?.includes('"type":"invoke"') === true;
      const bucket =
        status === 'no answer'
          ? 'no answer'
          : unknownInvoke
            ? '501 invoke'
            : (`${Math.floor(status / 100)}xx` as keyof FuzzReport['status']);
      report.status[bucket] = (report.status[bucket] ?? 0) + 1;
      if (typeof status === 'number' && status >= 500 && !unknownInvoke)
        report.failures.push({
          kind: c.kind,
          status,
          detail: `${c.method} ${c.path.slice(0, 80)} ${c.body?.subarray(0, 160).toString() ?? ''}`,
        });
      if (c.mustRefuse && typeof status === 'number' && (status < 400 || status >= 500))
        report.failures.push({
          kind: c.kind,
          status,
          detail: 'a broken request to the canary conversation was not refused',
        });
    };
    const queue = Array.from({ length: options.cases }, () => next());
    const workers = Array.from({ length: options.concurrency ?? 8 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) await one(c);
    });
    await Promise.all(workers);
    await restartIfGone();
    report.routes = routesHit.size;

    const check = async (name: string, test: () => Promise<string | true>) => {
      try {
        const result = await test();
        report.checks.push(result === true ? { name, ok: true } : { name, ok: false, detail: result });
      } catch (err) {
        report.checks.push({ name, ok: false, detail: (err as Error).message });
      }
    };
    await new Promise((r) => setTimeout(r, 2000));
    report.memory.endBytes = main.rss();
    await check('no kefu process exited', async () => (report.exits === 0 ? true : `${report.exits} exits`));
    await check('memory back under twice its starting size', async () =>
      report.memory.endBytes < 2 * report.memory.startBytes
        ? true
        : `${mb(report.memory.endBytes)} at the end, ${mb(report.memory.startBytes)} at the start`,
    );
    await check('nothing written to the system temp directory', async () => {
      report.tempFiles = [...main.tempFiles(), ...auth.tempFiles()];
      return report.tempFiles.length === 0 ? true : report.tempFiles.slice(0, 5).join(', ');
    });
    await check('health check answers', async () =>
      (await fetch(`${main.url}/healthz`)).status === 200 ? true : 'healthz not 200',
    );
    await check('the canary conversation continues at its step', async () => {
      const replies = await say(CANARY, 'u-lihua', { text: '284716350192837465' });
      const slot = replies.at(-1)?.channelData?.prompt?.slot;
      return slot === 'photo_item'
        ? true
        : `expected the photo_item question, got ${slot} (${replies.map((r) => r.text).join(' / ')})`;
    });
    await check('a new conversation works', async () => {
      const replies = await say('fuzz-after', 'u-zhangwei', { text: '牛奶过期了' });
      return replies.some((r) => r.channelData?.prompt) ? true : 'no question asked';
    });
    await check('Direct Line still delivers', async () => {
      const res = await fetch(`${main.url}/v3/directline/conversations/${dl.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dl.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', from: { id: 'dl-user' }, text: '你好' }),
      });
      return res.status === 200 ? true : `status ${res.status}`;
    });
    const turnFailures = main
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"turn failed"'));
    report.turnErrors = turnFailures.length;
    for (const line of turnFailures.slice(0, 5))
      report.failures.push({ kind: 'turn failed', status: 'logged', detail: line.slice(0, 600) });
    await main.stop();
    await check('every stored case is readable', async () => {
      const stores = await openStores(loadConfig({ KEFU_DATA_DIR: mainDir }, ROOT), createLogger('silent'));
      try {
        const cases = await stores.cases.list();
        return cases.length > 0 && cases.every((c) => typeof c.id === 'string' && Array.isArray(c.transcript))
          ? true
          : 'a case lost its shape';
      } finally {
        await stores.close();
      }
    });
  } finally {
    clearInterval(sampler);
    await main.close();
    await auth.close();
    await new Promise<void>((r) => {
      channel.close(() => r());
      channel.closeAllConnections();
    });
  }
  return report;
}

/**
 * One request on its own connection (so a connection closed under a refused request can never
 * break the next one, and the client's own pauses cannot reuse a connection kefu already timed
 * out); resolves with the status once the whole answer has arrived.
 */
function send(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        agent: false,
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (err) => {
      // kefu may answer (and close) before reading a refused body: the answer counts.
      if ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET')
        return;
      reject(err);
    });
    req.on('close', () => reject(new Error('the connection closed without an answer')));
    req.end(body);
  });
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

export function formatReport(r: FuzzReport): string {
  const lines = [
    `fuzz seed ${r.seed}: ${r.cases} cases over ${r.routes} route paths`,
    `  responses: 2xx ${r.status['2xx']} · 3xx ${r.status['3xx']} · 4xx ${r.status['4xx']} · 5xx ${r.status['5xx']} · no answer ${r.status['no answer']}`,
    `  501 to unknown invoke activities (Bot Framework protocol, not an error): ${r.status['501 invoke']}`,
    `  process exits: ${r.exits} · failed turns: ${r.turnErrors}`,
    `  memory (RSS of kefu): ${mb(r.memory.startBytes)} at start · ${mb(r.memory.peakBytes)} peak · ${mb(r.memory.endBytes)} at end`,
    `  files written to the system temp directory: ${r.tempFiles.length}`,
    '  state checks:',
    ...r.checks.map((c) => `    ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`),
    '  cases by kind:',
    ...Object.entries(r.byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`),
  ];
  if (r.failures.length > 0)
    lines.push(
      `  failures (${r.failures.length}, first 10):`,
      ...r.failures.slice(0, 10).map((f) => `    [${f.status}] ${f.kind}: ${f.detail}`),
    );
  return lines.join('\n');
}
