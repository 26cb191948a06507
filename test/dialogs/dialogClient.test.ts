/**
 * Dialogs one at a time, in process, with botbuilder-testing's DialogTestClient: fast tests of
 * the dialog logic (reading answers typed as shoppers type them, re-asking, giving up, results
 * handed back) on the real data files, rule table, order source and an in-memory case store.
 * The transcripts in transcripts/ test the same dialogs together, over HTTP.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { ComponentDialog, type Dialog } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { Controls } from '../../domain/controls.js';
import { loadEvidencePlan, type SlotName } from '../../domain/evidencePlan.js';
import { Responses } from '../../domain/responses.js';
import { SqliteCaseStore } from '../../bot/store/sqliteCaseStore.js';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import { YamlOrderSource } from '../../bot/store/yamlOrderSource.js';
import { ORDER_PROMPTS, OrderDialog, type OrderResult } from '../../dialogs/orderDialog.js';
import { REMEDY_PROMPTS, RemedyDialog, type RemedyResult } from '../../dialogs/remedyDialog.js';
import { setLang } from '../../dialogs/reply.js';
import type { KefuServices } from '../../dialogs/services.js';
import { SlotPrompt, type SlotAnswer } from '../../dialogs/slotPrompt.js';
import { extractEntities, loadClassifier } from '../../intents/index.js';
import type { Lang } from '../../intents/labels.js';
import type { Facts } from '../../rules/facts.js';
import { loadTable } from '../../rules/index.js';
import { ROOT } from '../support/kefuHarness.js';

const data = (f: string) => path.join(ROOT, 'data', f);
const NOW = new Date('2026-11-30T08:00:00Z');

/** The services the dialogs use, from the shipped data; intake and handoff are never reached by these dialogs. */
function services(): KefuServices {
  const table = loadTable(data('rules.yaml'));
  const unused = (what: string) => () => Promise.reject(new Error(`${what} is not used by the dialogs under test`));
  return {
    classifier: loadClassifier(),
    rules: { evaluate: (facts) => table.evaluate(facts) },
    orders: YamlOrderSource.load(data('orders.yaml')),
    cases: new SqliteCaseStore(openSqlite(':memory:')),
    intake: { maxBytes: 10 * 1024 * 1024, take: unused('evidence intake') },
    handoff: { escalate: unused('handoff') },
    responses: Responses.load(data('responses.yaml')),
    controls: Controls.load(data('controls.yaml')),
    plan: loadEvidencePlan(data('evidence.yaml')),
    extract: extractEntities,
    now: () => NOW,
  };
}

/** A dialog with the prompts it calls, as the flat DialogSet of kefuDialogs.ts holds them. */
class WithPrompts extends ComponentDialog {
  constructor(dialog: Dialog, prompts: Dialog[]) {
    super(`test-${dialog.id}`);
    this.addDialog(dialog);
    for (const p of prompts) this.addDialog(p);
    this.initialDialogId = dialog.id;
  }
}

const inLang = (lang: Lang): Middleware => ({
  onTurn: async (context: TurnContext, next) => {
    setLang(context, lang);
    await next();
  },
});

type Reply = Partial<Activity> & {
  channelData?: { prompt?: { slot: string; choices?: string[] }; triage?: Record<string, unknown> };
};

/** Every reply to one message, in order. */
async function say(client: DialogTestClient, activity: Partial<Activity> | string): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (
    let reply = (await client.sendActivity(activity)) as Reply | undefined;
    reply;
    reply = client.getNextReply() as Reply | undefined
  )
    replies.push(reply);
  return replies;
}

