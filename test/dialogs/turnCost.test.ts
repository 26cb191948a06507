/**
 * What a turn costs in botbuilder-dialogs' own work, counted rather than timed (timings live in
 * `npm run bench -- conversation`): every DialogContext builds a DialogStateManager, the largest
 * per-step cost of the SDK, and the memory scopes behind them need building only once. kefu's
 * long-lived dialogs are plain Dialogs for that reason; a conversation saved while they were
 * waterfalls goes on.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { ComponentRegistration } from 'botbuilder';
import { DialogsComponentRegistration } from 'botbuilder-dialogs/lib/dialogsComponentRegistration.js';
import { expect } from 'chai';
import { SQLITE_FILE_NAME } from '../../bot/store/index.js';
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

  it('every turn of a complaint, first message to accepted remedy, builds only the turn’s own dialog context', async () => {
    // The complaint, its evidence round and the remedy are plain dialogs that run in the turn's
    // context; a waterfall builds one more for each step it runs (a first turn took six).
    const script: [Record<string, unknown>, string][] = [
      [{ text: '洗发水瓶子破了，漏了一箱 284716350192837465' }, '已为您创建工单'],
      [{ attachments: [photo] }, '已收到商品照片'],
      [{ text: '跳过' }, '好的，跳过'],
      [{ text: '跳过' }, '好的，跳过'],
      [{ text: '还没联系商家' }, '处理方案'],
      [{ text: '接受' }, '方案已确认'],
    ];
    const contexts: number[] = [];
    for (const [body, expected] of script)
      contexts.push(
        await counting(ComponentRegistration, 'add', async () => {
          const replies = await h.say('cost-turns', 'u-lihua', body);
          expect(JSON.stringify(replies)).to.contain(expected);
        }),
      );
    expect(contexts).to.deep.equal([1, 1, 1, 1, 1, 1]);
  });

  it('the order question and its answer build only the turn’s own dialog context too', async () => {
    const asked = await counting(ComponentRegistration, 'add', async () => {
      const replies = await h.say('cost-ask', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
      expect(replies.map((r) => r.text)).to.deep.equal(['是这笔订单吗？海飞丝去屑洗发水 750ml（11-30）']);
    });
    const answered = await counting(ComponentRegistration, 'add', async () => {
      const replies = await h.say('cost-ask', 'u-lihua', { text: '是的' });
      expect(JSON.stringify(replies)).to.contain('已为您创建工单');
    });
    expect([asked, answered]).to.deep.equal([1, 1]);
  });

  it('a greeting, and a clarifying question and its answer, build only the turn’s own dialog context', async () => {
    const turns: [string, string, Record<string, unknown>, string][] = [
      ['cost-hello', 'u-lihua', { text: '你好' }, '您好'],
      ['cost-unsure', 'u-zhangwei', { text: '东西有点问题' }, '哪种问题'],
      ['cost-unsure', 'u-zhangwei', { text: '包装或商品破损' }, 'order_id'],
    ];
    const contexts: number[] = [];
    for (const [conversation, shopper, body, expected] of turns)
      contexts.push(
        await counting(ComponentRegistration, 'add', async () => {
          expect(JSON.stringify(await h.say(conversation, shopper, body))).to.contain(expected);
        }),
      );
    expect(contexts).to.deep.equal([1, 1, 1]);
  });

  it('goes on with a clarifying question saved while the main dialog was a waterfall', async () => {
    await h.say('cost-unsure-saved', 'u-zhangwei', { text: '东西有点问题' });
    rewriteStack(h, '/cost-unsure-saved/', 'mainDialog', (state) => ({
      values: { instanceId: 'saved', ...(state.values as object) },
      stepIndex: 0,
    }));
    const replies = await h.say('cost-unsure-saved', 'u-zhangwei', { text: '包装或商品破损' });
    expect(JSON.stringify(replies)).to.contain('order_id');
  });

  it('goes on with an order question saved while the order dialog was a waterfall', async () => {
    await h.say('cost-order-saved', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    rewriteStack(h, '/cost-order-saved/', 'orderDialog', (state) => {
      expect(state.asked).to.equal('order');
      // As the waterfall saved it: waiting in its first step (the order question).
      return { options: state.options, values: { instanceId: 'saved' }, stepIndex: 0 };
    });
    const replies = await h.say('cost-order-saved', 'u-lihua', { text: '是的' });
    expect(JSON.stringify(replies)).to.contain('已为您创建工单');
    // The item question, saved in the waterfall's third step with the order in its values.
    await h.say('cost-item-saved', 'u-wangfang', { text: '零食过期了，订单301928374650112233' });
    rewriteStack(h, '/cost-item-saved/', 'orderDialog', (state) => {
      expect(state.asked).to.equal('item');
      return { options: state.options, values: { instanceId: 'saved', order: state.order }, stepIndex: 2 };
    });
    // "The second one" is the second item here; read as an answer to the order question it would be an order.
    const item = await h.say('cost-item-saved', 'u-wangfang', { text: '第二个' });
    expect(JSON.stringify(item)).to.contain('已为您创建工单').and.contain('海苔');
  });

  it('goes on with a complaint saved while it was a waterfall (a step index, no stage)', async () => {
    const opened = await h.say('cost-saved', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱 284716350192837465' });
    const caseId = /KF\d{4}-[0-9A-Z]{6}/.exec(opened[0]?.text ?? '')?.[0];
    expect(caseId).to.be.a('string');
    rewriteStack(h, '/cost-saved/', 'complaintDialog', (state) => {
      expect(state.stage).to.equal('evidence');
      // As the waterfall saved it: waiting in its second step (the evidence round).
      return { options: state.options, values: { instanceId: 'saved' }, stepIndex: 1 };
    });
    await h.say('cost-saved', 'u-lihua', { attachments: [photo] });
    await h.say('cost-saved', 'u-lihua', { text: '跳过' });
    await h.say('cost-saved', 'u-lihua', { text: '跳过' });
    const remedy = await h.say('cost-saved', 'u-lihua', { text: '还没联系商家' });
    expect(JSON.stringify(remedy)).to.contain('处理方案').and.contain(caseId!);
  });

  it('builds the memory scopes once, not on every turn', async () => {
    const builds = await counting(DialogsComponentRegistration.prototype, 'getMemoryScopes', async () => {
      for (const text of ['洗发水瓶子破了，漏了一箱 284716350192837465', '跳过', '跳过'])
        await h.say('cost-scopes', 'u-lihua', { text });
    });
    expect(builds).to.be.at.most(1);
  });
});

/** Rewrites the saved state of dialog `id` on the stack of the conversation whose key ends in `key`. */
function rewriteStack(
  h: Harness,
  key: string,
  id: string,
  rewrite: (state: Record<string, unknown>) => Record<string, unknown>,
): void {
  const db = new Database(path.join(h.dataDir, SQLITE_FILE_NAME));
  try {
    const row = db.prepare('SELECT key, data FROM state WHERE key LIKE ?').get(`%${key}`) as {
      key: string;
      data: string;
    };
    const state = JSON.parse(row.data) as {
      dialogs: { dialogStack: { id: string; state: Record<string, unknown> }[] };
    };
    const dialog = state.dialogs.dialogStack.find((d) => d.id === id)!;
    dialog.state = rewrite(dialog.state);
    db.prepare('UPDATE state SET data = ? WHERE key = ?').run(JSON.stringify(state), row.key);
  } finally {
    db.close();
  }
}
