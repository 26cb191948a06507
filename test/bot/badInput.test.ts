/**
 * Bad input at the HTTP edge and in the conversation: each gets a clear 4xx or a polite reply,
 * never a 500 or a crash, and what the shopper already gave is kept.
 */
import { expect } from 'chai';
import { startHarness, type Harness } from '../support/kefuHarness.js';
import { DEFAULT_GUARD_LIMITS } from '../../bot/security/activityGuard.js';

describe('bad input', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.close());

  const post = (body: string, type = 'application/json') =>
    fetch(`${h.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });

  it('answers malformed JSON and non-activities with 400 and says what was expected', async () => {
    const broken = await post('{"type": "message", ');
    expect(broken.status).to.equal(400);
    const notActivity = await post('[1,2,3]');
    expect(notActivity.status).to.equal(400);
    expect(((await notActivity.json()) as { message: string }).message).to.contain(
      'expected a JSON Bot Framework activity',
    );
    const noType = await post('{"text":"hi"}');
    expect(noType.status).to.equal(400);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await post(JSON.stringify({ type: 'message', text: 'x'.repeat(17 * 1024 * 1024) }));
    expect(res.status).to.equal(413);
  });

  it('answers an empty or missing text politely', async () => {
    const empty = await h.say('bad-1', 'u-lihua', { text: '   ' });
    expect(empty.map((r) => r.text).join()).to.contain('没有收到文字内容');
    const missing = await h.say('bad-1', 'u-lihua', {});
    expect(missing.map((r) => r.text).join()).to.contain('没有收到文字内容');
  });

  it('reads only the start of a long message and says so, and refuses an absurd one with 413', async () => {
    const absurd = await post(
      JSON.stringify({
        type: 'message',
        text: '很'.repeat(DEFAULT_GUARD_LIMITS.maxTextChars + 1),
        from: { id: 'u-lihua' },
        conversation: { id: 'bad-2' },
        recipient: { id: 'kefu' },
        channelId: 'test',
        serviceUrl: 'http://127.0.0.1:9/',
      }),
    );
    expect(absurd.status).to.equal(413);
    expect(((await absurd.json()) as { message: string }).message).to.contain(
      `at most ${DEFAULT_GUARD_LIMITS.maxTextChars}`,
    );
    const replies = await h.say('bad-2', 'u-lihua', { text: `洗发水瓶子破了，漏了一箱。${'很'.repeat(10_000)}` });
    expect(replies[0]?.text).to.contain('只读取了前 2000 个字');
    expect(replies.some((r) => r.channelData?.prompt?.slot === 'order_id')).to.equal(true);
  });

  it('ignores unknown activity types without an error', async () => {
    expect(await h.say('bad-3', 'u-lihua', { type: 'somethingNew', text: undefined })).to.deep.equal([]);
    expect(await h.say('bad-3', 'u-lihua', { type: 'typing' })).to.deep.equal([]);
  });

  it("refuses an unknown order id and another shopper's order, and keeps asking", async () => {
    await h.say('bad-4', 'u-lihua', { text: '草莓烂了' });
    const unknown = await h.say('bad-4', 'u-lihua', { text: '999999999999999999' });
    expect(unknown.map((r) => r.text).join()).to.contain('没有找到订单 999999999999999999');
    expect(unknown.at(-1)?.channelData?.prompt?.slot).to.equal('order_id');
    const foreign = await h.say('bad-4', 'u-lihua', { text: '326547382910111213' }); // 陈静's strawberries
    expect(foreign.map((r) => r.text).join()).to.contain('不在您的账户下');
    const mine = await h.say('bad-4', 'u-lihua', { text: '326547382910564738' });
    // The shopper's own order opens the case: the first question is the item photo (nothing suggested harm).
    expect(mine.at(-1)?.channelData?.prompt?.slot).to.equal('photo_item');
  });

  it('keeps collected evidence when the shopper sends junk mid-way', async () => {
    await h.say('bad-5', 'u-lihua', { text: '洗发水漏了 284716350192837465' });
    await h.say('bad-5', 'u-lihua', {
      attachments: [
        {
          contentType: 'image/png',
          contentUrl:
            'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
        },
      ],
    });
    const junk = await h.say('bad-5', 'u-lihua', {
      attachments: [{ contentType: 'image/png', contentUrl: 'http://169.254.169.254/latest/meta-data' }],
    });
    expect(junk.map((r) => r.text).join()).to.contain('没有接收成功');
    const [stored] = await h.app.stores.cases
      .list({ shopperId: 'u-lihua' })
      .then((cs) => cs.filter((c) => c.conversationId === 'bad-5'));
    expect(stored?.evidence.map((e) => e.kind)).to.deep.equal(['photo_item']);
  });
});
