import { expect } from 'chai';
import { compensationAmount, parseTable } from '../../rules/index.js';
import { facts, row, table } from './helpers.js';

describe('rules: cells and decisions', () => {
  const t = parseTable(
    table(
      [
        row('R-RANGE', 'complaint: expired_food\nhours_since_delivery: "(7..30]"'),
        row('R-LIST', 'complaint: [damaged_packaging, size_mismatch]\nevidence: includes [photo_item, photo_package]'),
        row('R-ANY', 'complaint: damaged_packaging\nevidence: includes any [photo_item, photo_package]\nmerchant_response: not [agreed, not_contacted]'),
        row('R-NOT', 'complaint: size_mismatch\nevidence: excludes photo_package\norder_amount: ">= 100"'),
        row('R-ABSENT', 'complaint: expired_food\nhours_since_delivery: absent'),
        row('R-BARE', 'complaint: size_mismatch\nevidence: includes photo_package\nhours_since_delivery: [0..5]\norder_amount: "< 100"'),
      ],
      { hit: 'first' },
    ),
    't.yaml',
  );
  const id = (f: Parameters<typeof facts>[0]) => t.evaluate(facts(f)).ruleId;

  it('matches ranges with open and closed ends', () => {
    expect(id({ hours_since_delivery: 7 })).to.equal('DEFAULT');
    expect(id({ hours_since_delivery: 7.5 })).to.equal('R-RANGE');
    expect(id({ hours_since_delivery: 30 })).to.equal('R-RANGE');
    expect(id({ hours_since_delivery: 30.1 })).to.equal('DEFAULT');
  });

  it('matches lists as any of, includes as all of, includes any as some of', () => {
    expect(id({ complaint: 'size_mismatch', evidence: ['photo_package', 'photo_item'] })).to.equal('R-LIST');
    expect(id({ complaint: 'damaged_packaging', evidence: ['photo_item'], merchant_response: 'refused' })).to.equal('R-ANY');
    expect(id({ complaint: 'damaged_packaging', evidence: ['photo_item'], merchant_response: 'agreed' })).to.equal('DEFAULT');
  });

  it('matches not, excludes and comparisons', () => {
    expect(id({ complaint: 'size_mismatch', evidence: ['photo_item'], order_amount: 100 })).to.equal('R-NOT');
    expect(id({ complaint: 'size_mismatch', evidence: ['photo_item'], order_amount: 99 })).to.equal('DEFAULT');
  });

  it('accepts an unquoted [a..b] range', () => {
    expect(id({ complaint: 'size_mismatch', evidence: ['photo_package'], hours_since_delivery: 5, order_amount: 10 })).to.equal('R-BARE');
    expect(id({ complaint: 'size_mismatch', evidence: ['photo_package'], hours_since_delivery: 6, order_amount: 10 })).to.equal('DEFAULT');
  });

  it('matches an absent fact only with any or absent cells, never with a negated cell', () => {
    expect(id({})).to.equal('R-ABSENT');
    const neg = parseTable(table([row('N-1', 'hours_since_delivery: "not [0..10]"')]), 't.yaml');
    expect(neg.evaluate(facts({})).ruleId).to.equal('DEFAULT');
    expect(neg.evaluate(facts({ hours_since_delivery: 11 })).ruleId).to.equal('N-1');
  });

  it('computes Art. 148 tenfold compensation with the ¥1,000 minimum, percentages with caps', () => {
    expect(compensationAmount({ kind: 'tenfold_price', min: 1000 }, 12.5)).to.equal(1000);
    expect(compensationAmount({ kind: 'tenfold_price', min: 1000 }, 250.55)).to.equal(2505.5);
    expect(compensationAmount({ kind: 'pct_of_price', pct: 10, cap: 200 }, 3000)).to.equal(200);
    expect(compensationAmount({ kind: 'pct_of_price', pct: 10, cap: 200 }, 45)).to.equal(4.5);
    expect(compensationAmount({ kind: 'fixed', amount: 30 }, 1)).to.equal(30);
  });

  it('escalates a payout over the declared threshold while still proposing it', () => {
    const text = table([row('P-1', 'complaint: expired_food', '{ remedy: refund, compensation: { kind: tenfold_price, min: 1000 }, escalate: false }')]).replace(
      'rules:\n',
      "large_payout: { over: 1000, priority: 1, explain: { zh-CN: '需人工审核', en: 'needs approval' } }\nrules:\n",
    );
    const p = parseTable(text, 't.yaml');
    const small = p.evaluate(facts({ order_amount: 80 }));
    expect(small).to.include({ remedy: 'refund', escalate: false, compensation_amount: 1000 });
    const large = p.evaluate(facts({ order_amount: 101 }));
    expect(large).to.include({ remedy: 'refund', escalate: true, escalate_reason: 'large_payout', priority: 1, compensation_amount: 1010 });
    expect(large.explain.en).to.contain('needs approval');
  });

  it('hashes the table text: a different text gives a different hash', () => {
    const a = parseTable(table([row('H-1', 'complaint: expired_food')]), 't.yaml');
    const b = parseTable(table([row('H-1', 'complaint: size_mismatch')]), 't.yaml');
    expect(a.hash).to.not.equal(b.hash);
    expect(a.evaluate(facts({})).tableHash).to.equal(a.hash);
  });

  it('explains why each earlier row did not match', () => {
    const { decision, rows } = t.explainMiss(facts({ complaint: 'size_mismatch', evidence: ['photo_item'], order_amount: 120 }));
    expect(decision.ruleId).to.equal('R-NOT');
    expect(rows.map((r) => r.ruleId)).to.deep.equal(['R-RANGE', 'R-LIST', 'R-ANY']);
    expect(rows[1]!.failed).to.deep.equal([{ condition: 'evidence includes [photo_item, photo_package]', found: 'photo_item' }]);
  });
});
