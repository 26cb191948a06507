/**
 * CI's rule on skipped tests (.ci/check-pending.mjs): a pending test fails the run unless
 * test/pending-allowed.yaml lists it with a reason. Run as CI runs it, a child process.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/kefuHarness.js';

function check(pending: { title: string; file: string }[], allowList?: string): { code: number | null; out: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-pending-'));
  try {
    const pendingFile = path.join(dir, 'pending.json');
    writeFileSync(pendingFile, JSON.stringify(pending));
    const args = [path.join(ROOT, '.ci/check-pending.mjs'), pendingFile];
    if (allowList !== undefined) {
      writeFileSync(path.join(dir, 'allowed.yaml'), allowList);
      args.push(path.join(dir, 'allowed.yaml'));
    }
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    return { code: run.status, out: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('CI and pending tests', () => {
  it('passes when nothing is pending', () => {
    expect(check([])).to.deep.equal({ code: 0, out: '0 pending (0 allowed by test/pending-allowed.yaml)\n' });
  });

  it('fails on a pending test that is not on the allow-list, and names it', () => {
    const r = check([{ title: 'web widget in headless Chromium shows a reply', file: 'test/web/widget.test.ts' }]);
    expect(r.code).to.equal(1);
    expect(r.out)
      .to.contain('1 pending (0 allowed')
      .and.contain('pending and not allowed: test/web/widget.test.ts: web widget in headless Chromium shows a reply');
  });

  it('passes a pending test the allow-list names with a reason', () => {
    const r = check([{ title: 'a b', file: 'x.test.ts' }], "- test: 'a b'\n  reason: needs root\n");
    expect(r).to.deep.include({ code: 0 });
    expect(r.out).to.contain('1 pending (1 allowed');
  });

  it('refuses an allow-list entry without a reason, or with a misspelt key', () => {
    expect(check([], "- test: 'a b'\n").out).to.contain('entry 1 (a b): expected a reason');
    expect(check([], "- test: 'a b'\n  reson: typo\n").out).to.contain("unknown key 'reson'");
  });

  it('the repository allow-list itself is well-formed and short', () => {
    expect(check([]).code).to.equal(0);
    const entries = parse(readFileSync(path.join(ROOT, 'test/pending-allowed.yaml'), 'utf8')) as unknown[];
    expect(entries.length).to.be.at.most(5);
  });
});
