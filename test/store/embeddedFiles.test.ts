/**
 * What only the embedded backend's files need: the write-ahead log is copied back by a worker
 * thread (not by a shopper's turn), and the evidence directory survives being tidied up.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirEvidenceStore, openSqlite, SqliteCaseStore } from '../../bot/store/index.js';
import { SAFETY_PAGES, startWalCheckpointer } from '../../bot/store/walCheckpointer.js';
import { PNG_1X1 } from '../support/kefuHarness.js';
import { sampleCase } from './caseStoreContract.js';

describe('embedded store files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'kefu-files-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checkpoints the write-ahead log from a worker thread, and the turn-side mark is raised', async () => {
    const file = path.join(dir, 'kefu.sqlite');
    const db = openSqlite(file);
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(db, (e) => errors.push(e), 60_000);
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).to.equal(SAFETY_PAGES);
      const cases = new SqliteCaseStore(db);
      for (let i = 0; i < 50; i++) await cases.create(sampleCase());
      const mainBefore = statSync(file).size;
      expect(statSync(`${file}-wal`).size).to.be.greaterThan(50 * 4096);
      expect(await checkpointer.checkpoint()).to.be.greaterThan(50);
      // The cases' pages now live in the main file itself, not only in the log.
      expect(statSync(file).size).to.be.greaterThan(mainBefore + 10 * 4096);
    } finally {
      await checkpointer.stop();
      db.close();
    }
    expect(errors).to.deep.equal([]);
  });

  it('checkpoints on its own, every interval, without being asked', async () => {
    const file = path.join(dir, 'kefu.sqlite');
    const db = openSqlite(file);
    const checkpointer = startWalCheckpointer(db, () => undefined, 50);
    try {
      const cases = new SqliteCaseStore(db);
      const mainBefore = statSync(file).size;
      for (let i = 0; i < 50; i++) await cases.create(sampleCase());
      const deadline = Date.now() + 5000;
      while (statSync(file).size <= mainBefore + 10 * 4096 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 25));
      expect(statSync(file).size).to.be.greaterThan(mainBefore + 10 * 4096);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('writes evidence again after its sub-directory was removed behind its back', async () => {
    const store = new DirEvidenceStore(path.join(dir, 'evidence'));
    const first = await store.put(PNG_1X1, 'image/png');
    rmSync(path.join(dir, 'evidence', first.key.slice(0, 2)), { recursive: true });
    const again = await store.put(PNG_1X1, 'image/png');
    expect(again.key).to.equal(first.key);
    expect(existsSync(path.join(dir, 'evidence', first.key.slice(0, 2), `${first.key}.json`))).to.equal(true);
    expect((await store.get(again.key))?.data.equals(PNG_1X1)).to.equal(true);
  });
});
