import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../bot/cli/main.js';
import { captureIo } from '../support/cliIo.js';
import { row, table } from './helpers.js';

describe('kefu rules (CLI)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'kefu-rules-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check passes the default table and summarises it', async () => {
    const c = captureIo();
    expect(await main(['rules', 'check', 'data/rules.yaml'], c.io)).to.equal(0);
    expect(c.out())
      .to.match(/✓ data\/rules\.yaml: \d+ rows \(hit policy first\), default DEFAULT, \d+ tests/)
      .and.contain('no errors, 0 warnings');
  });

  it('check exits 1 and prints file:line:column for each error', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, table([row('X-1', 'complaint: expird_food'), row('X-1', 'hours_since_delivery: soon')]));
    const c = captureIo();
    expect(await main(['rules', 'check', file], c.io)).to.equal(1);
    expect(c.out())
      .to.contain(`${file}:11:18: error [unknown_value] rule X-1:`)
      .and.contain('[duplicate_id]')
      .and.contain('[bad_cell]')
      .and.contain('3 errors');
  });

  it('check fails a row whose evidence the evidence plan beside the table never asks for', async () => {
    const sub = mkdtempSync(path.join(dir, 'plan-'));
    copyFileSync('data/evidence.yaml', path.join(sub, 'evidence.yaml'));
    const file = path.join(sub, 'rules.yaml');
    // expired_food never asks for a package photo in data/evidence.yaml.
    writeFileSync(file, table([row('PKG-1', 'complaint: expired_food\nevidence: includes photo_package')]));
    const c = captureIo();
    expect(await main(['rules', 'check', file], c.io)).to.equal(1);
    expect(c.out()).to.contain(
      `${file}:9:5: error [evidence_not_asked] rule PKG-1: row PKG-1 needs all of [photo_package] for expired_food`,
    );
  });

  it('check --json gives machines the diagnostics', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, table([row('X-1', 'complaint: expird_food')]));
    const c = captureIo();
    expect(await main(['rules', 'check', file, '--json'], c.io)).to.equal(1);
    const doc = JSON.parse(c.out()) as { ok: boolean; diagnostics: { code: string; line: number }[] };
    expect(doc.ok).to.equal(false);
    expect(doc.diagnostics.map((d) => [d.code, d.line])).to.deep.equal([['unknown_value', 11]]);
  });

  it('test runs the cases beside the table and reports failures with their position', async () => {
    const file = path.join(dir, 'small.yaml');
    writeFileSync(file, table([row('T-1', 'complaint: expired_food')]));
    writeFileSync(
      path.join(dir, 'small.tests.yaml'),
      'tests:\n  - name: good\n    given: { complaint: expired_food, category: food, order_amount: 5 }\n    expect: { rule: T-1 }\n  - name: wrong\n    given: { complaint: size_mismatch, category: home, order_amount: 5 }\n    expect: { rule: T-1, remedy: refund }\n',
    );
    const c = captureIo();
    expect(await main(['rules', 'test', file], c.io)).to.equal(1);
    expect(c.out())
      .to.contain(`small.tests.yaml:5:5: test 'wrong' failed`)
      .and.contain('rule: expected T-1, got DEFAULT')
      .and.contain('1 test passed, 1 failed');
    const ok = captureIo();
    expect(await main(['rules', 'test'], ok.io)).to.equal(0);
    expect(ok.out()).to.match(/✓ \d+ tests passed, 0 failed/);
  });

  it('explain shows the decision, its reasons and why earlier rows did not match', async () => {
    const c = captureIo();
    const f = {
      complaint: 'size_mismatch',
      category: 'home',
      size_deviation_pct: 20,
      evidence: ['photo_measurement', 'screenshot_listing'],
      merchant_response: 'refused',
      order_amount: 299,
      hours_since_delivery: 72,
    };
    expect(await main(['rules', 'explain', '--facts', JSON.stringify(f)], c.io)).to.equal(0);
    expect(c.out())
      .to.contain('Decision: SIZE-03')
      .and.contain('return shipping paid by merchant')
      .and.contain('escalate to a person');
    expect(c.out()).to.match(/basis: Taobao dispute rules 2025 \(not as described\); CRPL Art\. 24/);
    expect(c.out()).to.match(
      /SIZE-02 +line \d+ +✗ merchant_response is one of \[not_contacted, agreed\], but found refused/,
    );
    const j = captureIo();
    expect(await main(['rules', 'explain', '--json', '--facts', JSON.stringify(f)], j.io)).to.equal(0);
    expect((JSON.parse(j.out()) as { decision: { ruleId: string } }).decision.ruleId).to.equal('SIZE-03');
  });

  it('explain rejects facts that do not parse, saying what was expected', async () => {
    const c = captureIo();
    expect(
      await main(['rules', 'explain', '--facts', '{"complaint":"expired","category":"food","order_amount":1}'], c.io),
    ).to.equal(2);
    expect(c.err()).to.contain('complaint is "expired" (expected one of expired_food');
  });
});
