/**
 * Full complaint conversations over HTTP on loopback (`/api/messages` with expectReplies), against
 * kefu on its embedded defaults and against an echo bot on the same stack (restify + CloudAdapter +
 * kefu's own server module), measured in the same run with the same requests and concurrency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';
import { createServer } from '../../bot/server.js';
import { startApp } from '../../bot/app.js';
import { PNG_1X1, ROOT } from '../support/kefuHarness.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 300);
const CONCURRENCY = 10;
const photo = { contentType: 'image/png', contentUrl: `data:image/png;base64,${PNG_1X1.toString('base64')}` };
const SCRIPT: Record<string, unknown>[] = [
  { text: '洗发水瓶子破了，漏了一箱 284716350192837465' },
  { attachments: [photo] },
  { text: '跳过' },
  { text: '跳过' },
  { text: '还没联系商家' },
  { text: '接受' },
];

async function drive(url: string, label: string): Promise<{ turnsPerSecond: number; p50: number; p99: number; settled: number }> {
  const latencies: number[] = [];
  let next = 0;
  let settled = 0;
  const started = performance.now();
  const worker = async () => {
    for (let n = next++; n < CONVERSATIONS; n = next++) {
      for (const [i, step] of SCRIPT.entries()) {
        const t0 = performance.now();
        const res = await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message', id: `a${i}`, channelId: 'bench', serviceUrl: 'http://127.0.0.1:9/', deliveryMode: 'expectReplies', locale: 'zh-CN',
            from: { id: 'u-lihua' }, recipient: { id: 'kefu' }, conversation: { id: `${label}-${n}` }, ...step,
          }),
        });
        const body = (await res.json()) as { activities: { text?: string }[] };
        latencies.push(performance.now() - t0);
        if (i === SCRIPT.length - 1 && body.activities.some((a) => a.text?.includes('方案已确认'))) settled++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return { turnsPerSecond: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), settled };
}

/** CPU (this process: client and server) per turn, one turn at a time: greetings, each in a new conversation. */
async function cpuPerGreeting(url: string, text: string, label: string, turns = 1000): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < turns; i++) {
    await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: `g${i}`, channelId: 'bench', serviceUrl: 'http://127.0.0.1:9/', deliveryMode: 'expectReplies',
        from: { id: 'u-lihua' }, recipient: { id: 'kefu' }, conversation: { id: `${label}-${i}` }, text,
      }),
    }).then((r) => r.text());
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / turns;
}

export default async function conversationBench(): Promise<void> {
  const log = createLogger('silent');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const echo = createServer({ adapter, log, onTurn: async (ctx) => void (await ctx.sendActivity(`echo: ${ctx.activity.text ?? ''}`)) });
  const echoPort = await echo.listen(0, '127.0.0.1');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-'));
  const app = await startApp(loadConfig({ PORT: '0', KEFU_DATA_DIR: dataDir }, ROOT), { log, host: '127.0.0.1', timers: false });
  try {
    await drive(`http://127.0.0.1:${echoPort}`, 'warm-echo');
    const baseline = await drive(`http://127.0.0.1:${echoPort}`, 'echo');
    const kefu = await drive(app.url, 'kefu');
    console.log(`${CONVERSATIONS} complaint conversations × ${SCRIPT.length} turns, ${CONCURRENCY} concurrent, expectReplies over loopback`);
    console.log(`  echo bot (baseline): ${baseline.turnsPerSecond.toFixed(0)} turns/s  p50 ${baseline.p50.toFixed(1)} ms  p99 ${baseline.p99.toFixed(1)} ms`);
    console.log(`  kefu (SQLite):       ${kefu.turnsPerSecond.toFixed(0)} turns/s  p50 ${kefu.p50.toFixed(1)} ms  p99 ${kefu.p99.toFixed(1)} ms  (${kefu.settled}/${CONVERSATIONS} settled)`);
    console.log(`  ratio kefu / echo:   ${(kefu.turnsPerSecond / baseline.turnsPerSecond).toFixed(2)}× (goal ≥ 0.8×)`);
    const echoCpu = await cpuPerGreeting(`http://127.0.0.1:${echoPort}`, 'hi', 'cpu-echo');
    const kefuCpu = await cpuPerGreeting(app.url, '你好', 'cpu-kefu');
    console.log(`one turn at a time, CPU per turn (client + server, one process): echo ${echoCpu.toFixed(2)} ms, kefu greeting ${kefuCpu.toFixed(2)} ms (${(kefuCpu / echoCpu).toFixed(2)}×)`);
  } finally {
    await app.close();
    await echo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
