/**
 * Every YAML file kefu reads goes through the one loader: a broken file of any kind is refused
 * with one error type (DataFileError, code `data_file`) whose lines read `file:line:col: …`, and
 * the position is the line that was broken. Files a CLI reads are checked through the CLI, as a
 * child process, the way a trainer or a support lead meets the message.
 */
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataFileError } from '../../lib/dataFile.js';
import { loadCardLabels } from '../../dialogs/cards/labels.js';
import { Controls } from '../../domain/controls.js';
import { loadEvidencePlan } from '../../domain/evidencePlan.js';
import { Responses } from '../../domain/responses.js';
import { loadHandoffSettings } from '../../domain/handoff/settings.js';
import { YamlOrderSource } from '../../bot/store/index.js';
import { loadHeldOut, loadTrainingData } from '../../intents/dataset.js';
import { ROOT } from '../support/kefuHarness.js';
import { runKefu } from '../support/runKefu.js';

const DATA = path.join(ROOT, 'data');

/** The first `file:line:col: ` of a message, or a failed expectation. */
function firstPosition(message: string): { file: string; line: number; column: number } {
  const m = /^(.+?):(\d+):(\d+): /m.exec(message);
  expect(m, `no file:line:col in: ${message}`).to.not.equal(null);
  return { file: m![1]!, line: Number(m![2]), column: Number(m![3]) };
}

/** Asserts `load` refuses `file` with a DataFileError pointing at the line holding `token`. */
function expectRefused(load: () => unknown, file: string, token: string, says: RegExp): void {
  let caught: unknown;
  try {
    load();
  } catch (err) {
    caught = err;
  }
  expect(caught, `${path.basename(file)} was accepted`).to.be.instanceOf(DataFileError);
  const err = caught as DataFileError;
  expect(err.code).to.equal('data_file');
  expect(err.message).to.match(says);
  const at = firstPosition(err.message);
  expect(path.resolve(ROOT, at.file)).to.equal(path.resolve(file));
  expect(readFileSync(file, 'utf8').split('\n')[at.line - 1], err.message).to.contain(token);
}

