/**
 * Three kefu processes on three ports sharing Redis and PostgreSQL: one shopper's turns
 * alternate between them (and some race), a case is handed to a person on one instance and
 * claimed and answered through the others, and a Direct Line widget connected to one instance
 * hears replies to messages posted through another.
 */
import { expect } from 'chai';
import path from 'node:path';
import { loadTranscript, runTranscript, FIXTURES } from '../dialogs/transcriptRunner.js';
import { ROOT, type Harness } from '../support/kefuHarness.js';
import { call, startConversation, StreamReader } from '../directline/client.js';
import { AGENT_AUTH, startCluster, type Cluster } from './cluster.js';
import { ORDER_ID } from './driver.js';

const transcript = (name: string) => loadTranscript(path.join(ROOT, 'test/dialogs/transcripts', name));

describe('several kefu instances on Redis + PostgreSQL', function () {
  this.timeout(90_000);
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster(3);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      for (const i of cluster.instances)
        console.log(`--- instance ${i.port} (${i.alive ? 'alive' : 'dead'}):\n${i.output.join('').slice(-3000)}`);
  });
  after(async () => {
    await cluster?.close();
  });

  it('runs story 1 with every turn on the next instance, and the case in PostgreSQL is complete', async () => {
    const t = transcript('story1-shampoo-zh.yaml');
    let turn = 0;
    // runTranscript only calls `say`: each call goes to the next instance, round-robin.
    const roundRobin = {
      say: (conv: string, user: string, body: Record<string, unknown>) => cluster.say(turn++ % 3, conv, user, body),
    };
    await runTranscript(roundRobin as unknown as Harness, t, 'conv-story1');
    expect(turn).to.equal(t.steps.length);

    const [c, ...more] = await cluster.cases({ shopperId: t.shopper });
    expect(more).to.have.length(0);
    expect(c).to.include({
      complaint: 'damaged_packaging',
      status: 'accepted',
      orderId: ORDER_ID,
      locale: 'zh-CN',
      conversationId: 'conv-story1',
    });
    expect(c!.facts).to.include({ category: 'daily_chemical', merchant_response: 'not_contacted' });
    expect(c!.decision).to.include({ remedy: 'reship', escalate: false });
    expect(c!.evidence.map((e) => e.kind)).to.deep.equal(['photo_item', 'photo_package']);
  });

  it('keeps both photos when two turns of one conversation race on two instances', async () => {
    const conv = 'conv-race';
    const user = 'u-lihua'; // the order's owner
    await cluster.say(0, conv, user, { text: '洗发水瓶子破了，漏了一箱' });
    const opened = await cluster.say(1, conv, user, { text: ORDER_ID });
    expect(opened.at(-1)?.channelData?.prompt).to.include({ slot: 'photo_item' });

    const [a, b] = await Promise.all([
      cluster.say(1, conv, user, { attachments: [FIXTURES['photo.jpg']()] }),
      cluster.say(2, conv, user, { attachments: [FIXTURES['photo.png']()] }),
    ]);
    // One turn took the item photo, the other re-ran on the saved state and took the package photo.
    const prompts = [a, b].map((r) => r.at(-1)?.channelData?.prompt?.slot).sort();
    expect(prompts).to.deep.equal(['affected_ratio', 'photo_package']);
    const c = (await cluster.cases({ shopperId: user })).find((x) => x.conversationId === conv);
    expect(c!.evidence.map((e) => e.kind)).to.deep.equal(['photo_item', 'photo_package']);
    expect(new Set(c!.evidence.map((e) => e.contentType))).to.deep.equal(new Set(['image/jpeg', 'image/png']));

    const next = await cluster.say(0, conv, user, { text: '跳过' });
    expect(next.at(-1)?.channelData?.prompt).to.include({ slot: 'merchant_response' });
  });

  it('hands a case to a person on one instance; an agent claims it on another and answers from a third', async () => {
    const conv = 'conv-handoff';
    const user = 'u-wangfang';
    const events: string[] = [];
    const sse = new AbortController();
    // The agent's console is connected to instance 2; the claim happens on instance 1.
    const stream = await fetch(`${cluster.instances[2]!.url}/api/agent/events`, {
      headers: AGENT_AUTH,
      signal: sse.signal,
    });
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) events.push(decoder.decode(chunk));
    })().catch(() => undefined);

    await cluster.say(0, conv, user, { text: '电水壶不加热了 335261748392027586' });
    const handed = await cluster.say(1, conv, user, { text: '转人工' });
    const caseId = handed.find((r) => r.channelData?.handoff)?.channelData?.handoff?.caseId as string;
    expect(caseId).to.be.a('string');
    expect(handed.some((r) => r.type === 'event' && r.name === 'handoff.initiate')).to.equal(true);

    const queue = await call<{ items: { caseId: string; state: string }[] }>(
      `${cluster.instances[2]!.url}/api/agent/queue`,
      { token: AGENT_AUTH.authorization.slice(7) },
    );
    expect(queue.body.items.find((i) => i.caseId === caseId)).to.include({ state: 'waiting' });

    const claimed = await call(`${cluster.instances[1]!.url}/api/agent/cases/${caseId}/claim`, {
      method: 'POST',
      token: AGENT_AUTH.authorization.slice(7),
    });
    expect(claimed.status).to.equal(200);
    const again = await call(`${cluster.instances[0]!.url}/api/agent/cases/${caseId}/claim`, {
      method: 'POST',
      token: AGENT_AUTH.authorization.slice(7),
    });
    expect(again.status).to.equal(409);
    const sent = await call(`${cluster.instances[2]!.url}/api/agent/cases/${caseId}/messages`, {
      token: AGENT_AUTH.authorization.slice(7),
      json: { text: '您好，我是客服小李，马上为您处理' },
    });
    expect(sent.status).to.equal(201);

    await until(() => (cluster.proactive.get(conv) ?? []).some((r) => (r.text ?? '').includes('马上为您处理')));
    const told = (cluster.proactive.get(conv) ?? []).map((r) => r.channelData?.handoff?.state);
    expect(told).to.include('assigned');
    await until(() => events.join('').includes('"change":"claimed"'));
    sse.abort();
    await reading;

    const [c] = await cluster.cases({ shopperId: user });
    expect(c).to.include({ id: caseId, status: 'assigned' });
    expect(c!.transcript.at(-1)).to.include({ from: 'agent', agent: 'li', text: '您好，我是客服小李，马上为您处理' });
    expect(c!.history.map((h) => h.status)).to.include.members(['escalated', 'assigned']);
  });

  it('streams replies to a Direct Line widget on one instance for messages posted through another', async () => {
    const [a, b] = [cluster.instances[0]!.url, cluster.instances[1]!.url];
    const conv = await startConversation(a, 'u-widget');
    const stream = await StreamReader.open(conv.streamUrl);
    try {
      await stream.until(() => stream.texts().length > 0, 10_000);
      const posted = await call(`${b}/v3/directline/conversations/${conv.conversationId}/activities`, {
        token: conv.token,
        json: { type: 'message', text: '洗发水瓶子破了，漏了一箱', locale: 'zh-CN' },
      });
      expect(posted.status).to.equal(200);
      await stream.until(
        () =>
          stream.activities.some(
            (x) =>
              x.from.role === 'bot' &&
              (x.channelData as { prompt?: { slot?: string } } | undefined)?.prompt?.slot === 'order_id',
          ),
        10_000,
      );
      // The shopper's own message is echoed too, once, and the numbering has no gap.
      expect(stream.texts().filter((t) => t === '洗发水瓶子破了，漏了一箱')).to.have.length(1);
      const numbers = stream.activities.map((x) => Number(x.id.split('|')[1]));
      expect(numbers).to.deep.equal(numbers.map((_, i) => i));
      // Polling any instance returns the same transcript.
      const polled = await call<{ activities: { id: string }[] }>(
        `${cluster.instances[2]!.url}/v3/directline/conversations/${conv.conversationId}/activities?watermark=0`,
        { token: conv.token },
      );
      expect(polled.body.activities.map((x) => x.id)).to.deep.equal(
        stream.activities.map((x) => x.id).slice(0, polled.body.activities.length),
      );
    } finally {
      stream.socket.close();
    }
  });
});

async function until(predicate: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
