/**
 * What only the embedded backend's files need: the write-ahead log is copied back by a worker
 * thread (not by a shopper's turn), the evidence directory survives being tidied up, and small
 * evidence is kept in the SQLite file while large files and those written before stay files.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DirEvidenceStore,
  IN_FILE_MAX,
  openSqlite,
  SqliteCaseStore,
  SqliteEvidenceStore,
  StoredDataError,
} from '../../bot/store/index.js';
import { SYNC_WRITE_MAX } from '../../bot/store/dirEvidenceStore.js';
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

  // A small photo is written with synchronous calls, a large one through the thread pool: both the same way.
  for (const [size, photo] of [
    ['small', PNG_1X1],
    ['large', Buffer.concat([PNG_1X1, Buffer.alloc(SYNC_WRITE_MAX, 7)])],
  ] as const) {
    it(`writes evidence again after its sub-directory was removed behind its back (${size} file)`, async () => {
      const store = new DirEvidenceStore(path.join(dir, 'evidence'));
      const first = await store.put(photo, 'image/png');
      rmSync(path.join(dir, 'evidence', first.key.slice(0, 2)), { recursive: true });
      const again = await store.put(photo, 'image/png');
      expect(again.key).to.equal(first.key);
      const sub = path.join(dir, 'evidence', first.key.slice(0, 2));
      expect(readdirSync(sub), 'one file, no .tmp left').to.deep.equal([first.key]);
      expect((await store.get(again.key))?.data.equals(photo)).to.equal(true);
      const note = await store.put(photo, 'application/octet-stream');
      expect(readdirSync(sub).sort()).to.deep.equal([first.key, `${first.key}.json`]);
      expect((await store.get(note.key))?.contentType).to.equal('application/octet-stream');
    });
  }

  it('keeps a photo as one file, and a type its bytes do not tell in a .json beside it', async () => {
    const store = new DirEvidenceStore(path.join(dir, 'evidence'));
    const sub = (key: string) => path.join(dir, 'evidence', key.slice(0, 2));
    const photo = await store.put(PNG_1X1, 'image/png');
    expect(readdirSync(sub(photo.key))).to.deep.equal([photo.key]);
    expect((await store.get(photo.key))?.contentType).to.equal('image/png');
    const text = Buffer.from('not a photo');
    const note = await store.put(text, 'text/plain');
    expect(readdirSync(sub(note.key)).sort()).to.deep.equal([note.key, `${note.key}.json`]);
    expect(await store.get(note.key)).to.deep.equal({ data: text, contentType: 'text/plain' });
    // The same bytes put again under another type: the type read back is the last one put.
    const other = Buffer.concat([PNG_1X1, Buffer.from('other')]);
    const key = (await store.put(other, 'application/octet-stream')).key;
    expect((await store.get(key))?.contentType).to.equal('application/octet-stream');
    await store.put(other, 'image/png');
    expect(readdirSync(sub(key))).to.deep.equal([key]);
    expect((await store.get(key))?.contentType).to.equal('image/png');
  });

  it('reads files kept with a .json beside them, and refuses a file whose type nothing tells', async () => {
    const store = new DirEvidenceStore(path.join(dir, 'evidence'));
    const photo = await store.put(PNG_1X1, 'image/png');
    const file = path.join(dir, 'evidence', photo.key.slice(0, 2), photo.key);
    writeFileSync(`${file}.json`, JSON.stringify({ contentType: 'image/x-kept' }));
    expect((await store.get(photo.key))?.contentType).to.equal('image/x-kept');
    const note = await store.put(Buffer.from('plain words'), 'text/plain');
    rmSync(path.join(dir, 'evidence', note.key.slice(0, 2), `${note.key}.json`));
    let err: unknown;
    try {
      await store.get(note.key);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(StoredDataError);
  });

  describe('evidence in the SQLite file', () => {
    const filesIn = (sub: string) =>
      readdirSync(sub, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const open = () => {
      const db = openSqlite(path.join(dir, 'kefu.sqlite'));
      return { db, store: new SqliteEvidenceStore(db, new DirEvidenceStore(path.join(dir, 'evidence'))) };
    };

    it('keeps a photo as a row and creates no file; a file over IN_FILE_MAX goes to the directory', async () => {
      const { db, store } = open();
      try {
        const small = await store.put(PNG_1X1, 'image/png');
        expect(db.prepare('SELECT key, content_type FROM evidence').all()).to.deep.equal([
          { key: small.key, content_type: 'image/png' },
        ]);
        expect(filesIn(dir).map((e) => e.name)).to.deep.equal(['kefu.sqlite', 'kefu.sqlite-shm', 'kefu.sqlite-wal']);
        const video = Buffer.concat([PNG_1X1, Buffer.alloc(IN_FILE_MAX, 3)]);
        const large = await store.put(video, 'video/mp4');
        expect(filesIn(path.join(dir, 'evidence')).map((e) => e.name)).to.include(large.key);
        expect(db.prepare('SELECT count(*) AS n FROM evidence').get()).to.deep.equal({ n: 1 });
        expect(await store.get(small.key)).to.deep.equal({ data: PNG_1X1, contentType: 'image/png' });
        expect((await store.get(large.key))?.data.equals(video)).to.equal(true);
        // The same bytes put again under another type: the type read back is the last one put.
        await store.put(PNG_1X1, 'application/octet-stream');
        expect((await store.get(small.key))?.contentType).to.equal('application/octet-stream');
      } finally {
        db.close();
      }
    });

    it('reads, deletes and sweeps files written to the directory before evidence went into the SQLite file', async () => {
      const before = await new DirEvidenceStore(path.join(dir, 'evidence')).put(PNG_1X1, 'image/png');
      const { db, store } = open();
      try {
        expect(await store.get(before.key)).to.deep.equal({ data: PNG_1X1, contentType: 'image/png' });
        await store.delete(before.key);
        expect(await store.get(before.key)).to.equal(undefined);
        const kept = await new DirEvidenceStore(path.join(dir, 'evidence')).put(Buffer.from('old note'), 'text/plain');
        expect(await store.sweep(new Set(), new Date(Date.now() + 60_000))).to.equal(1);
        expect(await store.get(kept.key)).to.equal(undefined);
      } finally {
        db.close();
      }
    });

    it('sweeps rows no case uses once they are older than the cut-off, and keeps the others', async () => {
      const { db, store } = open();
      try {
        const used = await store.put(PNG_1X1, 'image/png');
        const orphan = await store.put(Buffer.concat([PNG_1X1, Buffer.from('orphan')]), 'image/png');
        expect(await store.sweep(new Set(), new Date(Date.now() - 60_000)), 'nothing old enough').to.equal(0);
        expect(await store.sweep(new Set([used.key]), new Date(Date.now() + 60_000))).to.equal(1);
        expect(await store.get(orphan.key)).to.equal(undefined);
        expect((await store.get(used.key))?.data.equals(PNG_1X1)).to.equal(true);
        expect(await store.get('../kefu.sqlite')).to.equal(undefined);
      } finally {
        db.close();
      }
    });
  });
});
