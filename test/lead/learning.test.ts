import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../bot/cli/main.js';
import { parseCloseDecision } from '../../domain/handoff/closeDecision.js';
import { readCandidates } from '../../bot/lead/candidates.js';
import { SqliteCaseStore } from '../../bot/store/sqliteCaseStore.js';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import { parseExamples } from '../../intents/dataset.js';
import { apiServer } from '../handoff/apiServer.js';
import { captureIo } from '../support/cliIo.js';
import { facts, resolvedCase } from './fixtures.js';

const MISREAD = '箱子到的时候整个压扁了，里面的洗衣液漏了一地';

describe('learning loop: agents’ corrections become training examples', () => {
  describe('the close decision', () => {
    it('takes an optional corrected complaint and refuses labels that are not complaints', () => {
      expect(parseCloseDecision({ kind: 'accept_proposal', note: 'ok', complaint: 'damaged_packaging' })).to.deep.equal(
        { kind: 'accept_proposal', note: 'ok', complaint: 'damaged_packaging' },
      );
      expect(parseCloseDecision({ kind: 'reject', note: 'no' })).to.deep.equal({ kind: 'reject', note: 'no' });
      expect(() => parseCloseDecision({ kind: 'reject', note: 'x', complaint: 'greeting' })).to.throw(
        /complaint must be one of expired_food/,
      );
    });

    it('is stored on the case when an agent closes it through the API', async () => {
      const api = await apiServer();
      try {
        const { c } = await api.queuedCase();
        const headers = { ...api.auth(), 'content-type': 'application/json' };
        expect((await fetch(`${api.base}/api/agent/cases/${c.id}/claim`, { method: 'POST', headers })).status).to.equal(
          200,
        );
        const res = await fetch(`${api.base}/api/agent/cases/${c.id}/close`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            kind: 'change',
            remedy: 'refund',
            note: 'it was a leak, not expiry',
            complaint: 'damaged_packaging',
          }),
        });
        expect(res.status).to.equal(200);
        const stored = await api.cases.get(c.id);
        expect(stored?.complaint).to.equal('expired_food');
        expect(stored?.resolution).to.include({ remedy: 'refund', complaint: 'damaged_packaging', agent: 'alice' });
      } finally {
        await api.close();
      }
    });
  });

  describe('kefu intents review | add', () => {
    let dir: string;
    let intents: string;
    let caseId: string;
    const env = () => ({ KEFU_DATA_DIR: dir });

    beforeEach(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'kefu-lead-learn-'));
      intents = path.join(dir, 'intents');
      mkdirSync(intents);
      cpSync('data/intents/train', path.join(intents, 'train'), { recursive: true });
      const db = openSqlite(path.join(dir, 'kefu.sqlite'));
      const store = new SqliteCaseStore(db);
      const base = Date.now() - 3_600_000;
      caseId = (
        await store.create(
          resolvedCase({
            base,
            reason: 'rule',
            answerMinutes: 2,
            resolveMinutes: 20,
            complaint: 'logistics',
            facts: facts({ complaint: 'logistics', category: 'daily_chemical', order_amount: 39 }),
            firstMessage: `  ${MISREAD}\n`,
            resolution: { kind: 'change', remedy: 'reship', complaint: 'damaged_packaging' },
          }),
        )
      ).id;
      // An agent who confirmed the bot's reading is not a correction.
      await store.create(
        resolvedCase({
          base,
          reason: 'rule',
          answerMinutes: 2,
          resolveMinutes: 20,
          complaint: 'expired_food',
          facts: facts({ complaint: 'expired_food', order_amount: 10 }),
          firstMessage: '牛奶过期了',
          resolution: { kind: 'accept_proposal', remedy: 'refund', complaint: 'expired_food' },
        }),
      );
      db.close();
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('review lists each correction once, with the shopper’s first message and the corrected label', async () => {
      const c = captureIo();
      c.io.env = env();
      expect(await main(['intents', 'review', '--dir', intents], c.io)).to.equal(0);
      expect(c.out())
        .to.contain('1 candidate to review (1 new)')
        .and.contain(`${caseId}  [zh-CN] logistics → damaged_packaging  "${MISREAD}"`);
      const again = captureIo();
      again.io.env = env();
      expect(await main(['intents', 'review', '--dir', intents, '--json'], again.io)).to.equal(0);
      const doc = JSON.parse(again.out()) as { new: number; pending: { id: string; intent: string; text: string }[] };
      expect(doc.new).to.equal(0);
      expect(doc.pending.map((p) => [p.id, p.intent, p.text])).to.deep.equal([[caseId, 'damaged_packaging', MISREAD]]);
    });

    it('add appends the example under its label, changing nothing else, and marks it added', async () => {
      const train = path.join(intents, 'train', 'zh-CN.yaml');
      const before = readFileSync(train, 'utf8');
      const r = captureIo();
      r.io.env = env();
      await main(['intents', 'review', '--dir', intents], r.io);
      const a = captureIo();
      a.io.env = env();
      expect(await main(['intents', 'add', caseId, '--dir', intents], a.io)).to.equal(0);
      expect(a.out()).to.contain(`${caseId} added to train/zh-CN.yaml under damaged_packaging`);

      const after = readFileSync(train, 'utf8');
      const examples = parseExamples(after, train, 'zh-CN');
      expect(examples.filter((e) => e.text === MISREAD).map((e) => e.intent)).to.deep.equal(['damaged_packaging']);
      expect(examples.length).to.equal(parseExamples(before, train, 'zh-CN').length + 1);
      const added = after.split('\n').filter((l) => !before.split('\n').includes(l));
      expect(added).to.deep.equal([`  - ${MISREAD}`]);
      expect(readCandidates(path.join(intents, 'candidates.yaml')).map((c) => [c.id, c.status])).to.deep.equal([
        [caseId, 'added'],
      ]);

      const again = captureIo();
      again.io.env = env();
      await main(['intents', 'review', '--dir', intents], again.io);
      expect(again.out()).to.contain('0 candidates to review (0 new)');
    });

    it('add refuses ids that are not candidates', async () => {
      const c = captureIo();
      c.io.env = env();
      expect(await main(['intents', 'add', 'K-NOPE', '--dir', intents], c.io)).to.equal(1);
      expect(c.err()).to.contain('no candidate K-NOPE');
    });
  });

  it('the candidates file in data/ parses', () => {
    expect(() => readCandidates('data/intents/candidates.yaml')).not.to.throw();
    expect(
      readCandidates('data/intents/candidates.yaml').every((c) => c.status === 'pending' || c.status === 'added'),
    ).to.equal(true);
  });
});
