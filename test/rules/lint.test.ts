import { expect } from 'chai';
import { parseTable, RuleTableError, type Diagnostic } from '../../rules/index.js';
import { lineOf, row, table } from './helpers.js';

function errorsOf(text: string): Diagnostic[] {
  try {
    parseTable(text, 't.yaml');
  } catch (err) {
    if (err instanceof RuleTableError) return err.diagnostics;
    throw err;
  }
  expect.fail('expected the table to be refused');
}

describe('rules: lint and load errors on small broken tables', () => {
  it('reports overlapping rows under unique with an example input both match', () => {
    const text = table([
      row('A-1', 'complaint: expired_food\nhours_since_delivery: "[0..48]"'),
      row('A-2', 'complaint: [expired_food, size_mismatch]\nhours_since_delivery: "(24..100]"'),
    ]);
    const [d, ...rest] = errorsOf(text);
    expect(rest).to.have.length(0);
    expect(d).to.include({ code: 'overlap', ruleId: 'A-2', line: lineOf(text, 'id: A-2'), column: 5, file: 't.yaml' });
    expect(d!.message)
      .to.contain('A-1')
      .and.contain('complaint: expired_food')
      .and.match(/hours_since_delivery: (3[0-9]|4[0-8]|2[5-9])/);
  });

  it('accepts the same rows when a range boundary separates them', () => {
    const text = table([
      row('A-1', 'complaint: expired_food\nhours_since_delivery: "[0..48)"'),
      row('A-2', 'complaint: expired_food\nhours_since_delivery: "[48..100]"'),
    ]);
    expect(parseTable(text, 't.yaml').evaluate).to.be.a('function');
  });

  it('reports a row that can never fire under first, naming the rows that mask it', () => {
    const text = table(
      [
        row('B-1', 'hours_since_delivery: "< 50"'),
        row('B-2', 'hours_since_delivery: ">= 50"\ncomplaint: not size_mismatch'),
        row('B-3', 'complaint: expired_food\nhours_since_delivery: "[10..60]"'),
      ],
      { hit: 'first' },
    );
    const [d, ...rest] = errorsOf(text);
    expect(rest).to.have.length(0);
    expect(d).to.include({ code: 'unreachable', ruleId: 'B-3', line: lineOf(text, 'id: B-3'), column: 5 });
    expect(d!.message).to.contain('B-1').and.contain('B-2');
  });

  it('reports a gap with an example when there is no default row', () => {
    const text = table(
      [
        row('C-1', 'complaint: [expired_food, damaged_packaging]'),
        row('C-2', 'complaint: size_mismatch\norder_amount: "<= 100"'),
      ],
      { withDefault: false },
    );
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'gap', line: lineOf(text, 'hit_policy'), column: 13 });
    expect(d!.message)
      .to.contain('complaint: size_mismatch')
      .and.match(/order_amount: (1[0-9]{2,}|[2-9][0-9]{2,})/);
  });

  it('reports a misspelt value with the declared ones', () => {
    const text = table([row('D-1', 'complaint: expird_food')]);
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'unknown_value', ruleId: 'D-1', line: lineOf(text, 'expird_food'), column: 18 });
    expect(d!.message)
      .to.contain("'expird_food'")
      .and.contain('expected one of expired_food, damaged_packaging, size_mismatch');
  });

  it('reports a cell that does not parse and says which forms are expected', () => {
    const text = table([row('E-1', 'hours_since_delivery: "about 10"')]);
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'bad_cell', ruleId: 'E-1', line: lineOf(text, 'about 10'), column: 29 });
    expect(d!.message).to.contain("'about 10'").and.contain('[0..48]');
  });

  it('reports a duplicate id at the second use', () => {
    const text = table([row('F-1', 'complaint: expired_food'), row('F-1', 'complaint: size_mismatch')]);
    const [d] = errorsOf(text);
    const second = text.split('\n').findIndex((l, i) => l.includes('id: F-1') && i + 1 > lineOf(text, 'id: F-1')) + 1;
    expect(d).to.include({ code: 'duplicate_id', ruleId: 'F-1', line: second, column: 9 });
  });

  it('reports a duplicate YAML key', () => {
    const text = table([row('G-1', 'complaint: expired_food\ncomplaint: size_mismatch')]);
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'duplicate_key', line: lineOf(text, 'complaint: size_mismatch'), column: 7 });
    expect(d!.message).to.contain("'complaint'");
  });

  it('reports an input no declaration names', () => {
    const text = table([row('H-1', 'member_tier: vip')]);
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'unknown_input', ruleId: 'H-1', line: lineOf(text, 'member_tier'), column: 7 });
    expect(d!.message).to.contain('expected one of complaint, hours_since_delivery');
  });

  it('reports a range bound outside the declared range', () => {
    const text = table([row('I-1', 'hours_since_delivery: "[0..480]"')]);
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'out_of_range', ruleId: 'I-1', line: lineOf(text, '[0..480]'), column: 29 });
    expect(d!.message).to.contain('[0, 100]');
  });

  it('reports schema errors at the field with found and expected', () => {
    const text = table([row('J-1', 'complaint: expired_food', '{ remedy: refnd, escalate: false }')]);
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'schema', ruleId: 'J-1', line: lineOf(text, 'refnd'), column: 21 });
    expect(d!.message).to.contain('"refnd"').and.contain('expected one of reship');
  });

  it('reports an unknown placeholder in an explain text', () => {
    const text = table([row('K-1', 'complaint: expired_food')]).replace("en: 'rule {rule_id}'", "en: 'rule {rule}'");
    const [d] = errorsOf(text);
    expect(d).to.include({ code: 'unknown_placeholder', ruleId: 'K-1', line: lineOf(text, '{rule}') });
  });

  it('keeps a row without a test as a warning, not an error', () => {
    const t = parseTable(table([row('L-1', 'complaint: expired_food')]), 't.yaml', { tests: [] });
    expect(t.warnings.map((w) => [w.code, w.ruleId, w.severity])).to.deep.equal([
      ['untested', 'L-1', 'warning'],
      ['untested', 'DEFAULT', 'warning'],
    ]);
  });

  it('reports every error of a table in one run', () => {
    const text = table([
      row('M-1', 'complaint: expird_food'),
      row('M-2', 'hours_since_delivery: "soon"'),
      row('M-1', 'complaint: size_mismatch'),
    ]);
    expect(errorsOf(text).map((d) => d.code)).to.have.members(['unknown_value', 'bad_cell', 'duplicate_id']);
  });
});
