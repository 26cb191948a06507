/**
 * Direct Line round trip: 200 concurrent widget conversations, each posting messages and timing
 * post → bot reply arriving on its WebSocket, beside the same echo bot answering `/api/messages`
 * with `expectReplies` (no channel in between) in the same run. Client, channel and bot share
 * one process here, so the figures are an upper bound on the channel's cost.
 */
import { call, startConversation, StreamReader } from '../directline/client.js';
import { startHarness } from '../directline/echoBot.js';

const CONVERSATIONS = 200;
const ROUNDS = 5;
/** Unmeasured first rounds: connection set-up and JIT warm-up are not what we compare. */
const WARMUP = 1;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[], wallMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), perSecond: (samples.length / wallMs) * 1000 };
}

export default async function bench(): Promise<void> {
  const h = await startHarness();
  try {
    // Baseline: the bot alone, replies in the HTTP response.
    const direct: number[] = [];
    const directTurn = async (c: number, r: number, record: boolean) => {
      const start = performance.now();
      const res = await call<{ activities: { text: string }[] }>(`${h.baseUrl}/api/messages`, {
        json: { type: 'message', text: `m${r}`, deliveryMode: 'expectReplies', channelId: 'bench', serviceUrl: 'http://127.0.0.1:9', conversation: { id: `b${c}` }, from: { id: `u-${c}` }, recipient: { id: 'kefu' } },
      });
      if (res.body.activities?.[0]?.text !== `echo: m${r}`) throw new Error(`unexpected reply ${JSON.stringify(res.body)}`);
      if (record) direct.push(performance.now() - start);
    };
    const each = (rounds: number, turn: (c: number, r: number) => Promise<void>) =>
      Promise.all(Array.from({ length: CONVERSATIONS }, async (_, c) => {
        for (let r = 0; r < rounds; r++) await turn(c, r);
      }));
    await each(WARMUP, (c, r) => directTurn(c, r, false));
    let t0 = performance.now();
    await each(ROUNDS, (c, r) => directTurn(c, r + WARMUP, true));
    const directWall = performance.now() - t0;

    // Direct Line: 200 widgets, each with its own conversation and WebSocket.
    const widgets = await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        const conv = await startConversation(h.baseUrl, `u-bench-${c}`);
        const stream = await StreamReader.open(conv.streamUrl);
        await stream.until(() => stream.texts().length > 0);
        return { conv, stream };
      }),
    );
    const viaDirectLine: number[] = [];
    const dlTurn = async (c: number, r: number, record: boolean) => {
      const { conv, stream } = widgets[c]!;
      const start = performance.now();
      await call(`${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`, { token: conv.token, json: { type: 'message', text: `m${r}` } });
      await stream.until(() => stream.texts().includes(`echo: m${r}`), 30_000);
      if (record) viaDirectLine.push(performance.now() - start);
    };
    await each(WARMUP, (c, r) => dlTurn(c, r, false));
    t0 = performance.now();
    await each(ROUNDS, (c, r) => dlTurn(c, r + WARMUP, true));
    const dlWall = performance.now() - t0;
    for (const w of widgets) w.stream.close();

    const a = summary(direct, directWall);
    const b = summary(viaDirectLine, dlWall);
    const row = (name: string, s: ReturnType<typeof summary>) => `${name.padEnd(44)} p50 ${s.p50.toFixed(1).padStart(6)} ms   p99 ${s.p99.toFixed(1).padStart(6)} ms   ${s.perSecond.toFixed(0).padStart(5)} turns/s`;
    console.log(`${CONVERSATIONS} concurrent conversations x ${ROUNDS} measured turns each (after ${WARMUP} warm-up round)`);
    console.log(row('/api/messages expectReplies (baseline)', a));
    console.log(row('Direct Line post -> reply on WebSocket', b));
    console.log(`ratio Direct Line / baseline: p50 x${(b.p50 / a.p50).toFixed(2)}, p99 x${(b.p99 / a.p99).toFixed(2)}, throughput x${(b.perSecond / a.perSecond).toFixed(2)}`);
  } finally {
    await h.close();
  }
}
