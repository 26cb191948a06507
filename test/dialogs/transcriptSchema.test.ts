/**
 * Transcript files are data a person writes by hand; a misspelt key must fail loudly instead of
 * turning a check into no check (a matcher with `promt:` used to match any reply).
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTranscript } from './transcriptRunner.js';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'transcripts');

describe('transcript files are checked against a closed schema', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'kefu-transcript-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  function load(text: string): () => unknown {
    const file = path.join(tmp, 'bad.yaml');
    writeFileSync(file, text);
    return () => loadTranscript(file);
  }

  const GOOD = 'title: t\nshopper: u-lihua\nsteps:\n  - user: 你好\n    bot:\n      - prompt: { slot: complaint }\n';

  it('loads every shipped transcript', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).to.be.greaterThan(10);
    for (const f of files) expect(loadTranscript(path.join(dir, f)).steps.length, f).to.be.greaterThan(0);
  });

  it('loads a well-formed file', () => {
    expect(load(GOOD)()).to.deep.equal({
      title: 't',
      shopper: 'u-lihua',
      steps: [{ user: '你好', bot: [{ prompt: { slot: 'complaint' } }] }],
    });
  });

  it('refuses a misspelt matcher key (promt:), naming the file and the place', () => {
    expect(load(GOOD.replace('prompt:', 'promt:'))).to.throw(
      /bad\.yaml:6:9: steps\.0\.bot\.0: 'promt' is not a known key/,
    );
  });

  it('refuses a misspelt step key and a misspelt top-level key', () => {
    expect(load(GOOD.replace('user:', 'usr:'))).to.throw(/bad\.yaml:4:5: steps\.0: 'usr' is not a known key/);
    expect(load(GOOD.replace('shopper:', 'shoper:'))).to.throw(/bad\.yaml:2:1: the file: 'shoper' is not a known key/);
  });

  it('refuses a file fixture that does not exist and a step that sends nothing', () => {
    expect(load(GOOD.replace('user: 你好', 'file: photo.gif'))).to.throw(
      /bad\.yaml:4:11: steps\.0\.file is "photo\.gif" \(expected one of photo\.png/,
    );
    expect(load('title: t\nshopper: u\nsteps:\n  - bot: [{ text: hi }]\n')).to.throw(
      /bad\.yaml:4:5: steps\.0: sends nothing \(expected user, file, value or restart\)/,
    );
  });
});
