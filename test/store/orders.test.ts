/**
 * data/orders.yaml cross-checked: every category and every shopper tier is there to try, every
 * order's shopper exists, relative times resolve against load time, and mistakes are reported
 * with file:line:col.
 */
import { expect } from 'chai';
import path from 'node:path';
import { DataFileError, YamlOrderSource } from '../../bot/store/index.js';
import { CATEGORIES, MEMBER_TIERS } from '../../rules/facts.js';
import { formatProblem } from '../../lib/dataFile.js';

const FILE = path.resolve('data/orders.yaml');
const NOW = new Date('2026-11-11T12:00:00.000Z');
const HOUR = 3_600_000;

function problems(source: string): string[] {
  try {
    YamlOrderSource.fromText('orders.yaml', source, NOW);
  } catch (err) {
    if (err instanceof DataFileError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

const SHOPPER = 'shoppers:\n  - { id: u1, name: A, tier: vip, priorClaims90d: 0 }\n';

describe('data/orders.yaml', () => {
  const source = YamlOrderSource.load(FILE, NOW);

  it('has at least one order in every category of the contract', () => {
    const seen = new Set(source.orders.flatMap((o) => o.items.map((i) => i.category)));
    expect([...CATEGORIES].filter((c) => !seen.has(c))).to.deep.equal([]);
  });

  it('has shoppers of every member tier, each with orders, and every order belongs to a listed shopper', async () => {
    expect(new Set(source.shoppers.map((s) => s.tier))).to.have.keys(...MEMBER_TIERS);
    for (const order of source.orders)
      expect(await source.getShopper(order.shopperId), order.id).to.not.equal(undefined);
    for (const shopper of source.shoppers) expect(await source.ordersOf(shopper.id), shopper.id).to.not.be.empty;
  });

  it('uses 18-digit order ids, distinct, and an expiry date on every order with food', () => {
    expect(new Set(source.orders.map((o) => o.id)).size).to.equal(source.orders.length);
    for (const o of source.orders) {
      expect(o.id).to.match(/^\d{18}$/);
      if (o.items.some((i) => i.category === 'food')) expect(o.expiresOn, o.id).to.match(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('has the goods the stories need, with deliveries on both sides of the fresh-produce windows', () => {
    const names = source.orders.flatMap((o) => o.items.map((i) => i.name)).join(' ');
    for (const goods of ['洗发水', '洗衣液', '牛奶', '薯条', '餐桌', '收纳箱', '草莓', '白虾', '大闸蟹'])
      expect(names).to.contain(goods);
    const crabHours = source.orders
      .filter((o) => o.items.some((i) => i.name.includes('大闸蟹')) && o.deliveredAt)
      .map((o) => (NOW.getTime() - Date.parse(o.deliveredAt!)) / HOUR);
    expect(crabHours.some((h) => h < 12)).to.equal(true);
    expect(crabHours.some((h) => h > 12)).to.equal(true);
    expect(source.orders.some((o) => o.deliveredAt === undefined)).to.equal(true);
  });

  it('resolves relative times against load time and sums the items when no amount is given', async () => {
    const shampoo = (await source.getOrder('284716350192837465'))!;
    expect(shampoo.deliveredAt).to.equal(new Date(NOW.getTime() - 5 * HOUR).toISOString());
    expect(shampoo.amount).to.equal(119.8);
    const table = (await source.getOrder('318273645501928374'))!;
    expect(table.amount).to.equal(369);
    const milk = (await source.getOrder('301928374650445566'))!;
    expect(milk.expiresOn).to.equal('2026-11-09');
  });
});

describe('orders file validation', () => {
  it('keeps an unquoted 18-digit order id exact', () => {
    const src = `${SHOPPER}orders:\n  - id: 999999999999999999\n    shopper: u1\n    placed: -1d\n    items: [{ sku: A, name: a, category: home, price: 1 }]\n`;
    expect(YamlOrderSource.fromText('orders.yaml', src, NOW).orders[0]!.id).to.equal('999999999999999999');
  });

  it('names file, line and column of each mistake, all at once', () => {
    const src = [
      SHOPPER.trimEnd(),
      'orders:',
      '  - id: "12345"',
      '    shopper: u-nobody',
      '    placed: yesterday',
      '    items:',
      '      - { sku: A, name: a, category: frsh, price: 1 }',
      '',
    ].join('\n');
    const found = problems(src);
    expect(found).to.include(
      "orders.yaml:4:9: order id '12345' is not valid (expected 18 digits, like a Taobao order number)",
    );
    expect(found.some((p) => p.startsWith('orders.yaml:6:13: ') && p.includes("'yesterday' is not a time"))).to.equal(
      true,
    );
    expect(
      found.some(
        (p) => p.startsWith('orders.yaml:8:38: ') && p.includes("category is 'frsh' (expected one of food, fresh"),
      ),
    ).to.equal(true);
  });

  it('refuses an order of an unknown shopper, food without expiresOn, and a delivery before the order', () => {
    const src = `${SHOPPER}orders:\n  - id: "111111111111111111"\n    shopper: u2\n    placed: -1d\n    delivered: -2d\n    items: [{ sku: M, name: milk, category: food, price: 5 }]\n`;
    const found = problems(src).join('\n');
    expect(found).to.contain("shopper 'u2' is not listed under shoppers");
    expect(found).to.contain('has food items but no expiresOn');
    expect(found).to.contain('delivered is before placed');
  });

  it('reports YAML syntax errors with their position', () => {
    const found = problems('shoppers: [\n  { id: u1\n');
    expect(found[0]).to.match(/^orders\.yaml:\d+:\d+: /);
  });
});
