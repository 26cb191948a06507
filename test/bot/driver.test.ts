/**
 * An automated driver holds whole conversations over HTTP (`/api/messages`, `expectReplies`)
 * reading only the machine-readable channelData: it answers each `prompt` by its slot and kind,
 * never by parsing prose, until the bot proposes a remedy (`triage`).
 */
import { expect } from 'chai';
import { PNG_1X1, dataUrlAttachment, startHarness, type Harness, type Reply } from '../support/kefuHarness.js';

type Answers = Record<string, unknown>;

async function drive(
  h: Harness,
  conversation: string,
  shopper: string,
  opening: string,
  answers: Answers,
): Promise<{ triage: Record<string, unknown>; prompts: string[] }> {
  const prompts: string[] = [];
  let replies = await h.say(conversation, shopper, { text: opening });
  for (let turn = 0; turn < 20; turn++) {
    const triage = replies.find((r) => r.channelData?.triage)?.channelData?.triage as
      | Record<string, unknown>
      | undefined;
    if (triage) return { triage, prompts };
    const prompt = [...replies].reverse().find((r: Reply) => r.channelData?.prompt)?.channelData?.prompt as
      | { slot: string; kind: string; choices?: string[] }
      | undefined;
    if (!prompt) throw new Error(`no prompt and no triage in ${JSON.stringify(replies)}`);
    prompts.push(prompt.slot);
    const given = answers[prompt.slot];
    if (prompt.kind === 'attachment')
      replies = await h.say(
        conversation,
        shopper,
        given === 'skip'
          ? { text: 'skip' }
          : { attachments: [dataUrlAttachment(PNG_1X1, 'image/png', `${prompt.slot}.png`)] },
      );
    else if (prompt.slot === 'order_id') replies = await h.say(conversation, shopper, { text: String(given) });
    else if (
      prompt.kind === 'choice' ||
      prompt.kind === 'confirm' ||
      prompt.kind === 'number' ||
      prompt.kind === 'date'
    ) {
      const value = given ?? prompt.choices?.[0];
      replies = await h.say(conversation, shopper, { value: { [prompt.slot]: value } });
    } else throw new Error(`driver cannot answer ${JSON.stringify(prompt)}`);
  }
  throw new Error('conversation did not reach a proposal in 20 turns');
}

describe('automated driver over HTTP, channelData only', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.close());

  it('settles a fresh-produce complaint: 30% spoiled strawberries → 30% partial refund', async () => {
    const { triage, prompts } = await drive(h, 'drv-1', 'u-lihua', 'strawberries arrived mouldy', {
      order_id: '326547382910564738',
      unboxing_video: 'skip',
      affected_ratio: 0.3,
      // On the scale: the full kilo, so no weight claim and no scale photo is asked for.
      measured_weight: 1000,
      merchant_response: 'not_contacted',
    });
    expect(prompts).to.deep.equal([
      'order_id',
      'photo_item',
      'unboxing_video',
      'affected_ratio',
      'measured_weight',
      'merchant_response',
    ]);
    expect(triage).to.include({
      complaint: 'fresh_produce_loss',
      remedy: 'partial_refund',
      refund_pct: 30,
      escalate: false,
    });
    const stored = await h.app.stores.cases.get(String(triage.caseId));
    expect(stored?.decision?.ruleId).to.equal(triage.ruleId);
    expect(stored?.decision?.tableHash).to.equal(h.app.rules.current().hash);
    expect(stored?.evidence.map((e) => e.kind)).to.deep.equal(['photo_item']);
  });

  it('escalates a size complaint the merchant refused, with the merchant paying return shipping', async () => {
    const { triage } = await drive(h, 'drv-2', 'u-chenjing', '桌子尺寸和描述不符', {
      order_id: '318273645501928374',
      listed_size: 120,
      measured_size: 90,
      merchant_response: 'refused',
      chat_with_merchant: 'skip',
    });
    expect(triage).to.include({
      complaint: 'size_mismatch',
      remedy: 'return_refund',
      return_shipping_paid_by: 'merchant',
      escalate: true,
    });
    const stored = await h.app.stores.cases.get(String(triage.caseId));
    expect(stored?.facts.size_deviation_pct).to.equal(25);
    expect(stored?.status).to.equal('escalated');
  });
});
