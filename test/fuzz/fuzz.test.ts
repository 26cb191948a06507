/**
 * A short fuzz run (the full one is `npm run fuzz`): hundreds of hostile requests against real
 * kefu processes, then zero 5xx, zero exits, zero failed turns, memory back under twice its
 * start, nothing in the system temp directory, and every state check passing. And the fuzzer's
 * route list is the server's: a new route cannot escape it.
 */
import { expect } from 'chai';
import type { Server } from 'restify';
import { formatReport, runFuzz } from './fuzzer.js';
import { ROUTES } from './routes.js';
import { startHarness } from '../support/kefuHarness.js';

describe('fuzz: hostile requests on every route (short run)', function () {
  this.timeout(240_000);

  it('knows every route the server serves', async () => {
    const h = await startHarness();
    try {
      const router = (
        h.app.server.server as Server & { router: { getRoutes(): Record<string, { method: string; path: string }> } }
      ).router;
      const served = Object.values(router.getRoutes())
        .map((r) => `${r.method} ${r.path}`)
        .sort();
      expect(ROUTES.map((r) => `${r.method} ${r.pattern}`).sort()).to.deep.equal(served);
    } finally {
      await h.close();
    }
  });

  it('answers 600 cases without a 5xx, an exit, a failed turn, a memory leak or damaged state', async () => {
    const report = await runFuzz({ cases: 600, seed: 20261130 });
    const summary = formatReport(report);
    expect(report.cases, summary).to.equal(600);
    expect(report.status['5xx'] + report.status['no answer'], summary).to.equal(0);
    expect(report.exits, summary).to.equal(0);
    expect(report.turnErrors, summary).to.equal(0);
    expect(report.failures, summary).to.deep.equal([]);
    expect(
      report.checks.filter((c) => !c.ok),
      summary,
    ).to.deep.equal([]);
    expect(report.checks).to.have.length(8);
    expect(report.tempFiles, summary).to.deep.equal([]);
    // The run exercised both sides: some requests reached the bot, many were refused at the edge,
    // and the every-route shapes reached most routes.
    expect(report.status['2xx'], summary).to.be.greaterThan(40);
    expect(report.status['4xx'], summary).to.be.greaterThan(150);
    expect(report.byKind['forged Bot Framework token, key endpoint unreachable'], summary).to.be.greaterThan(10);
    expect(report.routes, summary).to.be.greaterThan(30);
  });
});
