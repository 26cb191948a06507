/**
 * The README is executable: every command in the `sh` blocks of README.md and docs/*.md runs as
 * a user runs it (bash, from the project folder, a fresh data directory), and so does `--help`
 * of each `kefu` command among them. Each must exit 0, print something, and print it in the
 * shape the command promises. The commands are read when the test loads, so an edited README is
 * tested as edited; the few that are not run are listed below with the reason.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/kefuHarness.js';
import { FROM_SOURCE, freshDataDir, KEFU } from '../support/runKefu.js';
import { canonical, commandsOf, kefuWords, readDocCommands, type DocCommand } from './docCommands.js';

/** Commands the test does not run, each with the reason. A rule no documented command uses fails the test. */
const NOT_RUN: { match: RegExp; reason: string; wholeBlock?: true }[] = [
  { match: /^npm (install|ci)\b/, reason: 'installs packages; CI runs npm ci itself' },
  { match: /^npm test\b/, reason: 'the whole suite, this test included' },
  { match: /^\.ci\/run\b/, reason: 'CI itself: npm ci, then the whole suite' },
  { match: /^npx mocha\b/, reason: 'runs tests that npm test runs anyway (this one among them)' },
  { match: /^npm run bench\b/, reason: 'benchmarks print figures for minutes; they do not pass or fail' },
  {
    match: /^npm run build\b/,
    reason: 'compiles every source (up to a minute); test/build/build.test.ts builds and runs the compiled kefu',
  },
  { match: /^npm run fuzz\b/, reason: 'thousands of hostile requests; test/fuzz/fuzz.test.ts runs 400 of them' },
  {
    match: /^npm run eval:intents\b/,
    reason: 'trains the classifier in memory (10-20 s); test/intents/ checks the shipped model',
  },
  {
    match: /^kefu serve\b/,
    reason: 'a server that runs until stopped; the test starts one (kefu serve --port 0) for the curl examples',
  },
  {
    match: /^kefu train\b/,
    reason:
      'retrains for 10-20 s and rewrites data/intents/model.json; test/intents/classifier.test.ts retrains and compares',
  },
  {
    match: /^export REDIS_URL=/,
    reason:
      'the three-instance walk-through starts servers in the background; test/scale/multiInstance.test.ts runs that setup',
    wholeBlock: true,
  },
];

/** Stand-ins for the placeholders the documents use, so their commands can run as written. */
const PLACEHOLDERS: [string, string][] = [
  [' [FILE]', ''],
  ['https://YOUR-HOST', 'https://kefu.example.com'],
  ['<Microsoft App ID>', '6d2f3c1e-8a4b-4f7e-9c3d-2b1a0e9f8d7c'],
];

const SECRET = 'readme-test-direct-line-secret-0123456789';

