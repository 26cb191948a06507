/**
 * Issue 15, across conversations and with a person: a second complaint about an item whose case is
 * still open joins that case instead of opening another, and a satisfaction rating typed in words
 * ("5星", "great, 5 stars") is stored like a tapped one.
 */
import { expect } from 'chai';
import { agentApi, handedOffCaseId, startHarness, type Harness, type Reply } from '../support/kefuHarness.js';

const texts = (replies: Reply[]) => replies.map((r) => r.text ?? '').join('\n');

describe('one open case per order and item; ratings typed as text', function () {
  this.timeout(30_000);
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h?.close());

  const agent = (path: string, body: unknown) => agentApi(h.app.url, path, body);

  for (const [lang, first, again, joined] of [
    ['zh-CN', '电水壶不加热了 335261748392027586', '电水壶还是不加热，订单335261748392027586', '已有进行中的工单'],
    [
      'en-US',
      "The kettle won't heat, order 335261748392027586",
      'The kettle still does not heat up, order 335261748392027586',
      'already an open case',
    ],
  ] as const) {
    it(`a second complaint on the same order and item joins the queued case (${lang})`, async () => {
      await h.say(`join-a-${lang}`, 'u-wangfang', { locale: lang, text: first });
      const queued = await h.say(`join-a-${lang}`, 'u-wangfang', {
        locale: lang,
        text: lang === 'en-US' ? 'agent' : '转人工',
      });
      const caseId = handedOffCaseId(queued);
      // The same shopper, in a new conversation (another device, a reloaded page).
      const replies = await h.say(`join-b-${lang}`, 'u-wangfang', { locale: lang, text: again });
      expect(texts(replies)).to.contain(joined).and.contain(caseId);
      const cases = await h.app.stores.cases.list({ shopperId: 'u-wangfang' });
      expect(
        cases.map((c) => c.id),
        'no second case',
      ).to.deep.equal([caseId]);
      const stored = cases[0]!;
      expect(
        stored.transcript.some((t) => t.from === 'shopper' && t.text === again),
        'the new words are on the case',
      ).to.equal(true);
    });
  }

  for (const [lang, typed, score] of [
    ['zh-CN', '5星', 5],
    ['en-US', 'great, 5 stars', 5],
    ['en-US', 'four out of five', 4],
    ['zh-CN', '还行吧', 3],
    ['en-US', 'where is my refund', undefined],
  ] as const) {
    it(`a rating typed as "${typed}" is stored (${lang})`, async () => {
      const conv = `csat-${Buffer.from(typed).toString('hex')}`;
      await h.say(conv, 'u-wangfang', { locale: lang, text: '电水壶不加热了 335261748392027586' });
      const queued = await h.say(conv, 'u-wangfang', { locale: lang, text: '转人工' });
      const caseId = handedOffCaseId(queued);
      expect((await agent(`/cases/${caseId}/claim`, {})).status).to.equal(200);
      expect(
        (await agent(`/cases/${caseId}/close`, { kind: 'change', remedy: 'exchange', note: 'ok' })).status,
      ).to.equal(200);
      // The shopper answers the rating question once it has reached them (it goes through the outbox).
      await h.app.outbox.idle();
      expect(
        (h.proactive.get(conv) ?? []).some((a) => a.channelData?.prompt?.slot === 'csat'),
        'the rating question was sent',
      ).to.equal(true);
      const thanks = await h.say(conv, 'u-wangfang', { locale: lang, text: typed });
      const stored = await h.app.stores.cases.get(caseId);
      if (score === undefined) {
        expect(stored?.csat).to.equal(undefined);
        return;
      }
      expect(texts(thanks)).to.match(/谢谢您的评价|Thanks for the rating/);
      expect(stored?.csat?.score).to.equal(score);
    });
  }
});
