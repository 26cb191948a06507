/**
 * Full complaint conversations over HTTP on loopback (`/api/messages` with expectReplies), against
 * kefu on its embedded defaults and against an echo bot on the same stack (restify + CloudAdapter +
 * kefu's own server module), measured in the same run with the same requests and concurrency.
 *
 * A third bot shows what botbuilder-dialogs itself costs: the same stack and a dialog stack as deep
 * as kefu's during evidence collection (complaint → evidence round → slot prompt, under the main
 * dialog), on MemoryStorage, with no kefu logic and no disk. Its ratio to the echo bot is the
 * ceiling for any bot that runs its conversation on botbuilder-dialogs this deep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  type TurnContext,
} from 'botbuilder';
import {
  Dialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogState,
} from 'botbuilder-dialogs';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';
import { createServer } from '../../bot/server.js';
import { startApp } from '../../bot/app.js';
import { PNG_1X1, ROOT } from '../support/kefuHarness.js';
import { throughput, type Throughput } from './latency.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 300);
const CONCURRENCY = 10;
/** The bots take turns, a slice of the conversations each round, so drift in the machine's load hits all alike. */
const ROUNDS = 3;
const photo = { contentType: 'image/png', contentUrl: `data:image/png;base64,${PNG_1X1.toString('base64')}` };
const SCRIPT: Record<string, unknown>[] = [
  { text: '洗发水瓶子破了，漏了一箱 284716350192837465' },
  { attachments: [photo] },
  { text: '跳过' },
  { text: '跳过' },
  { text: '还没联系商家' },
  { text: '接受' },
];

interface Run {
  latencies: number[];
  seconds: number;
  settled: number;
}

/** Runs `count` conversations named `label-…` and adds their figures to `into`. */
async function drive(url: string, label: string, count: number, into: Run): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      for (const [i, step] of SCRIPT.entries()) {
        const t0 = performance.now();
        const res = await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `a${i}`,
            channelId: 'bench',
            serviceUrl: 'http://127.0.0.1:9/',
            deliveryMode: 'expectReplies',
            locale: 'zh-CN',
            from: { id: 'u-lihua' },
            recipient: { id: 'kefu' },
            conversation: { id: `${label}-${n}` },
            ...step,
          }),
        });
        const body = (await res.json()) as { activities: { text?: string }[] };
        into.latencies.push(performance.now() - t0);
        if (i === SCRIPT.length - 1 && body.activities.some((a) => a.text?.includes('方案已确认'))) into.settled++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  into.seconds += (performance.now() - started) / 1000;
}

const figures = ({ latencies, seconds }: Run): Throughput => throughput(latencies, seconds * 1000);

const newRun = (): Run => ({ latencies: [], seconds: 0, settled: 0 });

/** The dialogs-only bot: three waterfalls, each starting the next, and a prompt on top, as in kefu. */
function dialogsOnlyTurn(): (context: TurnContext) => Promise<void> {
  class Ask extends Dialog {
    override async beginDialog(dc: DialogContext) {
      await dc.context.sendActivity('question?');
      return Dialog.EndOfTurn;
    }
    override async continueDialog(dc: DialogContext) {
      await dc.context.sendActivity(`noted: ${dc.context.activity.text ?? ''}`);
      return dc.endDialog(dc.context.activity.text);
    }
  }
  const state = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(state.createProperty<DialogState>('dialogs'));
  const level = (id: string, child: string) =>
    new WaterfallDialog(id, [async (step) => step.beginDialog(child), async (step) => step.replaceDialog(id)]);
  for (const d of [
    level('main', 'complaint'),
    level('complaint', 'evidence'),
    level('evidence', 'ask'),
    new Ask('ask'),
  ])
    dialogs.add(d);
  return async (context) => {
    const dc = await dialogs.createContext(context);
    if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await dc.beginDialog('main');
    await state.saveChanges(context);
  };
}

/** CPU (this process: client and server) per turn, one turn at a time: greetings, each in a new conversation. */
async function cpuPerGreeting(url: string, text: string, label: string, turns = 1000): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < turns; i++) {
    await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `g${i}`,
        channelId: 'bench',
        serviceUrl: 'http://127.0.0.1:9/',
        deliveryMode: 'expectReplies',
        from: { id: 'u-lihua' },
        recipient: { id: 'kefu' },
        conversation: { id: `${label}-${i}` },
        text,
      }),
    }).then((r) => r.text());
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / turns;
}

export default async function conversationBench(): Promise<void> {
  const log = createLogger('silent');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const echo = createServer({
    adapter,
    log,
    onTurn: async (ctx) => void (await ctx.sendActivity(`echo: ${ctx.activity.text ?? ''}`)),
  });
  const echoPort = await echo.listen(0, '127.0.0.1');
  const floor = createServer({ adapter, log, onTurn: dialogsOnlyTurn() });
  const floorPort = await floor.listen(0, '127.0.0.1');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-'));
  const app = await startApp(loadConfig({ PORT: '0', KEFU_DATA_DIR: dataDir }, ROOT), {
    log,
    host: '127.0.0.1',
    timers: false,
  });
  try {
    const bots = { echo: `http://127.0.0.1:${echoPort}`, floor: `http://127.0.0.1:${floorPort}`, kefu: app.url };
    const runs = { echo: newRun(), floor: newRun(), kefu: newRun() };
    for (const [name, url] of Object.entries(bots)) await drive(url, `warm-${name}`, 30, newRun());
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['echo', 'floor', 'kefu'] as const)
        await drive(bots[name], `${name}-${round}`, Math.ceil(CONVERSATIONS / ROUNDS), runs[name]);
    }
    const [baseline, dialogsOnly, kefu] = [
      figures(runs.echo),
      figures(runs.floor),
      { ...figures(runs.kefu), settled: runs.kefu.settled },
    ];
    const row = (label: string, r: Throughput) =>
      `  ${label.padEnd(22)}${r.perSecond.toFixed(0).padStart(5)} turns/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`;
    console.log(
      `${CONVERSATIONS} complaint conversations × ${SCRIPT.length} turns, ${CONCURRENCY} concurrent, expectReplies over loopback`,
    );
    console.log(row('echo bot (baseline):', baseline));
    console.log(row('dialogs only:', dialogsOnly));
    console.log(
      `${row('kefu (SQLite):', kefu)}  (${kefu.settled}/${ROUNDS * Math.ceil(CONVERSATIONS / ROUNDS)} settled)`,
    );
    console.log(`  ratio kefu / echo:         ${(kefu.perSecond / baseline.perSecond).toFixed(2)}× (goal ≥ 0.8×)`);
    console.log(
      `  ratio dialogs only / echo: ${(dialogsOnly.perSecond / baseline.perSecond).toFixed(2)}× (botbuilder-dialogs alone, kefu's depth: the ceiling)`,
    );
    const echoCpu = await cpuPerGreeting(`http://127.0.0.1:${echoPort}`, 'hi', 'cpu-echo');
    const kefuCpu = await cpuPerGreeting(app.url, '你好', 'cpu-kefu');
    console.log(
      `one turn at a time, CPU per turn (client + server, one process): echo ${echoCpu.toFixed(2)} ms, kefu greeting ${kefuCpu.toFixed(2)} ms (${(kefuCpu / echoCpu).toFixed(2)}×)`,
    );
  } finally {
    await app.close();
    await echo.close();
    await floor.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
