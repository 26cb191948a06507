/**
 * A handoff as a real shift goes, through the real bot and the embedded Direct Line (the widget's
 * path): the shopper ends the chat while the agent still works the case, the agent closes it with
 * a note for the case file, and the shopper reads only what is meant for them.
 */
import { expect } from 'chai';
import {
  AGENT_TOKEN,
  agentApi,
  handedOffCaseId,
  startHarness,
  type Harness,
  type Reply,
} from '../support/kefuHarness.js';

describe('handoff in a real shift', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness({ AGENT_TOKENS: `li.wei@shop:${AGENT_TOKEN}` })));
  after(async () => h?.close());

  const agent = (path: string, body?: unknown) => agentApi(h.app.url, path, body);

  /** Every activity in the Direct Line conversation: what the widget reads. */
  async function everything(
    conv: string,
    user: string,
  ): Promise<(Reply & { id: string; replyToId?: string; from: { role?: string; name?: string } })[]> {
    await h.app.outbox.idle();
    const page = await h.app.directLine.store.activitiesSince(h.directLineConversation(conv, user)!, 0);
    return page.activities as never[];
  }

  /** A shopper on the widget asks for a person; the agent claims and they exchange a message. */
  async function withAgent(conv: string, user: string): Promise<string> {
    await h.say(conv, user, { text: '你好' }, 'directline');
    const queued = [...(await h.say(conv, user, { text: '转人工' }, 'directline')), ...(h.proactive.get(conv) ?? [])];
    const caseId = handedOffCaseId(queued);
    expect((await agent(`/cases/${caseId}/claim`, {})).status).to.equal(200);
    expect((await agent(`/cases/${caseId}/messages`, { text: '您好，请问是哪件商品？' })).status).to.equal(201);
    await h.say(conv, user, { text: '牛奶过期了' }, 'directline');
    return caseId;
  }

  it('keeps the case with the agent when the shopper says 结束对话, lets the agent close it, and asks for the rating', async () => {
    const conv = 'shift-left';
    const caseId = await withAgent(conv, 'u-left');
    const bye = await h.say(conv, 'u-left', { text: '结束对话' }, 'directline');
    expect(bye.map((r) => r.text).join()).to.contain('客服会继续处理');

    const stored = await h.app.stores.cases.get(caseId);
    expect(stored?.status).to.equal('assigned');
    expect(
      ((await (await agent('/queue')).json()) as { items: { caseId: string; lifecycle: string }[] }).items.find(
        (i) => i.caseId === caseId,
      )?.lifecycle,
    ).to.equal('shopper_left');

    const closed = await agent(`/cases/${caseId}/close`, {
      kind: 'change',
      remedy: 'refund',
      note: '仅退款，无需退货',
    });
    expect(closed.status).to.equal(200);
    const seen = await everything(conv, 'u-left');
    const csat = seen.filter((a) => a.channelData?.prompt?.slot === 'csat');
    expect(csat).to.have.length(1);

    const thanks = await h.say(conv, 'u-left', { text: '4' }, 'directline');
    expect(thanks.map((r) => r.text).join()).to.contain('谢谢');
    expect((await h.app.stores.cases.get(caseId))?.csat?.score).to.equal(4);
  });

  it('still cancels a case the shopper leaves while it waits in the queue', async () => {
    const conv = 'shift-queue';
    await h.say(conv, 'u-queue', { text: '你好' }, 'directline');
    const queued = await h.say(conv, 'u-queue', { text: '转人工' }, 'directline');
    const caseId = handedOffCaseId(queued);
    // One message says why, where the shopper stands (nobody ahead: no "0 位"), the wait and how to leave.
    const told = queued.filter((r) => r.type === 'message').map((r) => r.text ?? '');
    expect(told).to.have.length(1);
    expect(told[0]).to.contain('您要求人工服务').and.contain('您是下一位').and.contain('分钟').and.contain('不排队了');
    expect(told[0]).to.not.contain('0 位');
    const left = await h.say(conv, 'u-queue', { text: '不排队了' }, 'directline');
    expect(left.some((r) => r.channelData?.handoff?.state === 'cancelled')).to.equal(true);
    expect((await h.app.stores.cases.get(caseId))?.status).to.equal('cancelled');

    // The status list: one case a line (a blank line between, for Markdown), in Shanghai time.
    await h.say(conv, 'u-queue', { text: '转人工' }, 'directline');
    await h.say(conv, 'u-queue', { text: '不排队了' }, 'directline');
    const status = (await h.say(conv, 'u-queue', { text: '我的退款到哪了' }, 'directline'))
      .map((r) => r.text ?? '')
      .join('');
    const cases = await h.app.stores.cases.list({ shopperId: 'u-queue' });
    expect(cases).to.have.length(2);
    const blocks = status.split('\n\n');
    expect(blocks).to.have.length(3);
    for (const c of cases) {
      const shanghai = new Date(Date.parse(c.updatedAt) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
      expect(
        blocks.find((b) => b.startsWith(c.id)),
        status,
      ).to.contain(`（${shanghai}）`);
    }
  });

  it('says "this proposal needs review" only when there is a proposal', async () => {
    const conv = 'shift-health';
    await h.say(conv, 'u-zhangwei', { text: '牛奶过期了，喝了以后拉肚子，订单301928374650990011' }, 'directline');
    const replies = await h.say(conv, 'u-zhangwei', { text: '是' }, 'directline');
    const texts = replies.filter((r) => r.type === 'message').map((r) => r.text ?? '');
    expect(texts.join('\n')).to.contain('涉及身体健康');
    expect(texts.join('\n')).to.not.contain('审核');
  });

  for (const close of [
    { kind: 'accept_proposal', note: 'INTERNAL-accept 已核实，复购风险低' },
    { kind: 'change', remedy: 'exchange', note: 'INTERNAL-change 供应商批次问题' },
    { kind: 'reject', note: 'INTERNAL-reject 疑似恶意索赔' },
  ] as const) {
    it(`never shows the shopper the note, the internal reasons or the agent's full name (${close.kind})`, async () => {
      const conv = `shift-${close.kind}`;
      const user = `u-${close.kind}`;
      // Expired food with a refused merchant: the bot proposes and a person must approve.
      await h.say(conv, user, { text: '你好' }, 'directline');
      const caseId = await withAgent(conv, user);
      const c = await h.app.stores.cases.get(caseId);
      if (close.kind === 'accept_proposal') {
        await h.app.stores.cases.update(caseId, (cur) => ({
          ...cur,
          decision: {
            ruleId: 'FOOD-EXPIRED-REFUSED',
            tableHash: 'x',
            remedy: 'refund',
            escalate: true,
            priority: 2,
            explain: { 'zh-CN': 'INTERNAL-explain 商家拒绝', en: 'INTERNAL-explain' },
            matched: ['INTERNAL-matched'],
          },
        }));
      }
      expect(c).to.not.equal(undefined);
      const res = await agent(`/cases/${caseId}/close`, close);
      expect(res.status, await res.clone().text()).to.equal(200);
      const shown = JSON.stringify((await everything(conv, user)).filter((a) => a.from.role === 'bot'));
      expect(shown).to.contain('已处理完工单');
      expect(shown).to.not.contain('INTERNAL');
      expect(shown).to.not.contain('li.wei');
      expect(shown).to.contain('客服 li：');
    });
  }

  it('sends nothing that replies to an activity the conversation does not have', async () => {
    const conv = 'shift-reply-to';
    const caseId = await withAgent(conv, 'u-reply');
    expect((await agent(`/cases/${caseId}/close`, { kind: 'change', remedy: 'refund', note: 'ok' })).status).to.equal(
      200,
    );
    const all = await everything(conv, 'u-reply');
    const ids = new Set(all.map((a) => a.id));
    const dangling = all
      .filter((a) => a.replyToId !== undefined && !ids.has(a.replyToId))
      .map((a) => a.text ?? a.name ?? a.type);
    expect(dangling).to.deep.equal([]);
    // The join, the agent's message, the close and the CSAT question are all there.
    expect(all.filter((a) => a.from.role === 'bot').length).to.be.greaterThan(5);
  });
});
