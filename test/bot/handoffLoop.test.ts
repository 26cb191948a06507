/**
 * The whole human loop through the real bot: a shopper asks for a person, an agent claims the
 * case over the agent API, they chat both ways (the shopper's words are relayed, not interpreted),
 * the agent closes with a decision, the shopper is told, rates the service, and the rating is stored.
 */
import { expect } from 'chai';
import { agentApi, handedOffCaseId, startHarness, type Harness } from '../support/kefuHarness.js';

describe('handoff loop through the bot', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.close());

  const agent = (path: string, body?: unknown) => agentApi(h.app.url, path, body);

  it('escalates, relays both ways, returns to the bot with a CSAT question and stores the rating', async () => {
    const conv = 'loop-1';
    await h.say(conv, 'u-wangfang', { text: '电水壶不加热了 335261748392027586' });
    const queued = await h.say(conv, 'u-wangfang', { text: '转人工' });
    const handoff = queued.find((r) => r.channelData?.handoff)?.channelData?.handoff as {
      caseId: string;
      state: string;
    };
    expect(handoff.state).to.equal('queued');
    expect(queued.some((r) => r.type === 'event' && r.name === 'handoff.initiate')).to.equal(true);

    const caseId = handoff.caseId;
    expect((await agent(`/cases/${caseId}/claim`, {})).status).to.equal(200);
    // The agent's answer does not wait for the channel: the message follows through the outbox.
    await h.app.outbox.idle();
    const assigned = h.proactive.get(conv) ?? [];
    expect(assigned.some((a) => a.channelData?.handoff?.state === 'assigned')).to.equal(true);

    expect(
      (await agent(`/cases/${caseId}/messages`, { text: '您好，我是客服小李，请问水壶是完全不加热吗？' })).status,
    ).to.equal(201);
    await h.app.outbox.idle();
    expect((h.proactive.get(conv) ?? []).some((a) => (a.text ?? '').includes('请问水壶是完全不加热吗'))).to.equal(true);

    // Relayed, not interpreted: the bot says nothing itself and the agent sees the words.
    const relayed = await h.say(conv, 'u-wangfang', { text: '是的，插上电指示灯亮但是完全不热' });
    expect(relayed.filter((r) => r.type === 'message')).to.have.length(0);
    const file = (await (await agent(`/cases/${caseId}`)).json()) as {
      case: { transcript: { from: string; text: string }[] };
    };
    expect(file.case.transcript.some((t) => t.from === 'shopper' && t.text.includes('完全不热'))).to.equal(true);
    // The agent sees the whole conversation with the bot, including the turn that asked for a person.
    const shopperLines = file.case.transcript.filter((t) => t.from === 'shopper').map((t) => t.text);
    expect(shopperLines.slice(0, 2)).to.deep.equal(['电水壶不加热了 335261748392027586', '转人工']);
    expect(file.case.transcript.some((t) => t.from === 'bot' && t.text.includes('请拍一张'))).to.equal(true);

    expect(
      (await agent(`/cases/${caseId}/close`, { kind: 'change', remedy: 'exchange', note: '为您换一台新的' })).status,
    ).to.equal(200);
    await h.app.outbox.idle();
    const after = h.proactive.get(conv) ?? [];
    expect(after.some((a) => a.channelData?.handoff?.state === 'resolved' && (a.text ?? '').includes('换货'))).to.equal(
      true,
    );
    expect(after.some((a) => a.channelData?.prompt?.slot === 'csat')).to.equal(true);

    const thanks = await h.say(conv, 'u-wangfang', { text: '5' });
    expect(thanks.map((r) => r.text).join()).to.contain('谢谢');
    const stored = await h.app.stores.cases.get(caseId);
    expect(stored?.status).to.equal('resolved');
    expect(stored?.resolution?.remedy).to.equal('exchange');
    expect(stored?.csat?.score).to.equal(5);

    // Back with the bot: a new message is understood again.
    const again = await h.say(conv, 'u-wangfang', { text: '你好' });
    expect(again.map((r) => r.text).join()).to.contain('您好');
  });

  it('lets the shopper leave the queue', async () => {
    const conv = 'loop-2';
    const queued = await h.say(conv, 'u-zhangwei', { text: 'agent please', locale: 'en-US' });
    const caseId = handedOffCaseId(queued);
    const left = await h.say(conv, 'u-zhangwei', { text: 'leave queue', locale: 'en-US' });
    expect(left.some((r) => r.channelData?.handoff?.state === 'cancelled')).to.equal(true);
    expect((await h.app.stores.cases.get(caseId))?.status).to.equal('cancelled');
    expect(await h.app.handoff.queue.get(caseId)).to.equal(undefined);
  });
});
