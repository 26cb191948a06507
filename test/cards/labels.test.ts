import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CARDS_FILE, loadCardLabels, CHECKLIST_STATUSES } from '../../dialogs/cards/labels.js';
import { DataFileError } from '../../lib/dataFile.js';
import { REMEDIES } from '../../rules/facts.js';

describe('data/cards.yaml', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-cards-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function broken(edit: (source: string) => string): string {
    const file = path.join(dir, 'cards.yaml');
    writeFileSync(file, edit(readFileSync(DEFAULT_CARDS_FILE, 'utf8')));
    try {
      loadCardLabels(file);
    } catch (err) {
      expect(err).to.be.instanceOf(DataFileError);
      return (err as Error).message;
    }
    throw new Error('expected the file to be refused');
  }

  it('names every remedy, checklist status and five scores in both languages', () => {
    const labels = loadCardLabels();
    for (const lang of ['zh-CN', 'en'] as const) {
      expect(Object.keys(labels[lang].remedy.remedies).sort()).to.deep.equal([...REMEDIES].sort());
      expect(Object.keys(labels[lang].checklist.status).sort()).to.deep.equal([...CHECKLIST_STATUSES].sort());
      expect(labels[lang].csat.scores).to.have.length(5);
      for (const [i, s] of labels[lang].csat.scores.entries()) expect(s.startsWith(String(i + 1))).to.equal(true);
    }
    expect(labels['zh-CN'].remedy.accept).not.to.equal(labels.en.remedy.accept);
  });

  it('reports a missing key with the file, line and column of its parent', () => {
    const message = broken((s) => s.replace('      exchange: "Exchange"\n', ''));
    expect(message).to.match(/cards\.yaml:\d+:\d+: en\.remedy\.remedies 'exchange' is missing/);
    const line = Number(/cards\.yaml:(\d+):/.exec(message)?.[1]);
    expect(readFileSync(path.join(dir, 'cards.yaml'), 'utf8').split('\n')[line - 1]).to.contain('reship');
  });

  it('reports a misspelt key, a lost placeholder and a too-long button at their lines', () => {
    const message = broken((s) =>
      s
        .replace('      refund: "退款"', '      refnd: "退款"')
        .replace('"{done} of {total} provided"', '"{done} provided"')
        .replace('acknowledge: "OK"', 'acknowledge: "OK, thank you very much for this"'),
    );
    expect(message).to.contain("'refnd' is not a known key");
    expect(message).to.match(/en\.checklist\.progress must keep the placeholder \{total\}/);
    expect(message).to.match(/cards\.yaml:\d+:\d+: en\.remedy\.acknowledge must NOT have more than 20 characters/);
  });

  it('reports a YAML syntax error with its position', () => {
    expect(
      broken((s) => s.replace('  csat:\n    title: "服务评价"', '  csat:\n    title: "服务评价\n  bad: [')),
    ).to.match(/cards\.yaml:\d+:\d+: /);
  });
});
