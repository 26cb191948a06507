/**
 * The build users run: `npm run build` bundles the sources to dist/, and `kefu` (bot/kefu.js,
 * which `npm start` runs) runs that compiled JavaScript, with no TypeScript loader, finding
 * data/ and the static assets from there; it rebuilds first when a source is newer than the build.
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { postActivity, ROOT } from '../support/kefuHarness.js';
import { filesUnder, startKefuProcess, type KefuProcess } from '../support/kefuProcess.js';
import { FROM_SOURCE, KEFU } from '../support/runKefu.js';
import { precompiledValidatorFile } from '../../lib/dataFile.js';
import { TABLE_SCHEMA_FILE } from '../../rules/schemaCheck.js';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command in the project folder with a bare environment (no KEFU_FROM_SOURCE unless given): as a user runs it. */
function run(command: string, args: string[], tmpDir: string, env: Record<string, string> = {}): Promise<Ran> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpDir, TMPDIR: tmpDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const STAMP = path.join(ROOT, 'dist', '.kefu-built');

describe('build: npm run build, then kefu runs the compiled output', function () {
  this.timeout(300_000);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-build-'));
  let kefu: KefuProcess | undefined;

  before(async () => {
    const built = await run('npm', ['run', 'build'], tmpDir);
    expect(built.code, built.stdout + built.stderr).to.equal(0);
  });

  after(async () => {
    await kefu?.close();
    rmSync(tmpDir, { recursive: true, force: true });
  });

  it('bundles every source folder and the packages they use into a few modules in dist/', () => {
    const files = filesUnder(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
    expect(files, 'the entry point bot/kefu.js imports').to.include(path.join('bot', 'cli', 'main.js'));
    const code = files.map((f) => readFileSync(path.join(ROOT, 'dist', f), 'utf8')).join('\n');
    for (const source of [
      'bot/app.ts',
      'dialogs/kefuDialogs.ts',
      'domain/responses.ts',
      'intents/classifier.ts',
      'rules/table.ts',
      'lib/paths.ts',
    ])
      expect(code, source).to.include(`// ${source}\n`);
    expect(code, 'tests are not part of the build').not.to.match(/^\/\/ test\//m);
    // What the bundle still loads at run time: Node's own modules, its own chunks, and the
    // packages left out on purpose (native addons, optional clients); botbuilder & co. are inside.
    const loaded = new Set(
      [...code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"|\bimport\("([^"]+)"\)/gm)].map((m) => m[1] ?? m[2]!),
    );
    const outside = [...loaded].filter((s) => !s.startsWith('node:') && !s.startsWith('.'));
    expect(outside.sort()).to.include.members(['better-sqlite3']);
    for (const bundled of ['botbuilder', 'botbuilder-dialogs', 'restify', 'yaml', 'ajv', 'natural'])
      expect(
        outside.filter((s) => s === bundled || s.startsWith(`${bundled}/`)),
        bundled,
      ).to.deep.equal([]);
    expect(files.length, 'a few modules, not one per source file').to.be.below(150);
    // dialogs/sdk.ts takes botbuilder-dialogs part by part: its index (every prompt, and the
    // Recognizers-Text cultures behind them) would add about a quarter of a second to every start.
    expect(code).not.to.include('// node_modules/botbuilder-dialogs/lib/index.js\n');
    expect(code).not.to.include('// node_modules/@microsoft/recognizers-text-date-time/');
  });

  it('kefu --help runs from the build without building again or loading tsx', async () => {
    const help = await run(process.execPath, [KEFU, '--help'], tmpDir);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^Usage: kefu COMMAND/m);
    expect(help.stdout).to.match(/^ {2}serve +\S/m);
    expect(help.stderr, 'dist/ is current, so no build').to.equal('');
    expect(
      filesUnder(tmpDir).filter((f) => f.startsWith('tsx-')),
      'no TypeScript compiled at run time',
    ).to.deep.equal([]);
  });

  it('kefu serve from the build answers /healthz, serves the assets and holds a conversation', async () => {
    kefu = await startKefuProcess({}, { compiled: true });
    expect(
      filesUnder(kefu.tmpDir).filter((f) => f.startsWith('tsx-')),
      'no tsx cache',
    ).to.deep.equal([]);

    const health = await fetch(`${kefu.url}/healthz`);
    expect(health.status).to.equal(200);
    for (const [route, marker] of [
      ['/console', '<html'],
      ['/console/console.js', 'function'],
      ['/widget.js', 'WebChat'],
      ['/lead/lead.js', 'fetch'],
      ['/', 'webchat.js'],
    ] as const) {
      const res = await fetch(`${kefu.url}${route}`);
      expect(res.status, route).to.equal(200);
      expect(await res.text(), route).to.include(marker);
    }

    const replies = await postActivity(kefu.url, {
      id: 'b1',
      serviceUrl: 'http://127.0.0.1:9/',
      conversation: 'build-1',
      user: 'u-build',
      body: { text: '我买的电水壶坏了，不加热' },
    });
    const text = replies.map((r) => r.text ?? '').join('\n');
    expect(text, JSON.stringify(replies)).to.include('订单号');
  });

  it('a second start of the build reads the checked rule table from dist/cache/; an edited table is read anew', async () => {
    const rules = path.join(tmpDir, 'cached-rules.yaml');
    copyFileSync(path.join(ROOT, 'data', 'rules.yaml'), rules);
    copyFileSync(path.join(ROOT, 'data', 'rules.tests.yaml'), path.join(tmpDir, 'cached-rules.tests.yaml'));
    const cache = path.join(ROOT, 'dist', 'cache');
    const tableEntries = () =>
      existsSync(cache) ? readdirSync(cache).filter((f) => f.startsWith('rule-table-')) : ([] as string[]);
    const servedHash = async () => {
      const started = await startKefuProcess({ RULES_FILE: rules }, { compiled: true });
      try {
        return ((await (await fetch(`${started.url}/healthz`)).json()) as { rules: string }).rules;
      } finally {
        await started.close();
      }
    };
    const before = new Set(tableEntries());
    const first = await servedHash();
    const added = tableEntries().filter((f) => !before.has(f));
    expect(added, 'the first start keeps the checked table').to.have.length(1);
    const entry = path.join(cache, added[0]!);
    const written = statSync(entry).mtimeMs;

    expect(await servedHash()).to.equal(first);
    expect(statSync(entry).mtimeMs, 'the second start read the entry, wrote nothing').to.equal(written);

    writeFileSync(rules, `${readFileSync(rules, 'utf8')}\n# edited by a lead\n`);
    const edited = await servedHash();
    expect(edited, 'the edited table, not the cached one').to.not.equal(first);
    expect(existsSync(entry), "the old version's entry is replaced").to.equal(false);
  });

  it('checks a rule table with the schema validator the build compiled, finding what the sources find', async () => {
    const schema = readFileSync(TABLE_SCHEMA_FILE, 'utf8');
    expect(existsSync(precompiledValidatorFile(schema)), 'dist/validators/ has the current schema').to.equal(true);
    const bad = path.join(tmpDir, 'bad-rules.yaml');
    const table = readFileSync(path.join(ROOT, 'data', 'rules.yaml'), 'utf8');
    writeFileSync(
      bad,
      table.replace('hit_policy: first', 'hit_policy: sometimes').replace(/^( {2}- id: \S+)$/m, '$1\n    colour: red'),
    );
    const args = [KEFU, 'rules', 'check', bad, '--json'];
    const built = await run(process.execPath, args, tmpDir);
    const source = await run(process.execPath, args, tmpDir, { ...FROM_SOURCE });
    expect(built.code, built.stderr).to.equal(1);
    const found = (JSON.parse(built.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;
    expect(found.map((d) => d.message).join('\n'))
      .to.match(/hit_policy/)
      .and.to.match(/colour/);
    expect(built.stdout, 'the same findings, word for word').to.equal(source.stdout);
  });

  it('rebuilds first when a source is newer than the build', async () => {
    const source = path.join(ROOT, 'lib', 'paths.ts');
    const later = new Date();
    expect(later.getTime()).to.be.above(statSync(STAMP).mtimeMs);
    utimesSync(source, later, later);
    const first = await run(process.execPath, [KEFU, '--help'], tmpDir);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stderr).to.match(/compiling the sources to dist\//);
    expect(first.stdout, 'build messages stay off stdout').to.match(/^kefu \(客服\)/);
    expect(statSync(STAMP).mtimeMs).to.be.at.least(later.getTime());

    const second = await run(process.execPath, [KEFU, '--help'], tmpDir);
    expect(second.stderr, 'current again: no second build').to.equal('');
  });
});