describe('dialogs in isolation (DialogTestClient)', function () {
  this.timeout(20_000);
  let s: KefuServices;
  before(() => (s = services()));

  describe('slotPrompt reads answers as shoppers type them', () => {
    async function answer(
      slot: SlotName,
      ...messages: string[]
    ): Promise<{ answer: SlotAnswer | undefined; replies: Reply[][] }> {
      const client = new DialogTestClient(
        'test',
        new SlotPrompt(s),
        { slot, spec: s.plan.slots[slot], optional: false },
        [inLang('zh-CN')],
      );
      const replies: Reply[][] = [];
      for (const m of messages) replies.push(await say(client, m));
      return { answer: client.dialogTurnResult.result as SlotAnswer | undefined, replies };
    }
    const slotValue = async (slot: SlotName, text: string) => (await answer(slot, '开始', text)).answer;

    it('asks with the machine-readable prompt first', async () => {
      const { replies } = await answer('affected_ratio', '开始');
      expect(replies[0]!.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'affected_ratio', kind: 'number' });
    });

    it('reads a share: 一半, 3/6, 30%, a bare 40', async () => {
      expect(await slotValue('affected_ratio', '大概坏了一半')).to.deep.include({ type: 'value', value: 0.5 });
      expect(await slotValue('affected_ratio', '6个里有3个坏了 3/6')).to.deep.include({ type: 'value', value: 0.5 });
      expect(await slotValue('affected_ratio', '30%')).to.deep.include({ type: 'value', value: 0.3, display: '30%' });
      expect(await slotValue('affected_ratio', '40')).to.deep.include({ type: 'value', value: 0.4 });
    });

    it('reads a size in centimetres from metres, millimetres or a bare number', async () => {
      expect(await slotValue('measured_size', '量了一下只有1.1米')).to.deep.include({ type: 'value', value: 110 });
      expect(await slotValue('measured_size', '550mm')).to.deep.include({ type: 'value', value: 55 });
      expect(await slotValue('measured_size', '112')).to.deep.include({ type: 'value', value: 112 });
    });

    it('reads how long the merchant has been silent, in hours', async () => {
      expect(await slotValue('merchant_reply_hours', '两天了')).to.deep.include({ type: 'value', value: 48 });
      expect(await slotValue('merchant_reply_hours', '3 days')).to.deep.include({ type: 'value', value: 72 });
      expect(await slotValue('merchant_reply_hours', '36小时')).to.deep.include({ type: 'value', value: 36 });
    });

    it("reads the merchant's answer from a button title in either language or from the shopper's words", async () => {
      expect(await slotValue('merchant_response', '商家拒绝了')).to.deep.include({ type: 'value', value: 'refused' });
      expect(await slotValue('merchant_response', s.responses.t('en', 'merchant_response.no_reply'))).to.deep.include({
        type: 'value',
        value: 'no_reply',
      });
      expect(await slotValue('merchant_response', '2')).to.deep.include({ type: 'value', value: 'agreed' });
      expect(await slotValue('merchant_response', '卖家说不管')).to.deep.include({ type: 'value', value: 'refused' });
      expect(await slotValue('merchant_response', 'seller never replied')).to.deep.include({
        type: 'value',
        value: 'no_reply',
      });
    });

    it('reads a date from the label', async () => {
      expect(await slotValue('expiry_date', '保质期到2026-11-20')).to.deep.include({
        type: 'value',
        value: '2026-11-20',
      });
    });

    it('re-asks with the reason, then gives up after three answers that do not fit', async () => {
      // "不知道怎么说" asks how to answer: explained, and not counted as an answer that does not fit.
      const { answer: result, replies } = await answer(
        'affected_ratio',
        '开始',
        '150%',
        '不知道怎么说',
        '烂了不少',
        '好多',
      );
      expect(replies[1]!.map((r) => r.text)).to.include(s.responses.t('zh-CN', 'reask.out_of_range', { value: '1.5' }));
      expect(replies[1]!.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'affected_ratio' });
      expect(replies[2]![0]!.text).to.equal(s.responses.t('zh-CN', 'slot_help.number'));
      expect(replies[2]!.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'affected_ratio' });
      expect(replies[3]![0]!.text).to.equal(s.responses.t('zh-CN', 'reask.number', { example: '30%' }));
      expect(replies[4]!.map((r) => r.text)).to.deep.equal([s.responses.t('zh-CN', 'reask.gave_up')]);
      expect(result).to.deep.equal({ type: 'missing' });
    });
  });

  describe('orderDialog', () => {
    const start = (shopperId: string, mentioned: string[] = []) =>
      new DialogTestClient('test', new WithPrompts(new OrderDialog(s), ORDER_PROMPTS), { shopperId, mentioned }, [
        inLang('zh-CN'),
      ]);

    it('takes the order id from the first message without asking', async () => {
      const client = start('u-lihua', ['284716350192837465']);
      expect(await say(client, '洗发水漏了 284716350192837465')).to.deep.equal([]);
      const result = client.dialogTurnResult.result as OrderResult;
      expect([result.order.id, result.item.sku]).to.deep.equal(['284716350192837465', 'HS-750-2']);
    });

    it("refuses another shopper's order, lists the shopper's own, and takes a typed one", async () => {
      const client = start('u-zhangwei', ['301928374650112233']);
      const first = await say(client, '薯片过期了 301928374650112233');
      expect(first[0]!.text).to.equal(s.responses.t('zh-CN', 'order.not_yours', { orderId: '301928374650112233' }));
      expect(first[1]!.channelData?.prompt).to.deep.include({ slot: 'order_id', kind: 'choice' });
      expect(first[1]!.channelData?.prompt?.choices).to.include('284716350192901122');

      const item = await say(client, '订单号是284716350192901122');
      expect(item.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'item', choices: ['BM-3KG', 'BM-REFILL'] });
      await say(client, '蓝月亮洗衣液补充装 1kg');
      const result = client.dialogTurnResult.result as OrderResult;
      expect([result.order.id, result.item.sku]).to.deep.equal(['284716350192901122', 'BM-REFILL']);
    });

    it('gives up after three ids that are not found', async () => {
      const client = start('u-lihua');
      await say(client, '我的东西坏了');
      for (const id of ['111111111111111111', '222222222222222222']) {
        expect((await say(client, id))[0]!.text).to.equal(s.responses.t('zh-CN', 'order.not_found', { orderId: id }));
      }
      expect((await say(client, '333333333333333333')).map((r) => r.text)).to.deep.equal([
        s.responses.t('zh-CN', 'order.give_up'),
      ]);
      expect(client.dialogTurnResult.status).to.equal('complete');
      expect(client.dialogTurnResult.result).to.equal(undefined);
    });
  });

  describe('remedyDialog', () => {
    const SHAMPOO: Facts = {
      complaint: 'damaged_packaging',
      category: 'daily_chemical',
      evidence: ['photo_item', 'photo_package'],
      merchant_response: 'not_contacted',
      order_amount: 59.9,
      delivered: true,
      hours_since_delivery: 24,
      member_tier: 'svip',
      prior_claims_90d: 0,
    };

    async function openCase(lang: Lang = 'zh-CN'): Promise<string> {
      const c = await s.cases.create({
        shopperId: 'u-lihua',
        conversationId: `remedy-${Math.random()}`,
        channelId: 'test',
        locale: lang,
        orderId: '284716350192837465',
        complaint: 'damaged_packaging',
        facts: SHAMPOO,
        evidence: [],
        status: 'open',
      });
      return c.id;
    }
    const start = (caseId: string, channel = 'test', lang: Lang = 'zh-CN') =>
      new DialogTestClient(channel, new WithPrompts(new RemedyDialog(s), REMEDY_PROMPTS), { caseId, facts: SHAMPOO }, [
        inLang(lang),
      ]);

    it("proposes the rule table's remedy on a card and records an accept from the card", async () => {
      const caseId = await openCase();
      const client = start(caseId);
      const [card] = await say(client, '好的');
      expect(card!.attachments?.[0]?.contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(card!.channelData?.triage).to.deep.include({
        caseId,
        remedy: 'reship',
        ruleId: 'DMG-01',
        escalate: false,
      });
      expect((await s.cases.get(caseId))!.status).to.equal('proposed');

      const done = await say(client, { type: 'message', value: { action: 'accept', caseId } });
      expect(done.map((r) => r.text)).to.deep.equal([s.responses.t('zh-CN', 'remedy.accepted', { caseId })]);
      expect(client.dialogTurnResult.result).to.deep.equal({ outcome: 'accepted' } satisfies RemedyResult);
      expect((await s.cases.get(caseId))!.status).to.equal('accepted');
    });

    it('on a text channel, asks in words and takes a typed "no" as a decline for a person', async () => {
      const caseId = await openCase('en');
      const client = start(caseId, 'telegram', 'en');
      const proposal = await say(client, 'ok');
      expect(proposal[0]!.text).to.contain(caseId).and.contain('reship');
      expect(proposal.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'accept_remedy' });
      await say(client, 'no');
      expect(client.dialogTurnResult.result).to.deep.equal({
        outcome: 'escalate',
        reason: 'declined',
      } satisfies RemedyResult);
    });

    it('asks again on an unclear answer, and hands over after the third', async () => {
      const client = start(await openCase());
      await say(client, '嗯');
      for (let i = 0; i < 2; i++) {
        const again = await say(client, '让我想想');
        expect(again[0]!.text).to.equal(s.responses.t('zh-CN', 'reask.confirm'));
        expect(again.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'accept_remedy' });
      }
      await say(client, '再说吧');
      expect(client.dialogTurnResult.result).to.deep.equal({
        outcome: 'escalate',
        reason: 'declined',
      } satisfies RemedyResult);
    });
  });
});
