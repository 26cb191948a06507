import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { matchCell } from '../../rules/cells.js';
import { loadTable, runTableTests, type CompiledTable, type Facts } from '../../rules/index.js';
import { EVIDENCE_KINDS } from '../../rules/facts.js';
import { COMPLAINTS } from '../../intents/labels.js';
import { FACT_SPECS } from '../../rules/vocabulary.js';

const FILE = 'data/rules.yaml';

describe('rules: the default table (data/rules.yaml)', () => {
  let table: CompiledTable;
  before(() => {
    table = loadTable(FILE);
  });

  it('loads with no lint warnings and publishes its JSON Schema to editors', () => {
    expect(table.warnings).to.deep.equal([]);
    expect(readFileSync(FILE, 'utf8').split('\n')[0]).to.equal('# yaml-language-server: $schema=./rules.schema.json');
    expect(table.model.defaultRow?.outcome).to.include({ escalate: true });
  });

  it('has at least one test case for every row, including the default', () => {
    const tested = new Set(table.tests.map((t) => t.expect.rule));
    expect([...table.ruleIds, 'DEFAULT'].filter((id) => !tested.has(id))).to.deep.equal([]);
  });

  it('covers all six complaint labels', () => {
    for (const c of COMPLAINTS) expect(table.mentions(c).facts.length, c).to.be.greaterThan(0);
    expect(table.mentions('fresh_produce_loss').evidence).to.have.members([
      'photo_item',
      'unboxing_video',
      'photo_weight',
    ]);
    expect(table.mentions('size_mismatch').evidence).to.include.members(['photo_measurement', 'screenshot_listing']);
  });

  describe('its test cases (data/rules.tests.yaml)', () => {
    // One mocha test per case, so a failing case is named in `npm test`.
    const t = loadTable(FILE);
    for (const r of runTableTests(t, t.tests)) {
      it(`${r.test.name} → ${r.test.expect.rule}`, () => {
        expect(r.failures, `${r.test.file}:${r.test.pos.line}`).to.deep.equal([]);
      });
    }
  });

  it('decides every evaluation with the table hash, the basis, the filled-in explain and the matched conditions', () => {
    const d = table.evaluate({
      complaint: 'expired_food',
      category: 'food',
      days_past_expiry: 4,
      evidence: ['photo_date_label'],
      merchant_response: 'agreed',
      order_amount: 30,
      member_tier: 'regular',
      prior_claims_90d: 0,
    });
    expect(d.ruleId).to.equal('EXP-01');
    expect(d.tableHash)
      .to.equal(table.hash)
      .and.match(/^[0-9a-f]{12}$/);
    expect(d.basis).to.contain('Food Safety Law Art. 148');
    expect(d.explain.en).to.contain('4 days past').and.contain('review');
    // Statutory compensation waits for a person: the shopper's text never names the amount.
    expect(d.compensation_amount).to.equal(1000);
    expect(d.explain.en).to.not.contain('1000').and.not.contain('1,000 compensation');
    expect(d.explain['zh-CN']).to.contain('4 天').and.not.contain('{');
    expect(d.matched).to.include('days_past_expiry > 0').and.include('evidence includes photo_date_label');
  });

  it('gives every row a basis and never a statutory compensation outside food', () => {
    for (const r of [...table.model.rows, table.model.defaultRow!])
      expect(r.basis, r.id).to.be.a('string').and.not.equal('');
    for (const r of table.model.rows.filter((x) => x.outcome.compensation?.kind === 'tenfold_price')) {
      const cat = r.cells.find((c) => c.input === 'category')?.cond;
      expect(cat, `${r.id} limits tenfold to food`).to.deep.include({
        kind: 'oneOf',
        values: ['food', 'fresh'],
        negate: false,
      });
      expect(r.cells.find((c) => c.input === 'days_past_expiry')?.text, r.id).to.equal('> 0');
    }
  });

  it('agrees with the reference cell semantics on random facts (compiled code = interpreter)', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const num = (max: number) => (rnd() < 0.2 ? undefined : Math.round(rnd() * max * 10) / 10);
    const firing = new Set<string>();
    for (let n = 0; n < 3000; n++) {
      const f = {
        complaint: pick(COMPLAINTS),
        category: pick(FACT_SPECS.category.values!),
        live_goods: pick([true, false, undefined]),
        delivered: pick([true, false, undefined]),
        health_harm: pick([false, false, true, undefined]),
        thawed: pick([true, false, undefined]),
        shelf_life_days: num(400),
        hours_since_delivery: num(400),
        days_past_expiry: rnd() < 0.2 ? undefined : Math.round(rnd() * 60 - 30),
        near_expiry_disclosed: pick([true, false, undefined]),
        size_deviation_pct: num(30),
        affected_ratio: rnd() < 0.2 ? undefined : Math.round(rnd() * 100) / 100,
        weight_shortfall_pct: num(20),
        net_content_nominal: rnd() < 0.5 ? undefined : pick([40, 100, 150, 250, 400, 750, 3000, 12000, 20000]),
        net_content_shortfall: num(200),
        evidence: EVIDENCE_KINDS.filter(() => rnd() < 0.4),
        merchant_response: pick(FACT_SPECS.merchant_response.values!),
        merchant_reply_hours: num(100),
        order_amount: Math.round(rnd() * 700),
        member_tier: pick(FACT_SPECS.member_tier.values!),
        prior_claims_90d: Math.floor(rnd() * 4),
      } as Facts;
      const values = f as unknown as Record<string, unknown>;
      const expected =
        table.model.rows.find((r) => r.cells.every((c) => matchCell(c.cond, values[c.input])))?.id ?? 'DEFAULT';
      const got = table.evaluate(f).ruleId;
      expect(got, JSON.stringify(f)).to.equal(expected);
      firing.add(got);
    }
    expect(firing.size).to.be.greaterThan(25);
  });
});

describe('docs/rules.md', () => {
  it('lists every row of the default table with its basis', () => {
    const doc = readFileSync('docs/rules.md', 'utf8');
    const table = loadTable(FILE);
    // A row is listed by its id, or by a family written as PREFIX-* (EXP-NEAR-*) or a range (NET-1…NET-9).
    const families = [...doc.matchAll(/`([A-Z]+(?:-[A-Z]+)*)-\*`/g)].map((m) => m[1]!);
    const ranges = [...doc.matchAll(/`([A-Z]+)-(\d+)`…`\1-(\d+)`/g)].map((m) => ({
      prefix: m[1]!,
      lo: Number(m[2]),
      hi: Number(m[3]),
    }));
    const listed = (id: string) =>
      doc.includes(`\`${id}\``) ||
      families.some((f) => id.startsWith(`${f}-`)) ||
      ranges.some((r) => {
        const m = new RegExp(`^${r.prefix}-(\\d+)$`).exec(id);
        return m !== null && Number(m[1]) >= r.lo && Number(m[1]) <= r.hi;
      });
    expect([...table.ruleIds, 'DEFAULT'].filter((id) => !listed(id))).to.deep.equal([]);
  });
});
