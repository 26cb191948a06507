/**
 * The `kefu` command as a user runs it: a child process from a fresh data directory, judged by
 * its exit code and what it prints. In-process runs cannot see an event loop that empties early.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/kefuHarness.js';
import { freshDataDir, KEFU, kefuEnv, runKefu, type KefuRun } from '../support/runKefu.js';

/** Everything a user would call a crash: a Node stack trace or an unhandled error event. */
function expectNoCrash(run: KefuRun): void {
  expect(run.stderr).not.to.match(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.to.match(/Unhandled 'error' event|EPIPE|ERR_/);
}

describe('kefu CLI (child processes)', function () {
  this.timeout(120_000);
  let dataDir: string;
  before(() => (dataDir = freshDataDir()));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists its commands on help and exits 0', async () => {
    const run = await runKefu(['help'], { dataDir });
    expect(run.code).to.equal(0);
    expect(run.stdout)
      .to.match(/Commands:/)
      .and.match(/^ {2}rules /m)
      .and.match(/^ {2}report /m);
    // docs/cli.md documents every command the help lists.
    const names = [...run.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
    const doc = readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
    expect(
      names.filter((n) => !doc.includes(`## \`kefu ${n}`)),
      'commands missing from docs/cli.md',
    ).to.deep.equal([]);
    expect(names.length).to.be.at.least(8);
  });

  it('refuses an unknown command with exit 2 and names the known ones', async () => {
    const run = await runKefu(['frobnicate'], { dataDir });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("unknown command 'frobnicate'").and.contain('rules');
  });

  // The store's close waited for the WAL checkpoint worker, which is unref'd: the loop emptied
  // first and these exited 13 having printed nothing. Each runs twice on the same data directory.
  for (const [args, shape] of [
    [['report'], /^kefu report .+: 0 cases\n[\s\S]*containment/],
    [
      ['rules', 'diff', 'data/rules.yaml', 'data/rules.yaml'],
      /^Replayed 0 cases through [0-9a-f]{12} \(old\) and [0-9a-f]{12} \(new\)/,
    ],
    [['intents', 'review'], /^0 candidates to review \(0 new\)/],
  ] as const) {
    it(`kefu ${args.join(' ')} prints its output and exits 0 on its own, run after run`, async () => {
      for (let i = 0; i < 2; i++) {
        const run = await runKefu([...args], { dataDir });
        expectNoCrash(run);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(shape);
      }
    });
  }

  it('kefu report --json prints one JSON document', async () => {
    const run = await runKefu(['report', '--json'], { dataDir });
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.have.property('cases', 0);
  });

  // Every command and subcommand, so a new one that forgets the option is caught too.
  for (const args of [
    ['help'],
    ['serve'],
    ['rules'],
    ['rules', 'check'],
    ['rules', 'test'],
    ['rules', 'explain'],
    ['rules', 'diff'],
    ['classify'],
    ['train'],
    ['teams'],
    ['teams', 'package'],
    ['purge'],
    ['report'],
    ['intents'],
    ['intents', 'review'],
    ['intents', 'add'],
  ]) {
    it(`kefu ${args.join(' ')} --help prints the usage and exits 0`, async () => {
      const run = await runKefu([...args, '--help'], { dataDir });
      expectNoCrash(run);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(new RegExp(`kefu ${args[0]}\\b`));
      expect(run.stdout).to.include(args.length > 1 ? args[1] : args[0]);
    });
  }

  it('refuses an unknown option with exit 2 and the usage, not a stack trace', async () => {
    const run = await runKefu(['rules', 'check', '--bogus'], { dataDir });
    expectNoCrash(run);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("kefu rules: Unknown option '--bogus'").and.contain('Usage: kefu rules check');
  });

  it('names a bad setting in one line with exit 1, not a stack trace', async () => {
    const run = await runKefu(['report'], { dataDir, env: { RETENTION_DAYS: 'x' } });
    expectNoCrash(run);
    expect(run.code).to.equal(1);
    expect(run.stderr.trim()).to.equal("kefu report: RETENTION_DAYS='x' is not valid (expected a whole number ≥ 0)");
  });

  it('ends quietly when the reader closes the pipe early (| head)', async () => {
    const input = 'box arrived crushed\n'.repeat(5000);
    const run = await runKefu(['classify'], { dataDir, input, closeAfterFirstChunk: true });
    expectNoCrash(run);
    expect(run.code).to.equal(0);
    expect(run.stdout.split('\n')[0]).to.match(/^\{"text":"box arrived crushed","intent":"damaged_packaging"/);
  });

  it('kefu serve stops on SIGTERM with exit 0, its SQLite file closed (no write-ahead log left)', async () => {
    const dir = freshDataDir();
    try {
      const child = spawn(process.execPath, [KEFU, 'serve', '--port', '0'], {
        cwd: ROOT,
        env: kefuEnv(dir, { LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      for (let i = 0; i < 1800 && !out.includes('kefu is running'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).to.contain('kefu is running');
      const port = /localhost:(\d+)\/api\/messages/.exec(out)![1];
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
      child.kill('SIGTERM');
      expect(await exited, out).to.equal(0);
      expect(existsSync(path.join(dir, 'kefu.sqlite')), readdirSync(dir).join(', ')).to.equal(true);
      expect(existsSync(path.join(dir, 'kefu.sqlite-wal')), 'the write-ahead log was copied back and removed').to.equal(
        false,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
