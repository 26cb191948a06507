/**
 * kefu's turns beside two bots on the same stack (restify + CloudAdapter + kefu's own server
 * module), measured in the same run with the same requests:
 * - **echo**: replies with the text; what the stack alone costs.
 * - **dialogs only**: a dialog stack as deep as kefu's during evidence collection (complaint →
 *   evidence round → slot prompt, under the main dialog) on MemoryStorage, with no kefu logic and
 *   no disk: what botbuilder-dialogs at kefu's depth costs, the ceiling for kefu.
 * - **dialogs only, kefu's durability**: the same dialogs with what kefu guarantees every turn and
 *   nothing else: the activity claimed once in the SQLite ledger, replies held until the state is
 *   saved with compare-and-set on the SQLite file, the "handled" mark in the state's transaction.
 *   What durability alone costs, the ceiling for kefu with its guarantees.
 * - **kefu** on its embedded defaults (SQLite file, evidence directory).
 *
 * Three measurements:
 * 1. Whole complaint conversations (6 turns), 10 at a time, client in this process; the bots take
 *    turns in rounds so drift in the machine's load hits all alike.
 * 2. First complaint turns (each a new conversation), from a load client in its own process over
 *    10 keep-alive connections, so each server has the event loop to itself; rounds as above.
 * 3. CPU per turn by step, one conversation at a time (client and server, this process), so the
 *    remaining gap is visible step by step.
 *
 * `npm run bench -- conversation --write-docs` also writes the figures into docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  type TurnContext,
} from 'botbuilder';
import {
  Dialog,
  type DialogContext,
  DialogSet,
  type DialogState,
  DialogTurnStatus,
  WaterfallDialog,
} from 'botbuilder-dialogs';
import { startApp } from '../../bot/app.js';
import { CasConversationState } from '../../bot/casState.js';
import { ActivityOnce } from '../../bot/resilience/activityOnce.js';
import { openSqlite, type SqliteDb, SqliteLedger, SqliteStorage } from '../../bot/store/index.js';
import { machine, writeBenchSection, writingDocs } from './docs.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';
import { createServer } from '../../bot/server.js';
import { PNG_1X1, ROOT } from '../support/kefuHarness.js';
import { type Throughput, throughput } from './latency.js';
import type { LoadJob, LoadResult } from './loadClient.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 300);
const FIRST_TURNS = Number(process.env.BENCH_FIRST_TURNS ?? 5000);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 60);
/**
 * Unmeasured turns each bot gets first, so the figures are a running server's, not its first
 * seconds': V8 optimises a function only after many calls, and code that runs once a turn (most of
 * kefu's) takes a few thousand turns to get there. Conversations before the whole-conversation
 * runs; first turns before the first-turn runs.
 */
const WARM_CONVERSATIONS = Number(process.env.BENCH_WARM_CONVERSATIONS ?? 300);
const WARM_FIRST_TURNS = Number(process.env.BENCH_WARM_FIRST_TURNS ?? 3000);
const CONCURRENCY = 10;
/** The bots take turns, a slice of the work each round, so drift in the machine's load hits all alike. */
const ROUNDS = 10;
const BOTS = ['echo', 'floor', 'durable', 'kefu'] as const;
type Bot = (typeof BOTS)[number];
const NAMES: Record<Bot, string> = {
  echo: 'echo bot',
  floor: 'dialogs only',
  durable: "dialogs only, kefu's durability",
  kefu: 'kefu (SQLite)',
};
/** A photo of its own for every conversation (bytes after the PNG's end), as shoppers' photos differ. */
const photoOf = (conversation: string) => ({
  contentType: 'image/png',
  contentUrl: `data:image/png;base64,${Buffer.concat([PNG_1X1, Buffer.from(conversation)]).toString('base64')}`,
});
/** The story every conversation follows, each turn named by what kefu does with it. */
const SCRIPT: { kind: string; body: Record<string, unknown> }[] = [
  { kind: 'first complaint (opens the case)', body: { text: '洗发水瓶子破了，漏了一箱 284716350192837465' } },
  { kind: 'photo of the item', body: { attachments: [] } },
  { kind: 'skip: package photo', body: { text: '跳过' } },
  { kind: 'skip: share affected', body: { text: '跳过' } },
  { kind: "seller's answer → remedy", body: { text: '还没联系商家' } },
  { kind: 'accept the remedy', body: { text: '接受' } },
];

