/**
 * What a turn costs in botbuilder-dialogs' own work, counted rather than timed (timings live in
 * `npm run bench -- conversation`): every DialogContext builds a DialogStateManager, the largest
 * per-step cost of the SDK, and the memory scopes behind them need building only once.
 */
import { ComponentRegistration } from 'botbuilder';
import { DialogsComponentRegistration } from 'botbuilder-dialogs/lib/dialogsComponentRegistration.js';
import { expect } from 'chai';
import { PNG_1X1, startHarness, type Harness } from '../support/kefuHarness.js';

const photo = { contentType: 'image/png', contentUrl: `data:image/png;base64,${PNG_1X1.toString('base64')}` };

/** Counts calls of `owner[name]` while `run` runs. */
async function counting<T extends object>(owner: T, name: keyof T, run: () => Promise<void>): Promise<number> {
  const original = owner[name] as (...args: unknown[]) => unknown;
  let calls = 0;
  (owner as Record<keyof T, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
    calls++;
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    (owner as Record<keyof T, unknown>)[name] = original;
  }
  return calls;
}

describe('turn cost in dialog contexts', function () {
  this.timeout(30_000);
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h?.close());

  it('a first complaint naming its order and item builds three dialog contexts', async () => {
    // Stack after the turn: complaint → evidence → the slot's prompt. One context for the turn and
    // one per waterfall step run: the complaint's two (order known, so straight on to opening the
    // case). The evidence round is a plain dialog: it asks in the turn's context.
    const contexts = await counting(ComponentRegistration, 'add', async () => {
      const replies = await h.say('cost-first', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱 284716350192837465' });
      expect(replies.map((r) => r.text).join('\n')).to.contain('已为您创建工单');
    });
    expect(contexts).to.equal(3);
  });

  it('an answer during evidence collection builds only the turn’s own dialog context', async () => {
    await h.say('cost-answer', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱 284716350192837465' });
    const contexts = await counting(ComponentRegistration, 'add', async () => {
      const replies = await h.say('cost-answer', 'u-lihua', { attachments: [photo] });
      expect(replies.map((r) => r.text).join('\n')).to.contain('已收到商品照片');
    });
    expect(contexts).to.equal(1);
  });

  it('a first message naming only the product still goes through the order question', async () => {
    const replies = await h.say('cost-ask', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    expect(replies.map((r) => r.text)).to.deep.equal(['是这笔订单吗？海飞丝去屑洗发水 750ml（11-30）']);
  });

  it('builds the memory scopes once, not on every turn', async () => {
    const builds = await counting(DialogsComponentRegistration.prototype, 'getMemoryScopes', async () => {
      for (const text of ['洗发水瓶子破了，漏了一箱 284716350192837465', '跳过', '跳过'])
        await h.say('cost-scopes', 'u-lihua', { text });
    });
    expect(builds).to.be.at.most(1);
  });
});
