/**
 * The fact producers: what the order source and the shopper's answers turn into rule inputs.
 * Money is what was paid for the affected item, expiry is judged on the delivery date, and an
 * order in transit is not delivered.
 */
import { expect } from 'chai';
import path from 'node:path';
import { YamlOrderSource } from '../../bot/store/yamlOrderSource.js';
import { baseFacts } from '../../dialogs/openCase.js';
import { applyAnswer, type EvidenceOptions } from '../../dialogs/evidenceDialog.js';
import type { KefuServices } from '../../dialogs/services.js';
import { ROOT } from '../support/kefuHarness.js';

const NOW = new Date('2026-11-30T04:00:00Z');
const orders = YamlOrderSource.load(path.join(ROOT, 'data', 'orders.yaml'), NOW);
const services = { orders, now: () => NOW } as unknown as KefuServices;

async function factsOf(orderId: string, sku: string, complaint: Parameters<typeof baseFacts>[1] = 'quality_defect') {
  const order = (await orders.getOrder(orderId))!;
  return baseFacts(services, complaint, order, order.items.find((i) => i.sku === sku)!);
}

function options(o: Partial<EvidenceOptions>): EvidenceOptions {
  return { caseId: 'KF-1', complaint: 'expired_food', category: 'food', facts: {}, evidence: [], answers: {}, ...o };
}

describe('fact producers', () => {
  it('sets order_amount to what was paid for the item: an order coupon shared pro rata, an item discount', async () => {
    // The table lists at ¥399; the shopper paid ¥369 with a coupon.
    expect((await factsOf('318273645501928374', 'TBL-120-60', 'size_mismatch')).order_amount).to.equal(369);
    // ¥49.9 detergent bought for ¥39.9; the order's other items are not part of the claim.
    expect((await factsOf('284716350192901122', 'BM-3KG')).order_amount).to.equal(39.9);
    // Two bottles at the paid price.
    expect((await factsOf('301928374650990011', 'BRIGHT-950', 'expired_food')).order_amount).to.equal(33.6);
  });

  it('says whether the order was delivered, and when, and passes on shelf life, net content and frozen goods', async () => {
    const transit = await factsOf('343152637480129384', 'DELI-A5-10', 'logistics');
    expect(transit.delivered).to.equal(false);
    expect(transit).to.not.have.property('hours_since_delivery');
    const milk = await factsOf('301928374650990011', 'BRIGHT-950', 'expired_food');
    expect(milk).to.include({
      delivered: true,
      hours_since_delivery: 216,
      shelf_life_days: 15,
      net_content_nominal: 950,
    });
    expect(await factsOf('326547382910223344', 'EC-SHRIMP-2KG', 'fresh_produce_loss')).to.include({
      thawed: false,
      live_goods: false,
    });
  });

  it('counts days_past_expiry from the delivery date, not from today', () => {
    const deliveredAt = '2026-11-20T10:00:00Z';
    const expiredBefore = applyAnswer(
      options({ deliveredAt }),
      'expiry_date',
      { type: 'value', value: '2026-11-18', display: '2026-11-18' },
      NOW,
    );
    expect(expiredBefore.facts.days_past_expiry).to.equal(2);
    // Expired in the shopper's cupboard: it had 5 days left on arrival (today it is 5 days past).
    const expiredAfter = applyAnswer(
      options({ deliveredAt }),
      'expiry_date',
      { type: 'value', value: '2026-11-25', display: '2026-11-25' },
      NOW,
    );
    expect(expiredAfter.facts.days_past_expiry).to.equal(-5);
  });

  it('derives the net-content shortfall from the scale reading and the nominal quantity', () => {
    const o = options({ complaint: 'size_mismatch', category: 'daily_chemical', facts: { net_content_nominal: 750 } });
    const short = applyAnswer(o, 'measured_weight', { type: 'value', value: 734, display: '734 g' }, NOW);
    expect(short.facts).to.include({ net_content_shortfall: 16, weight_shortfall_pct: 2.13 });
    const over = applyAnswer(o, 'measured_weight', { type: 'value', value: 760, display: '760 g' }, NOW);
    expect(over.facts).to.include({ net_content_shortfall: 0, weight_shortfall_pct: 0 });
    expect(
      applyAnswer(o, 'health_harm', { type: 'value', value: true, display: 'yes' }, NOW).facts.health_harm,
    ).to.equal(true);
  });
});
