/**
 * A short fuzz run (the full one is `npm run fuzz`): hundreds of hostile requests against a real
 * kefu, then zero 5xx, zero uncaught errors, zero failed turns, and every state check passing.
 */
import { expect } from 'chai';
import { formatReport, runFuzz } from './fuzzer.js';

describe('fuzz: hostile activities and Direct Line calls (short run)', function () {
  this.timeout(120_000);

  it('answers 400 cases without a 5xx, a crash, a failed turn or damaged state', async () => {
    const report = await runFuzz({ cases: 400, seed: 20261125 });
    const summary = formatReport(report);
    expect(report.cases, summary).to.equal(400);
    expect(report.status['5xx'] + report.status['no answer'], summary).to.equal(0);
    expect(report.crashes, summary).to.equal(0);
    expect(report.turnErrors, summary).to.equal(0);
    expect(report.failures, summary).to.deep.equal([]);
    expect(report.checks.filter((c) => !c.ok), summary).to.deep.equal([]);
    expect(report.checks).to.have.length(6);
    // The run exercised both sides: some requests reached the bot, many were refused at the edge.
    expect(report.status['2xx'], summary).to.be.greaterThan(40);
    expect(report.status['4xx'], summary).to.be.greaterThan(100);
  });
});
