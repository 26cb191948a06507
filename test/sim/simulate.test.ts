/**
 * A light run of the shopper simulator (test/sim) with a fixed seed: simulated shoppers in both
 * languages, typing in words, reach a terminal state with the facts they meant and the remedy
 * the table gives on them. `npm run simulate` runs thousands.
 */
import { expect } from 'chai';
import { formatReport, runSimulation } from './simulator.js';

describe('shopper simulator (light, fixed seed)', function () {
  this.timeout(120_000);

  it('every conversation ends, no question is asked a fourth time, facts and remedies are exact', async () => {
    const report = await runSimulation({ conversations: 30, seed: 20261130 });
    const summary = formatReport(report);
    expect(report.outcomes['5xx'], summary).to.equal(0);
    expect(report.outcomes.stuck, summary).to.equal(0);
    expect(
      report.failures.map((f) => `${f.seed}: ${f.why}`),
      summary,
    ).to.deep.equal([]);
    expect(report.factsChecked, summary).to.be.greaterThan(15);
    expect(report.remedyEqual, summary).to.equal(report.remedyChecked);
  });
});
