/**
 * mocha's spec reporter, plus the list of pending (skipped) tests. A skipped test proves
 * nothing, so CI must see which ones they were: with KEFU_PENDING_FILE set, the pending tests
 * (full title and file) are written there as JSON for .ci/check-pending.mjs, and the summary
 * names each of them. CommonJS because mocha loads reporters with require().
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class SpecWithPending extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const pending = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => {
      pending.push({ title: test.fullTitle(), file: test.file ? path.relative(process.cwd(), test.file) : '' });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      if (pending.length > 0) {
        Mocha.reporters.Base.consoleLog('  Pending tests (see test/pending-allowed.yaml):');
        for (const p of pending) Mocha.reporters.Base.consoleLog(`    - ${p.file}: ${p.title}`);
        Mocha.reporters.Base.consoleLog();
      }
      const out = process.env.KEFU_PENDING_FILE;
      if (out) fs.writeFileSync(out, `${JSON.stringify(pending, null, 2)}\n`);
    });
  }
}

module.exports = SpecWithPending;
