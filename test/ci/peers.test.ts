/**
 * `npm install` resolves every peer dependency without overriding one: npm's own check of the
 * lock file (`npm ls --package-lock-only`, offline) finds no invalid or missing dependency. Web
 * Chat's react-redux wants react 18 or lower, so `overrides` pins react and react-dom to 18;
 * with react 19 in the lock this test fails, and `npm install` prints ERESOLVE warnings.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/kefuHarness.js';

describe('the lock file satisfies every peer dependency', function () {
  this.timeout(60_000);

  it('npm ls --package-lock-only --all reports nothing invalid', () => {
    // A copy, so npm judges the lock file alone and not whatever node_modules holds.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-lock-'));
    try {
      for (const f of ['package.json', 'package-lock.json', '.npmrc'])
        copyFileSync(path.join(ROOT, f), path.join(dir, f));
      const run = spawnSync('npm', ['ls', '--package-lock-only', '--all', '--offline'], { cwd: dir, encoding: 'utf8' });
      const invalid = run.stdout.split('\n').filter((l) => /\binvalid\b|UNMET (?!OPTIONAL)/.test(l));
      expect(invalid, run.stderr).to.deep.equal([]);
      expect(run.status, run.stderr).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
