import { expect } from 'chai';
import { compensationAmount, parseTable, RuleTableError } from '../../rules/index.js';
import { facts, row, table } from './helpers.js';

describe('rules: cells and decisions', () => {
  const t = parseTable(
    table(
      [
        row('R-RANGE', 'complaint: expired_food\nhours_since_delivery: "(7..30]"'),
        row('R-LIST', 'complaint: [damaged_packaging, size_mismatch]\nevidence: includes [photo_item, photo_package]'),
        row(
          'R-ANY',
          'complaint: damaged_packaging\nevidence: includes any [photo_item, photo_package]\nmerchant_response: not [agreed, not_contacted]',
        ),
        row('R-NOT', 'complaint: size_mismatch\nevidence: excludes photo_package\norder_amount: ">= 100"'),
        row('R-ABSENT', 'complaint: expired_food\nhours_since_delivery: absent'),
        row(
          'R-BARE',
          'complaint: size_mismatch\nevidence: includes photo_package\nhours_since_delivery: [0..5]\norder_amount: "< 100"',
        ),
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
    expect(id({ complaint: 'damaged_packaging', evidence: ['photo_item'], merchant_response: 'refused' })).to.equal(
      'R-ANY',
    );
    expect(id({ complaint: 'damaged_packaging', evidence: ['photo_item'], merchant_response: 'agreed' })).to.equal(
      'DEFAULT',
    );
  });

  it('matches not, excludes and comparisons', () => {
    expect(id({ complaint: 'size_mismatch', evidence: ['photo_item'], order_amount: 100 })).to.equal('R-NOT');
    expect(id({ complaint: 'size_mismatch', evidence: ['photo_item'], order_amount: 99 })).to.equal('DEFAULT');
  });

  it('accepts an unquoted [a..b] range', () => {
    expect(
      id({ complaint: 'size_mismatch', evidence: ['photo_package'], hours_since_delivery: 5, order_amount: 10 }),
    ).to.equal('R-BARE');
    expect(
      id({ complaint: 'size_mismatch', evidence: ['photo_package'], hours_since_delivery: 6, order_amount: 10 }),
    ).to.equal('DEFAULT');
  });

  it('matches an absent fact only with any or absent cells, never with a negated cell', () => {
    expect(id({})).to.equal('R-ABSENT');
    const neg = parseTable(table([row('N-1', 'hours_since_delivery: "not [0..10]"')]), 't.yaml');
    expect(neg.evaluate(facts({})).ruleId).to.equal('DEFAULT');
    expect(neg.evaluate(facts({ hours_since_delivery: 11 })).ruleId).to.equal('N-1');
  });

  it('computes Art. 148 tenfold compensation with the ¥1,000 minimum, percentages with caps', () => {
    expect(compensationAmount({ kind: 'tenfold_price', label: 'statutory', min: 1000 }, 12.5)).to.equal(1000);
    expect(compensationAmount({ kind: 'tenfold_price', label: 'statutory', min: 1000 }, 250.55)).to.equal(2505.5);
    expect(compensationAmount({ kind: 'pct_of_price', label: 'goodwill', pct: 10, cap: 200 }, 3000)).to.equal(200);
    expect(compensationAmount({ kind: 'pct_of_price', label: 'goodwill', pct: 10, cap: 200 }, 45)).to.equal(4.5);
    expect(compensationAmount({ kind: 'fixed', label: 'goodwill', amount: 30 }, 1)).to.equal(30);
  });

  describe("approval by a person (the table's approval block)", () => {
    const APPROVAL =
      "approval: { payout_over: 100, repeat_claims_over: 3, priority: 2, explain: { zh-CN: '需人工审核', en: 'needs approval' } }\nrules:\n";
    const withApproval = (rows: string[]) => parseTable(table(rows).replace('rules:\n', APPROVAL), 't.yaml');

    it('pays goodwill at the threshold and sends one yuan over it to a person, without the amount in the text', () => {
      const p = withApproval([
        row(
          'G-1',
          'complaint: expired_food',
          '{ remedy: refund, compensation: { kind: pct_of_price, label: goodwill, pct: 10 }, escalate: false }',
        ),
      ]);
      const at = p.evaluate(facts({ order_amount: 1000 }));
      expect(at).to.include({ escalate: false, compensation_amount: 100 });
      expect(at.pending_approval).to.equal(undefined);
      const over = p.evaluate(facts({ order_amount: 1010 }));
      expect(over).to.include({
        remedy: 'refund',
        escalate: true,
        escalate_reason: 'large_payout',
        priority: 2,
        compensation_amount: 101,
      });
      expect(over.pending_approval).to.deep.equal(['large_payout']);
      expect(over.explain.en).to.contain('needs approval').and.not.contain('101');
    });

    it('always sends statutory compensation to a person, even the ¥1,000 minimum and without an approval block', () => {
      const rows = [
        row(
          'S-1',
          'complaint: expired_food',
          '{ remedy: refund, compensation: { kind: tenfold_price, label: statutory, min: 1000 }, escalate: false }',
        ),
      ];
      for (const p of [withApproval(rows), parseTable(table(rows), 't.yaml')]) {
        const d = p.evaluate(facts({ order_amount: 12 }));
        expect(d).to.include({
          escalate: true,
          escalate_reason: 'statutory_compensation',
          priority: 2,
          compensation_amount: 1000,
        });
        expect(d.pending_approval?.[0]).to.equal('statutory_compensation');
      }
    });

    it("sends every claim of a shopper over the repeat-claim limit to a person, keeping an urgent row's priority", () => {
      const p = withApproval([
        row('R-1', 'complaint: expired_food', '{ remedy: reship, escalate: false }'),
        row('R-2', 'complaint: damaged_packaging', '{ remedy: reject, escalate: false }'),
      ]);
      expect(p.evaluate(facts({ prior_claims_90d: 3 }))).to.include({ escalate: false });
      expect(p.evaluate(facts({ prior_claims_90d: 4 }))).to.include({
        escalate: true,
        escalate_reason: 'repeat_claimant',
        priority: 2,
      });
      expect(p.evaluate(facts({ complaint: 'damaged_packaging', prior_claims_90d: 9 }))).to.include({
        remedy: 'reject',
        escalate: false,
      });
      const urgent = withApproval([
        row(
          'U-1',
          'complaint: expired_food',
          '{ remedy: refund, escalate: true, priority: 1, escalate_reason: health_harm }',
        ),
      ]);
      expect(urgent.evaluate(facts({ prior_claims_90d: 4 }))).to.include({
        priority: 1,
        escalate_reason: 'health_harm',
      });
    });

    it('refuses an explain text that shows {compensation_amount}, and tenfold labelled goodwill', () => {
      const amount = table([
        row(
          'A-1',
          'complaint: expired_food',
          '{ remedy: refund, compensation: { kind: fixed, label: goodwill, amount: 5 }, escalate: false }',
        ),
      ]).replace("en: 'rule {rule_id}'", "en: 'you get {compensation_amount}'");
      expect(() => parseTable(amount, 't.yaml')).to.throw(RuleTableError, /amount_in_explain.*could promise an amount/);
      const label = table([
        row(
          'L-1',
          'complaint: expired_food',
          '{ remedy: refund, compensation: { kind: tenfold_price, label: goodwill, min: 1000 }, escalate: false }',
        ),
      ]);
      expect(() => parseTable(label, 't.yaml')).to.throw(
        RuleTableError,
        /bad_label.*tenfold_price is labelled goodwill/,
      );
    });
  });

  it('hashes the table text: a different text gives a different hash', () => {
    const a = parseTable(table([row('H-1', 'complaint: expired_food')]), 't.yaml');
    const b = parseTable(table([row('H-1', 'complaint: size_mismatch')]), 't.yaml');
    expect(a.hash).to.not.equal(b.hash);
    expect(a.evaluate(facts({})).tableHash).to.equal(a.hash);
  });

  it('explains why each earlier row did not match', () => {
    const { decision, rows } = t.explainMiss(
      facts({ complaint: 'size_mismatch', evidence: ['photo_item'], order_amount: 120 }),
    );
    expect(decision.ruleId).to.equal('R-NOT');
    expect(rows.map((r) => r.ruleId)).to.deep.equal(['R-RANGE', 'R-LIST', 'R-ANY']);
    expect(rows[1]!.failed).to.deep.equal([
      { condition: 'evidence includes [photo_item, photo_package]', found: 'photo_item' },
    ]);
  });
});