const activity = (conversation: string, i: number, body: Record<string, unknown>) => ({
  type: 'message',
  id: `a${i}`,
  channelId: 'bench',
  serviceUrl: 'http://127.0.0.1:9/',
  deliveryMode: 'expectReplies',
  locale: 'zh-CN',
  from: { id: 'u-lihua' },
  recipient: { id: 'kefu' },
  conversation: { id: conversation },
  ...body,
  ...(body.attachments ? { attachments: [photoOf(conversation)] } : {}),
});

interface Reply {
  text?: string;
  channelData?: { refused?: unknown };
}

/** One turn: its replies, or undefined when it failed (a status other than 200, no reply, a refusal). */
async function say(url: string, conversation: string, i: number): Promise<Reply[] | undefined> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity(conversation, i, SCRIPT[i]!.body)),
  });
  if (res.status !== 200) {
    await res.arrayBuffer();
    return undefined;
  }
  const replies = ((await res.json()) as { activities?: Reply[] }).activities ?? [];
  return replies.length === 0 || replies.some((a) => a.channelData?.refused !== undefined) ? undefined : replies;
}

interface Run {
  /** Latencies by step of the script. */
  steps: number[][];
  seconds: number;
  settled: number;
  errors: number;
}

const newRun = (): Run => ({ steps: SCRIPT.map(() => []), seconds: 0, settled: 0, errors: 0 });
const all = (r: Run) => r.steps.flat();

/** Runs `count` whole conversations named `label-…`, `CONCURRENCY` at a time, and adds their figures to `into`. */
async function conversations(url: string, label: string, count: number, into: Run): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      for (let i = 0; i < SCRIPT.length; i++) {
        const t0 = performance.now();
        const replies = await say(url, `${label}-${n}`, i).catch(() => undefined);
        into.steps[i]!.push(performance.now() - t0);
        if (replies === undefined) into.errors++;
        if (i === SCRIPT.length - 1 && replies?.some((a) => a.text?.includes('方案已确认'))) into.settled++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  into.seconds += (performance.now() - started) / 1000;
}

/** CPU (client and server, this process) of each step, one conversation at a time; adds to `into` (ms). */
async function cpuBySteps(url: string, label: string, count: number, into: number[][]): Promise<number> {
  let errors = 0;
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < SCRIPT.length; i++) {
      const before = process.cpuUsage();
      const replies = await say(url, `${label}-${n}`, i);
      const used = process.cpuUsage(before);
      into[i]!.push((used.user + used.system) / 1000);
      if (replies === undefined) errors++;
    }
  }
  return errors;
}

/** Posts `count` first turns from the load client process; adds latencies and wall time to `into`. */
function firstTurns(url: string, prefix: string, count: number, into: Load): Promise<void> {
  const job: LoadJob = {
    url,
    activity: activity('', 0, SCRIPT[0]!.body),
    prefix,
    count,
    connections: CONCURRENCY,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'bench', 'loadClient.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  // The client is another process: this process's CPU meanwhile is the servers' (only one is loaded).
  const cpuBefore = process.cpuUsage();
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stdin.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      const r = JSON.parse(out) as LoadResult;
      const used = process.cpuUsage(cpuBefore);
      into.serverCpuMs += (used.user + used.system) / 1000;
      into.latencies.push(...r.latencies);
      into.wallMs += r.wallMs;
      into.errors += r.errors;
      resolve();
    });
  });
}

/** The dialogs-only bot: three waterfalls, each starting the next, and a prompt on top, as in kefu. */
function dialogsOnly(state: ConversationState): (context: TurnContext) => Promise<void> {
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
  };
}

function dialogsOnlyTurn(): (context: TurnContext) => Promise<void> {
  const state = new ConversationState(new MemoryStorage());
  const run = dialogsOnly(state);
  return async (context) => {
    await run(context);
    await state.saveChanges(context);
  };
}

/**
 * The same dialogs with kefu's guarantees and nothing else: each activity claimed once in the
 * SQLite ledger, replies held until the state is saved with compare-and-set on the SQLite file,
 * the "handled" mark committed in the state's transaction. No understanding, no case, no rules.
 */