const json = (out: string): unknown => JSON.parse(out);
/** What a command must print, by what it is. Problems are returned as text for the failure message. */
const SHAPES: { match: RegExp; check: (out: string, cmd: DocCommand) => string | undefined }[] = [
  {
    match: /--json\b/,
    check: (out) => (tryJson(out) === undefined ? 'expected one JSON document (--json)' : undefined),
  },
  { match: /^kefu help\b/, check: (out) => expectMatch(out, /Commands:|Usage: kefu /) },
  { match: /kefu rules check\b(?!.*--json)/, check: (out) => expectMatch(out, /^✓ .+: \d+ rows .+no errors/m) },
  { match: /kefu rules test\b(?!.*--json)/, check: (out) => expectMatch(out, /^✓ \d+ tests passed, 0 failed/m) },
  { match: /kefu rules explain\b(?!.*--json)/, check: (out) => expectMatch(out, /^Decision: [A-Z][A-Z0-9-]*/m) },
  {
    match: /kefu rules diff\b(?!.*--json)/,
    check: (out) => expectMatch(out, /^Replayed \d+ cases through [0-9a-f]{12}/m),
  },
  {
    match: /kefu classify\b/,
    check: (out) => everyLine(out, (l) => typeof (json(l) as { intent?: unknown }).intent === 'string'),
  },
  { match: /kefu report\b(?!.*--json)/, check: (out) => expectMatch(out, /^ +containment +\d/m) },
  { match: /kefu intents review\b(?!.*--json)/, check: (out) => expectMatch(out, /^\d+ candidates? to review/) },
  { match: /kefu purge\b/, check: (out) => expectMatch(out, /^(purged \d+ case\(s\)|retention is off)/) },
  { match: /kefu teams package\b/, check: (out) => expectMatch(out, /^wrote .+\.zip \(\d+ bytes/) },
  {
    match: /^curl\b.*\/api\/messages/s,
    check: (out) =>
      (tryJson(out) as { activities?: unknown[] })?.activities?.length
        ? undefined
        : 'expected { activities: [...] } with replies',
  },
  { match: /^curl\b/, check: (out, cmd) => promisedKeys(out, cmd) },
];

function tryJson(out: string): unknown {
  try {
    return json(out);
  } catch {
    return undefined;
  }
}

function expectMatch(out: string, re: RegExp): string | undefined {
  return re.test(out) ? undefined : `expected output matching ${re}`;
}

function everyLine(out: string, ok: (line: string) => boolean): string | undefined {
  const bad = out
    .trimEnd()
    .split('\n')
    .find((l) => !(tryJson(l) !== undefined && ok(l)));
  return bad === undefined
    ? undefined
    : `expected one JSON object with an intent per line, got ${JSON.stringify(bad.slice(0, 80))}`;
}

/** `# → {"token":"…"}` after a command: the answer must be JSON with at least those keys. */
function promisedKeys(out: string, cmd: DocCommand): string | undefined {
  const got = tryJson(out);
  if (got === undefined || typeof got !== 'object') return 'expected a JSON answer';
  const promised = cmd.promised === undefined ? undefined : tryJson(cmd.promised);
  if (promised === undefined || typeof promised !== 'object') return undefined;
  const missing = Object.keys(promised as object).filter((k) => !(k in (got as object)));
  if (missing.length > 0) return `the document promises ${cmd.promised}; the answer lacks ${missing.join(', ')}`;
  // A plain value written out ("teams":null, "expires_in":3600) is promised as is; "…" means any.
  const differs = Object.entries(promised as Record<string, unknown>).filter(
    ([k, v]) =>
      (v === null || ['number', 'boolean'].includes(typeof v) || (typeof v === 'string' && !v.includes('…'))) &&
      (got as Record<string, unknown>)[k] !== v,
  );
  return differs.length === 0
    ? undefined
    : `the document promises ${cmd.promised}; the answer has ${differs.map(([k]) => `${k}: ${JSON.stringify((got as Record<string, unknown>)[k])}`).join(', ')}`;
}

/** Where the commands run: the project folder's entries linked into a scratch folder, so files a command writes (kefu-teams.zip) land there. */
function sandbox(): { dir: string; bin: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-readme-'));
  for (const entry of readdirSync(ROOT))
    if (entry !== '.git' && entry !== 'var') symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'kefu'), `#!/bin/sh\nexec "${process.execPath}" "${KEFU}" "$@"\n`);
  chmodSync(path.join(bin, 'kefu'), 0o755);
  return { dir, bin };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bash(script: string, cwd: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Ran> {
  const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Why a run is not what the document promises, or undefined when it is. */
function problemOf(cmd: DocCommand, run: Ran): string | undefined {
  if (run.code !== 0) return `exited ${run.code}`;
  if (run.stdout.trim() === '') return 'printed nothing';
  if (/^\s+at .+:\d+:\d+\)?$/m.test(run.stderr)) return 'printed a stack trace';
  if (/(^|\s)(--help|-h)(\s|$)/.test(cmd.text)) return expectMatch(run.stdout, /\bkefu\b/);
  for (const shape of SHAPES) {
    if (!shape.match.test(canonical(cmd.text))) continue;
    const problem = shape.check(run.stdout, cmd);
    if (problem) return problem;
  }
  return undefined;
}

const notRunBy = (cmd: DocCommand) => NOT_RUN.find((r) => r.match.test(canonical(cmd.text)));

/** README.md and docs/*.md, read now: the tests below are made from what they say today. */
function documented(): DocCommand[] {
  const docs = path.join(ROOT, 'docs');
  const files = [
    'README.md',
    ...readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  const all = files.flatMap((f) => readDocCommands(path.join(ROOT, f), f));
  const skippedBlocks = new Set(
    all.filter((c) => notRunBy(c)?.wholeBlock).map((c) => `${c.where.split(':')[0]}#${c.block}`),
  );
  return all.filter((c) => !skippedBlocks.has(`${c.where.split(':')[0]}#${c.block}`) || notRunBy(c)?.wholeBlock);
}

describe('the documented commands run as documented (README.md, docs/*.md)', function () {
  this.timeout(120_000);
  const commands = documented();
  const run = commands.filter((c) => notRunBy(c) === undefined);
  // --help of every kefu command shown, those not run included: it is quick and must work.
  const helps = [...new Map(commands.flatMap((c) => kefuWords(c.text)).map((w) => [w.join(' '), w])).values()];
  let box: { dir: string; bin: string };
  let server: ChildProcess | undefined;
  let serverUrl: string | undefined;
  const dataDirs: string[] = [];

  before(() => (box = sandbox()));
  after(() => {
    server?.kill('SIGTERM');
    rmSync(box.dir, { recursive: true, force: true });
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  });

  function env(): Record<string, string> {
    const dataDir = freshDataDir();
    dataDirs.push(dataDir);
    return {
      PATH: `${box.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: process.env.HOME ?? os.tmpdir(),
      KEFU_DATA_DIR: dataDir,
      DIRECT_LINE_SECRET: SECRET,
      ...FROM_SOURCE,
    };
  }

  /** One `kefu serve` for every curl example, started the first time one needs it. */
  async function serverFor(): Promise<string> {
    if (serverUrl) return serverUrl;
    const e = { ...env(), LOG_LEVEL: 'warn', AGENT_TOKENS: 'li:agent-li-token-0123456789' };
    server = spawn(process.execPath, [KEFU, 'serve', '--port', '0'], {
      cwd: ROOT,
      env: e,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 1800 && !serverUrl; i++) {
      const port = /localhost:(\d+)\/api\/messages/.exec(out)?.[1];
      if (port) serverUrl = `http://127.0.0.1:${port}`;
      else await new Promise((r) => setTimeout(r, 50));
    }
    if (!serverUrl) throw new Error(`kefu serve did not start:\n${out}`);
    return serverUrl;
  }

  async function script(cmd: DocCommand): Promise<string> {
    let text = canonical(cmd.text);
    for (const [from, to] of PLACEHOLDERS) text = text.split(from).join(to);
    if (/^curl\b/.test(text)) {
      const url = await serverFor();
      text = text
        .replace(/https?:\/\/kefu\.example\.com/g, url)
        .replace(/(?<![\w.])localhost:3978\b/g, url.replace('http://', ''));
    }
    return text;
  }

  it('finds the commands: the quick start, the curl examples and kefu commands', () => {
    const texts = commands.map((c) => canonical(c.text));
    expect(
      texts.some((t) => /^npm install\b/.test(t)),
      'the quick start',
    ).to.equal(true);
    expect(texts.filter((t) => /^curl\b/.test(t)).length, 'curl examples').to.be.at.least(2);
    expect(run.filter((c) => /^kefu\b/.test(canonical(c.text))).length, 'kefu commands').to.be.at.least(8);
  });

  it('every rule for a command it does not run still names a documented command', () => {
    for (const rule of NOT_RUN)
      expect(
        commands.some((c) => rule.match.test(canonical(c.text))),
        `${rule.match} (${rule.reason})`,
      ).to.equal(true);
  });

  it('reads a loop, a function, a quoted multi-line argument and a continued line as one command each', () => {
    const md = [
      '```sh',
      'for p in 1 2; do',
      '  echo $p &   # in the background',
      'done',
      'say() { curl -s x -d \'{"a":',
      "  1}'; }",
      'kefu rules check \\',
      '  data/rules.yaml',
      '# → ✓',
      '```',
    ].join('\n');
    expect(commandsOf(md, 'x.md').map((c) => [c.where, c.text, c.promised])).to.deep.equal([
      ['x.md:2', 'for p in 1 2; do\n  echo $p &\ndone', undefined],
      ['x.md:5', 'say() { curl -s x -d \'{"a":\n  1}\'; }', undefined],
      ['x.md:7', 'kefu rules check \\\n  data/rules.yaml', '✓'],
    ]);
  });

  it('fails a documented command that exits non-zero or prints nothing', async () => {
    const bad = commandsOf(
      '```sh\nkefu rules check no-such-table.yaml\nprintf "" | kefu classify\nnode bot/kefu.js rules test   # runs the tests\n# → 34 tests\n```\n',
      'bad.md',
    );
    expect(bad.map((c) => c.where)).to.deep.equal(['bad.md:2', 'bad.md:3', 'bad.md:4']);
    const problems = [];
    for (const c of bad.slice(0, 2)) problems.push(problemOf(c, await bash(await script(c), box.dir, env())));
    expect(problems).to.deep.equal(['exited 1', 'printed nothing']);
    expect(bad[2]!.promised).to.equal('34 tests');
  });

  for (const cmd of run) {
    it(`${cmd.where}: ${cmd.text.split('\n')[0]!.slice(0, 90)}`, async () => {
      const ran = await bash(await script(cmd), box.dir, env());
      const problem = problemOf(cmd, ran);
      expect(
        problem,
        `${cmd.text}\n--- stdout\n${ran.stdout.slice(0, 2000)}\n--- stderr\n${ran.stderr.slice(0, 2000)}`,
      ).to.equal(undefined);
    });
  }

  for (const words of helps) {
    it(`kefu ${words.join(' ')} --help`, async () => {
      const ran = await bash(`kefu ${words.join(' ')} --help`, box.dir, env());
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout).to.match(new RegExp(`kefu ${words[0] === 'help' ? '' : words[0]}`));
    });
  }
});
