/**
 * Options are shown the way each channel can: Teams shows at most three suggested actions, so
 * four options become an Adaptive Card whose buttons post their title as the shopper's message;
 * a text-only channel (SMS) gets a numbered list and the shopper may answer with the number.
 */
import { expect } from 'chai';
import { PNG_1X1, dataUrlAttachment, startHarness, type Harness, type Reply } from '../support/kefuHarness.js';

const promptOf = (replies: Reply[]) => replies.find((r) => r.channelData?.prompt)!;

describe('options per channel', function () {
  this.timeout(30_000);
  let h: Harness;
  // A fresh bot per test: both complain about the same order, and a second complaint would join the first case.
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h?.close());

  async function toMerchantQuestion(conversation: string, channelId: string): Promise<Reply> {
    const say = (body: Record<string, unknown>) => h.say(conversation, 'u-lihua', { channelId, ...body });
    await say({ text: '洗发水瓶子破了 284716350192837465' });
    await say({ attachments: [dataUrlAttachment(PNG_1X1, 'image/png')] });
    await say({ text: '跳过' });
    return promptOf(await say({ text: '跳过' }));
  }

  it('Teams: four options become a card whose buttons post their titles', async () => {
    const question = await toMerchantQuestion('ch-teams', 'msteams');
    expect(question.channelData?.prompt).to.include({ slot: 'merchant_response', kind: 'choice' });
    expect(question.suggestedActions).to.equal(undefined);
    const card = question.attachments?.[0]?.content as { actions: { title: string; data: Record<string, unknown> }[] };
    expect(card.actions.map((a) => a.title)).to.deep.equal([
      '还没联系商家',
      '商家同意处理',
      '商家拒绝了',
      '商家没回复',
    ]);
    expect(card.actions[2]!.data).to.deep.equal({
      merchant_response: 'refused',
      msteams: { type: 'imBack', value: '商家拒绝了' },
    });
    const next = await h.say('ch-teams', 'u-lihua', { channelId: 'msteams', text: '商家拒绝了' });
    expect(next.find((r) => r.channelData?.triage)?.channelData?.triage).to.include({ complaint: 'damaged_packaging' });
  });

  it('SMS: a numbered list, answered with the number', async () => {
    const question = await toMerchantQuestion('ch-sms', 'sms');
    expect(question.text).to.contain('1. 还没联系商家').and.contain('4. 商家没回复');
    const next = await h.say('ch-sms', 'u-lihua', { channelId: 'sms', text: '1' });
    const triage = next.find((r) => r.channelData?.triage)?.channelData?.triage as Record<string, unknown>;
    expect(triage).to.include({ remedy: 'reship' });
    const stored = await h.app.stores.cases.get(String(triage.caseId));
    expect(stored?.facts.merchant_response).to.equal('not_contacted');
  });
});
