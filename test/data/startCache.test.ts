/**
 * The start cache (lib/startCache.ts): what a start from the build derived from the data files
 * comes back on the next start only for the same build and the same bytes, never stale, never a
 * value that failed its checks; and a table read back from it decides exactly as one parsed anew.
 */
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { derivedFromFiles } from '../../lib/startCache.js';
import { loadTable, partsOf, tableFromParts } from '../../rules/table.js';
import { runTableTests } from '../../rules/tableTests.js';
import { loadVerifiedTable } from '../../rules/watch.js';
import { ROOT } from '../support/kefuHarness.js';

describe('start cache: derived data kept between starts of one build', () => {
  let dir: string;
  let cacheDir: string;
  let file: string;
  let calls: number;
  const derive = () => {
    calls++;
    return { text: String(Date.now() + calls), map: new Map([['k', { n: calls }]]) };
  };
  const read = (build = 'build-1') => derivedFromFiles('demo', [file], derive, { dir: cacheDir, build });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kefu-start-cache-'));
    cacheDir = path.join(dir, 'cache');
    file = path.join(dir, 'data.yaml');
    writeFileSync(file, 'a: 1\n');
    calls = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('derives once, then reads the same value back (Maps included) for the same bytes and build', () => {
    const first = read();
    const second = read();
    expect(calls).to.equal(1);
    expect(second).to.deep.equal(first);
    expect(second.map.get('k')).to.deep.equal({ n: 1 });
  });

  it('derives again when a file changes, and keeps one entry per file', () => {
    read();
    writeFileSync(file, 'a: 2\n');
    const after = read();
    expect(calls).to.equal(2);
    expect(after.map.get('k')).to.deep.equal({ n: 2 });
    expect(readdirSync(cacheDir)).to.have.length(1);
    // Back to the first bytes: not the entry of the second version.
    writeFileSync(file, 'a: 1\n');
    read();
    expect(calls).to.equal(3);
  });

  it('derives again for another build', () => {
    read('build-1');
    read('build-2');
    expect(calls).to.equal(2);
  });

  it('treats a missing file as an input: it appearing means deriving again', () => {
    const optional = path.join(dir, 'optional.yaml');
    const both = () => derivedFromFiles('demo', [file, optional], derive, { dir: cacheDir, build: 'b' });
    both();
    both();
    writeFileSync(optional, 'x: 1\n');
    both();
    expect(calls).to.equal(2);
  });

  it('never keeps a failure: a file with a mistake is checked, and reported, on every start', () => {
    const failing = () =>
      derivedFromFiles(
        'demo',
        [file],
        () => {
          calls++;
          throw new Error('data.yaml:1:1: a mistake');
        },
        { dir: cacheDir, build: 'b' },
      );
    expect(failing).to.throw('a mistake');
    expect(failing).to.throw('a mistake');
    expect(calls).to.equal(2);
  });

  it('derives again over a damaged entry, and repairs it', () => {
    read();
    const [entry] = readdirSync(cacheDir);
    writeFileSync(path.join(cacheDir, entry!), 'not a v8 value');
    const again = read();
    expect(calls).to.equal(2);
    expect(again.map.get('k')).to.deep.equal({ n: 2 });
    read();
    expect(calls).to.equal(2);
  });

  it('only costs the time when the cache cannot be written', () => {
    writeFileSync(cacheDir, 'a file where the folder should be');
    expect(read().map.get('k')).to.deep.equal({ n: 1 });
    expect(read().map.get('k')).to.deep.equal({ n: 2 });
  });

  it('without a build (running from the sources) derives every time and writes nothing', () => {
    derivedFromFiles('demo', [file], derive);
    derivedFromFiles('demo', [file], derive);
    expect(calls).to.equal(2);
  });

  it('a rule table read back decides every table test exactly as the table parsed anew', () => {
    const rules = path.join(dir, 'rules.yaml');
    copyFileSync(path.join(ROOT, 'data', 'rules.yaml'), rules);
    copyFileSync(path.join(ROOT, 'data', 'rules.tests.yaml'), path.join(dir, 'rules.tests.yaml'));
    const fresh = loadTable(rules);
    const parts = derivedFromFiles('rule-table', [rules], () => partsOf(fresh), { dir: cacheDir, build: 'b' });
    const back = derivedFromFiles(
      'rule-table',
      [rules],
      () => {
        throw new Error('should come from the cache');
      },
      { dir: cacheDir, build: 'b' },
    );
    expect(back).to.deep.equal(parts);
    const cached = tableFromParts(back);
    expect(cached.hash).to.equal(fresh.hash);
    expect(cached.tests.length).to.be.above(20);
    for (const t of cached.tests) expect(cached.evaluate(t.facts), t.name).to.deep.equal(fresh.evaluate(t.facts));
    expect(runTableTests(cached, cached.tests)).to.deep.equal(runTableTests(fresh, fresh.tests));
    // And through the loader the server uses (no build here, so it parses: the same table).
    expect(loadVerifiedTable(rules).hash).to.equal(fresh.hash);
  });
});
