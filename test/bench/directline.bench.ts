/**
 * Direct Line round trip: 200 concurrent widget conversations, each posting messages and timing
 * post → the bot's reply arriving on its WebSocket, beside the same bot answering `/api/messages`
 * with `expectReplies` (no channel in between) in the same run. Measured twice: with a tiny echo
 * bot (the channel's own cost) and with the real kefu (classifier, dialogs, state saved in SQLite
 * each turn). Client, channel and bot share one process, so the figures are an upper bound on
 * the channel's cost.
 */
import { startHarness as startKefu } from '../support/kefuHarness.js';
import { call, startConversation, StreamReader } from '../directline/client.js';
import { startHarness as startEcho } from '../directline/echoBot.js';
import { throughput, type Throughput } from './latency.js';

const CONVERSATIONS = 200;
const ROUNDS = 5;
/** Unmeasured first rounds: connection set-up and JIT warm-up are not what we compare. */
const WARMUP = 1;

interface Target {
  name: string;
  baseUrl: string;
  /** What a widget says in round `r`; `expectReply` checks the bot's `expectReplies` answer. */
  text(r: number): string;
  expectReply(activities: { type?: string; text?: string }[], r: number): boolean;
}

const each = (rounds: number, turn: (c: number, r: number) => Promise<void>) =>
  Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, c) => {
      for (let r = 0; r < rounds; r++) await turn(c, r);
    }),
  );

async function measure(target: Target): Promise<void> {
  // Baseline: the bot alone, replies in the HTTP response.
  const direct: number[] = [];
  const directTurn = async (c: number, r: number, record: boolean) => {
    const start = performance.now();
    const res = await call<{ activities?: { type?: string; text?: string }[] }>(`${target.baseUrl}/api/messages`, {
      json: {
        type: 'message',
        id: `b${c}-${r}`,
        text: target.text(r),
        deliveryMode: 'expectReplies',
        channelId: 'bench',
        serviceUrl: 'http://127.0.0.1:9',
        conversation: { id: `bench-${c}` },
        from: { id: `u-bench-${c}` },
        recipient: { id: 'kefu' },
      },
    });
    if (!target.expectReply(res.body.activities ?? [], r))
      throw new Error(`unexpected reply ${JSON.stringify(res.body)}`);
    if (record) direct.push(performance.now() - start);
  };
  await each(WARMUP, (c, r) => directTurn(c, r, false));
  let t0 = performance.now();
  await each(ROUNDS, (c, r) => directTurn(c, r + WARMUP, true));
  const directWall = performance.now() - t0;

  // Direct Line: 200 widgets, each with its own conversation and WebSocket, greeted first.
  const widgets = await Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, c) => {
      const conv = await startConversation(target.baseUrl, `u-widget-${c}`);
      const stream = await StreamReader.open(conv.streamUrl);
      await stream.until(() => stream.texts().length > 0, 30_000);
      return { conv, stream };
    }),
  );
  const viaDirectLine: number[] = [];
  const dlTurn = async (c: number, r: number, record: boolean) => {
    const { conv, stream } = widgets[c]!;
    const start = performance.now();
    const posted = await call<{ id: string }>(
      `${target.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`,
      {
        token: conv.token,
        json: { type: 'message', text: target.text(r) },
      },
    );
    // The bot's reply to this post carries its id: the first one is what the shopper waits for.
    await stream.until(() => stream.activities.some((a) => a.replyToId === posted.body.id), 30_000);
    if (record) viaDirectLine.push(performance.now() - start);
  };
  await each(WARMUP, (c, r) => dlTurn(c, r, false));
  t0 = performance.now();
  await each(ROUNDS, (c, r) => dlTurn(c, r + WARMUP, true));
  const dlWall = performance.now() - t0;
  for (const w of widgets) w.stream.close();

  const a = throughput(direct, directWall);
  const b = throughput(viaDirectLine, dlWall);
  const row = (name: string, s: Throughput) =>
    `  ${name.padEnd(44)} p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms   ${s.perSecond.toFixed(0).padStart(5)} turns/s`;
  console.log(
    `${target.name}: ${CONVERSATIONS} concurrent conversations x ${ROUNDS} measured turns each (after ${WARMUP} warm-up round)`,
  );
  console.log(row('/api/messages expectReplies (baseline)', a));
  console.log(row('Direct Line post -> reply on WebSocket', b));
  console.log(
    `  ratio Direct Line / baseline: p50 x${(b.p50 / a.p50).toFixed(2)}, p99 x${(b.p99 / a.p99).toFixed(2)}, throughput x${(b.perSecond / a.perSecond).toFixed(2)}`,
  );
}

export default async function bench(): Promise<void> {
  const echo = await startEcho();
  try {
    await measure({
      name: 'echo bot',
      baseUrl: echo.baseUrl,
      text: (r) => `m${r}`,
      expectReply: (activities, r) => activities[0]?.text === `echo: m${r}`,
    });
  } finally {
    await echo.close();
  }

  // The real kefu: each turn classifies the text, runs the dialogs and saves state. Rate limits
  // are off: 200 widgets on one loopback client are the point here, not abuse.
  const kefu = await startKefu({ RATE_LIMIT_CONVERSATION: '0', RATE_LIMIT_ADDRESS: '0' });
  try {
    await measure({
      name: 'kefu (greeting turn: classify, dialog, SQLite state)',
      baseUrl: kefu.app.url,
      text: () => '你好',
      expectReply: (activities) => activities.some((x) => x.type === 'message' && (x.text ?? '') !== ''),
    });
  } finally {
    await kefu.close();
  }
}