function durableDialogsTurn(db: SqliteDb): (context: TurnContext) => Promise<void> {
  const state = new CasConversationState(new SqliteStorage(db));
  const once = new ActivityOnce({ ledger: new SqliteLedger(db), ttlSeconds: 3600 });
  const run = dialogsOnly(state);
  return async (context) => {
    const claim = await once.claim(context.activity);
    if (claim.kind === 'replay') {
      await context.sendActivities(claim.replies);
      return;
    }
    const outbox: Partial<Activity>[] = [];
    let holding = true;
    context.onSendActivities(async (_ctx, activities, next) => {
      if (!holding) return next();
      outbox.push(...activities);
      return activities.map(() => ({ id: '' }));
    });
    await state.load(context);
    await run(context);
    claim.finishAlong(state.get(context) as object, outbox);
    await state.saveChanges(context);
    await claim.finish(outbox);
    holding = false;
    await context.sendActivities(outbox);
  };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const n0 = (x: number) => x.toFixed(0);
const n1 = (x: number) => x.toFixed(1);
const n2 = (x: number) => x.toFixed(2);

/** Markdown table rows. */
function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

export default async function conversationBench(): Promise<void> {
  const writeDocs = writingDocs();
  const log = createLogger('silent');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const echo = createServer({
    adapter,
    log,
    onTurn: async (ctx) => void (await ctx.sendActivity(`echo: ${ctx.activity.text ?? ''}`)),
  });
  const floor = createServer({ adapter, log, onTurn: dialogsOnlyTurn() });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-'));
  const durableDb = openSqlite(path.join(dataDir, 'durable-dialogs.sqlite'));
  const durable = createServer({ adapter, log, onTurn: durableDialogsTurn(durableDb) });
  const app = await startApp(loadConfig({ PORT: '0', KEFU_DATA_DIR: dataDir }, ROOT), {
    log,
    host: '127.0.0.1',
    timers: false,
  });
  try {
    const bots: Record<Bot, string> = {
      echo: `http://127.0.0.1:${await echo.listen(0, '127.0.0.1')}`,
      floor: `http://127.0.0.1:${await floor.listen(0, '127.0.0.1')}`,
      durable: `http://127.0.0.1:${await durable.listen(0, '127.0.0.1')}`,
      kefu: app.url,
    };
    const lines: string[] = [];
    const out = (line = '') => {
      console.log(line);
      lines.push(line);
    };
    for (const bot of BOTS) await conversations(bots[bot], `warm-${bot}`, WARM_CONVERSATIONS, newRun());

    // 1. Whole conversations.
    const runs = perBot(newRun);
    const perRound = Math.ceil(CONVERSATIONS / ROUNDS);
    for (let round = 0; round < ROUNDS; round++)
      for (const bot of BOTS) await conversations(bots[bot], `${bot}-${round}`, perRound, runs[bot]);
    const whole = Object.fromEntries(BOTS.map((b) => [b, throughput(all(runs[b]), runs[b].seconds * 1000)])) as Record<
      Bot,
      Throughput
    >;

    // 2. First turns from a separate load client.
    const first = perBot(newLoad);
    for (const bot of BOTS) await firstTurns(bots[bot], `fwarm-${bot}`, WARM_FIRST_TURNS, newLoad());
    for (let round = 0; round < ROUNDS; round++)
      for (const bot of BOTS)
        await firstTurns(bots[bot], `first-${bot}-${round}`, Math.ceil(FIRST_TURNS / ROUNDS), first[bot]);
    const firstFig = Object.fromEntries(
      BOTS.map((b) => [b, throughput(first[b].latencies, first[b].wallMs)]),
    ) as Record<Bot, Throughput>;

    // 3. CPU by step, one conversation at a time.
    const cpu = perBot(() => SCRIPT.map((): number[] => []));
    let cpuErrors = 0;
    for (let round = 0; round < ROUNDS; round++)
      for (const bot of BOTS)
        cpuErrors += await cpuBySteps(bots[bot], `cpu-${bot}-${round}`, Math.ceil(SEQUENTIAL / ROUNDS), cpu[bot]);

    const ratio = (bot: Bot, f: Record<Bot, Throughput>) => f[bot].perSecond / f.floor.perSecond;
    const row = (bot: Bot, f: Record<Bot, Throughput>, errors: number) => [
      NAMES[bot],
      n0(f[bot].perSecond),
      `${n2(ratio(bot, f))}×`,
      n1(f[bot].p50),
      n1(f[bot].p99),
      String(errors),
    ];
    const head = ['bot', 'turns/s', '÷ dialogs only', 'p50 ms', 'p99 ms', 'errors'];
    out(machine());
    out();
    out(
      `**Whole conversations**: ${ROUNDS * perRound} complaint conversations × ${SCRIPT.length} turns, ${CONCURRENCY} at a time, client in the same process, \`expectReplies\` over loopback (kefu settled ${runs.kefu.settled}/${ROUNDS * perRound}${runs.kefu.settled < ROUNDS * perRound ? '; the others joined a case another conversation had open for the same item' : ''}).`,
    );
    out();
    for (const l of table(
      head,
      BOTS.map((b) => row(b, whole, runs[b].errors)),
    ))
      out(l);
    out();
    out(
      `**First complaint turn**: ${ROUNDS * Math.ceil(FIRST_TURNS / ROUNDS)} first turns, each a new conversation, from a load client in its own process over ${CONCURRENCY} keep-alive connections.`,
    );
    out();
    const serverCpu = (b: Bot) => first[b].serverCpuMs / first[b].latencies.length;
    for (const l of table(
      [...head, 'server CPU ms/turn', 'dialogs only ÷ by CPU'],
      BOTS.map((b) => [
        ...row(b, firstFig, first[b].errors),
        n2(serverCpu(b)),
        `${n2(serverCpu('floor') / serverCpu(b))}×`,
      ]),
    ))
      out(l);
    out();
    out(
      `**By step**: CPU per turn (client and server, one process), mean of ${ROUNDS * Math.ceil(SEQUENTIAL / ROUNDS)} conversations one at a time; and p50 latency under load (whole conversations above).`,
    );
    out();
    const stepRow = (name: string, ms: (b: Bot) => number, p50: (b: Bot) => number) => [
      name,
      ...BOTS.map((b) => n2(ms(b))),
      `${n2(ms('kefu') / ms('floor'))}×`,
      `${n2(ms('kefu') / ms('durable'))}×`,
      n1(p50('floor')),
      n1(p50('kefu')),
    ];
    const stepRows = SCRIPT.map((s, i) =>
      stepRow(
        `${i + 1}. ${s.kind}`,
        (b) => mean(cpu[b][i]!),
        (b) => median(runs[b].steps[i]!),
      ),
    );
    stepRows.push(
      stepRow(
        'all steps',
        (b) => mean(cpu[b].flat()),
        (b) => whole[b].p50,
      ),
    );
    for (const l of table(
      [
        'step',
        ...BOTS.map((b) => `${NAMES[b]} CPU ms`),
        'kefu ÷ dialogs only',
        "kefu ÷ dialogs only, kefu's durability",
        'dialogs only p50 ms',
        'kefu p50 ms',
      ],
      stepRows,
    ))
      out(l);
    if (cpuErrors > 0) out(`\n${cpuErrors} failed turns in the one-at-a-time runs.`);
    out();
    out(
      `kefu ÷ dialogs only: whole conversations ${n2(ratio('kefu', whole))}×, first turn ${n2(ratio('kefu', firstFig))}× (by server CPU ${n2(serverCpu('floor') / serverCpu('kefu'))}×; goal ≥ 0.8×); dialogs only ÷ echo: ${n2(whole.floor.perSecond / whole.echo.perSecond)}×, ${n2(firstFig.floor.perSecond / firstFig.echo.perSecond)}×.`,
    );
    out(
      `Durability alone (dialogs only with kefu's durability ÷ dialogs only): whole conversations ${n2(ratio('durable', whole))}×, first turn ${n2(ratio('durable', firstFig))}× (by server CPU ${n2(serverCpu('floor') / serverCpu('durable'))}×); kefu ÷ that bot: ${n2(whole.kefu.perSecond / whole.durable.perSecond)}×, ${n2(firstFig.kefu.perSecond / firstFig.durable.perSecond)}× (by server CPU ${n2(serverCpu('durable') / serverCpu('kefu'))}×).`,
    );
    if (writeDocs) writeBenchSection('conversation', lines);
  } finally {
    await app.close();
    await echo.close();
    await floor.close();
    await durable.close();
    durableDb.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Load extends LoadResult {
  serverCpuMs: number;
}

const perBot = <T>(make: () => T): Record<Bot, T> => Object.fromEntries(BOTS.map((b) => [b, make()])) as Record<Bot, T>;

function newLoad(): Load {
  return { latencies: [], wallMs: 0, errors: 0, serverCpuMs: 0 };
}