describe('the one data loader', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-data-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of data/<name> with `edit` applied. */
  function broken(name: string, edit: (text: string) => string): string {
    const file = path.join(dir, path.basename(name));
    const text = readFileSync(path.join(DATA, name), 'utf8');
    const next = edit(text);
    expect(next, `the edit of ${name} changed nothing`).not.to.equal(text);
    writeFileSync(file, next);
    return file;
  }

  const kinds: { name: string; load: (file: string) => unknown }[] = [
    { name: 'cards.yaml', load: (f) => loadCardLabels(f) },
    { name: 'controls.yaml', load: (f) => Controls.load(f) },
    { name: 'evidence.yaml', load: (f) => loadEvidencePlan(f) },
    { name: 'responses.yaml', load: (f) => Responses.load(f) },
    { name: 'handoff.yaml', load: (f) => loadHandoffSettings(f) },
    { name: 'orders.yaml', load: (f) => YamlOrderSource.load(f) },
  ];

  for (const { name, load } of kinds) {
    it(`${name}: a duplicate key is refused at its line`, () => {
      const file = broken(name, (t) => t.replace(/^([A-Za-z_][\w-]*):/m, '$1:\nDUP_KEY: 1\nDUP_KEY:'));
      expectRefused(() => load(file), file, 'DUP_KEY', /key 'DUP_KEY' appears twice in the same map/);
    });

    it(`${name}: a syntax error is refused at its line`, () => {
      const file = broken(name, (t) => `${t.trimEnd()}\nzz_broken: @reserved\n`);
      expectRefused(() => load(file), file, 'zz_broken', /reserved character @ \(expected valid YAML\)/);
    });
  }

  it('cards.yaml: a schema error names the place in the file and the limit', () => {
    const file = broken('cards.yaml', (t) => t.replace('acknowledge: "OK"', 'acknowledge: "OK, thank you very much"'));
    expectRefused(
      () => loadCardLabels(file),
      file,
      'thank you very much',
      /en\.remedy\.acknowledge must NOT have more/,
    );
  });

  it('controls.yaml: a phrase that is not text is refused where it is', () => {
    const file = broken('controls.yaml', (t) => t.replace('en: [cancel, stop,', 'en: [cancel, {odd: 1}, stop,'));
    expectRefused(() => Controls.load(file), file, '{odd: 1}', /cancel\.en\.1 is a map \(expected string\)/);
  });

  it('evidence.yaml: a slot of an unknown kind is refused where it is', () => {
    const file = broken('evidence.yaml', (t) =>
      t.replace(
        'photo_item: { kind: attachment, accept: [image] }',
        'photo_item: { kind: atachment, accept: [image] }',
      ),
    );
    expectRefused(() => loadEvidencePlan(file), file, 'atachment', /slots\.photo_item/);
  });

  it('handoff.yaml: a misspelt complaint is refused at its line', () => {
    const file = broken('handoff.yaml', (t) => t.replace('fresh: [fresh_produce_loss]', 'fresh: [fresh_produce_los]'));
    expectRefused(() => loadHandoffSettings(file), file, 'fresh_produce_los', /teams\.fresh\.0: "fresh_produce_los"/);
  });

  it('orders.yaml: every mistake is listed, each at its line', () => {
    const file = broken('orders.yaml', (t) => t.replace('tier: svip', 'tier: platinum'));
    expectRefused(() => YamlOrderSource.load(file), file, 'platinum', /tier is 'platinum' \(expected one of/);
  });

  describe('intents data', () => {
    function intentsCopy(): string {
      const copy = path.join(dir, 'intents');
      cpSync(path.join(DATA, 'intents'), copy, { recursive: true });
      return copy;
    }

    it('a training file with an unknown label is refused at the label', () => {
      const copy = intentsCopy();
      const file = path.join(copy, 'train', 'en.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^expired_food:/m, 'expird_food:'));
      expectRefused(() => loadTrainingData(copy), file, 'expird_food', /'expird_food' is not a known intent/);
    });

    it('an override with a broken regular expression is refused at the pattern', () => {
      const copy = intentsCopy();
      const file = path.join(copy, 'overrides.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('    - 转人工|人工客服', '    - 转人工(|人工客服'));
      expectRefused(() => loadTrainingData(copy), file, '转人工(', /is not a valid regular expression/);
    });

    it('a held-out example that is not text is refused at its line', () => {
      const copy = intentsCopy();
      const file = path.join(copy, 'heldout', 'zh-CN.yaml');
      const text = readFileSync(file, 'utf8');
      const label = /^([a-z_]+):\s*$/m.exec(text)![1]!;
      writeFileSync(file, text.replace(`${label}:\n`, `${label}:\n  - { not: text }\n`));
      expectRefused(() => loadHeldOut(copy), file, '{ not: text }', /expected a text, got \{"not":"text"\}/);
    });
  });
});

describe('the one data loader through the CLI (child processes)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-data-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** One line of stderr is `file:line:col: …` for the broken line; no stack trace. */
  function expectPositioned(stderr: string, file: string, token: string, says: RegExp): void {
    expect(stderr).not.to.match(/^\s+at .+:\d+:\d+\)?$/m);
    expect(stderr).to.match(says);
    const at = firstPosition(stderr);
    expect(path.resolve(ROOT, at.file)).to.equal(path.resolve(file));
    expect(readFileSync(file, 'utf8').split('\n')[at.line - 1]).to.contain(token);
  }

  it('kefu intents review: a hand-edited candidates file with a bad language exits 1 at its line', async () => {
    const intents = path.join(dir, 'intents');
    cpSync(path.join(DATA, 'intents'), intents, { recursive: true });
    const file = path.join(intents, 'candidates.yaml');
    writeFileSync(
      file,
      [
        'candidates:',
        '  - id: K-1',
        '    text: the milk is off',
        '    lang: fr',
        '    intent: expired_food',
        '    bot_read: unsure',
        '    agent: li',
        "    at: '2026-11-30T10:00:00.000Z'",
        '    status: pending',
        '',
      ].join('\n'),
    );
    const run = await runKefu(['intents', 'review', '--dir', intents]);
    expect(run.code, run.stderr).to.equal(1);
    expectPositioned(run.stderr, file, 'lang: fr', /candidate 1: lang 'fr' is not valid \(expected zh-CN or en\)/);
  });

  it('kefu intents add: a broken training file exits 1 at its line', async () => {
    const intents = path.join(dir, 'intents-add');
    cpSync(path.join(DATA, 'intents'), intents, { recursive: true });
    writeFileSync(
      path.join(intents, 'candidates.yaml'),
      "candidates:\n  - { id: K-2, text: milk is off, lang: en, intent: expired_food, bot_read: unsure, agent: li, at: '2026-11-30T10:00:00.000Z', status: pending }\n",
    );
    const file = path.join(intents, 'train', 'en.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\nexpired_food:\n  - again\n`);
    const run = await runKefu(['intents', 'add', 'K-2', '--dir', intents]);
    expect(run.code, run.stderr).to.equal(1);
    expectPositioned(run.stderr, file, 'expired_food:', /key 'expired_food' appears twice/);
  });

  it('kefu rules check: a YAML mistake and a schema mistake are reported at their lines', async () => {
    const file = path.join(dir, 'rules.yaml');
    const text = readFileSync(path.join(DATA, 'rules.yaml'), 'utf8');
    writeFileSync(file, text.replace(/^hit_policy: .*$/m, '$&\nhit_policy: first'));
    const dup = await runKefu(['rules', 'check', file]);
    expect(dup.code).to.equal(1);
    expect(dup.stdout + dup.stderr).to.match(/:\d+:1: error \[duplicate_key\] key 'hit_policy' appears twice/);

    writeFileSync(file, text.replace(/^hit_policy: .*$/m, 'hit_policy: sometimes'));
    const schema = await runKefu(['rules', 'check', file]);
    expect(schema.code).to.equal(1);
    const out = schema.stdout + schema.stderr;
    const line = Number(new RegExp(`${path.basename(file)}:(\\d+):\\d+: error \\[schema\\]`).exec(out)?.[1]);
    expect(readFileSync(file, 'utf8').split('\n')[line - 1]).to.contain('hit_policy: sometimes');
  });
});
