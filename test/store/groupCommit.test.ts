/**
 * Group commit on the embedded SQLite file (bot/store/groupCommit.ts): the writes of one
 * event-loop tick share one transaction, and each write's promise settles only once that
 * transaction is committed, so a write is durable, seen by another connection, when its caller
 * goes on. Checked through a second connection to the same file, as another process would see it.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { commitNow, committed, writesSettled, writtenNow } from '../../bot/store/groupCommit.js';
import { TurnWrites } from '../../domain/cases.js';
import { openSqlite, SqliteCaseStore, SqliteLedger, SqliteStorage, type SqliteDb } from '../../bot/store/index.js';
import { sampleCase } from './caseStoreContract.js';
import { startHarness } from '../support/kefuHarness.js';

describe('group commit on the embedded SQLite file', () => {
  let dir: string;
  let db: SqliteDb;
  let other: Database.Database;
  const seen = () => (other.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kefu-group-'));
    db = openSqlite(path.join(dir, 'kefu.sqlite'));
    db.exec(`CREATE TABLE t (v TEXT PRIMARY KEY);
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    other = new Database(path.join(dir, 'kefu.sqlite'), { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (err: Error) => err.message,
    );

  it('commits the writes of one tick together, and each resolves only once another connection sees it', async () => {
    const a = committed(db, () => insert('a'));
    const b = committed(db, () => insert('b'));
    expect(db.inTransaction, 'one open transaction for the tick').to.equal(true);
    expect(seen(), 'nothing is visible before the commit').to.deep.equal([]);
    let resolvedEarly = false;
    void a.then(() => {
      resolvedEarly = seen().length === 0;
    });
    await Promise.all([a, b]);
    expect(resolvedEarly).to.equal(false);
    expect(seen()).to.deep.equal(['a', 'b']);
    expect(db.inTransaction).to.equal(false);
  });

  it('a write that fails is undone alone; the others of its tick commit', async () => {
    await committed(db, () => insert('x'));
    const ok = committed(db, () => insert('a'));
    const dup = committed(db, () => insert('x'));
    const ok2 = committed(db, () => insert('b'));
    expect(await failure(dup)).to.match(/UNIQUE/);
    await Promise.all([ok, ok2]);
    expect(seen()).to.deep.equal(['a', 'b', 'x']);
  });

  it('a write that fails alone leaves no transaction open', async () => {
    await committed(db, () => insert('x'));
    expect(await failure(committed(db, () => insert('x')))).to.match(/UNIQUE/);
    expect(db.inTransaction).to.equal(false);
    await committed(db, () => insert('y'));
    expect(seen()).to.deep.equal(['x', 'y']);
  });

  it('a commit that fails rejects every write of its tick and keeps none of them', async () => {
    const a = committed(db, () => insert('a'));
    // A deferred foreign key is checked at COMMIT: this write makes the whole commit fail.
    const orphan = committed(db, () => db.prepare('INSERT INTO child (p) VALUES (42)').run());
    const results = await Promise.allSettled([a, orphan]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    expect(seen()).to.deep.equal([]);
    expect(db.inTransaction).to.equal(false);
    await committed(db, () => insert('after'));
    expect(seen()).to.deep.equal(['after']);
  });

  it('a second connection to the file in this process commits the open group first instead of waiting for it', async () => {
    const second = openSqlite(path.join(dir, 'kefu.sqlite'));
    second.pragma('busy_timeout = 200');
    try {
      const a = committed(db, () => insert('a'));
      // Waiting would end in SQLITE_BUSY: only this thread can release the first group's lock.
      const b = committed(second, () => second.prepare('INSERT INTO t (v) VALUES (?)').run('b'));
      expect(seen(), "the first connection's group is committed").to.deep.equal(['a']);
      await Promise.all([a, b]);
      expect(seen()).to.deep.equal(['a', 'b']);
    } finally {
      second.close();
    }
  });

  it('writesSettled waits for the open group, and resolves at once when nothing is pending', async () => {
    await writesSettled(db);
    void committed(db, () => insert('a'));
    await writesSettled(db);
    expect(seen()).to.deep.equal(['a']);
  });

  it('writtenNow returns at once with the write readable here, and durable settles with the commit', async () => {
    const { value, durable } = writtenNow(db, () => insert('a').changes);
    expect(value).to.equal(1);
    expect(db.prepare('SELECT v FROM t').all(), 'this connection reads it at once').to.deep.equal([{ v: 'a' }]);
    expect(seen(), 'another connection does not, until the commit').to.deep.equal([]);
    await durable;
    expect(seen()).to.deep.equal(['a']);
    expect(() => writtenNow(db, () => insert('a')), 'a write that fails throws at once').to.throw(/UNIQUE/);
    expect(db.inTransaction).to.equal(false);
  });

  it('writtenNow: a commit that fails rejects durable, and keeps nothing', async () => {
    const { durable } = writtenNow(db, () => insert('a'));
    void committed(db, () => db.prepare('INSERT INTO child (p) VALUES (42)').run()).catch(() => undefined);
    expect(await failure(durable)).to.match(/FOREIGN KEY/);
    expect(seen()).to.deep.equal([]);
  });

  it('a case created within a turn is readable at once and durable by TurnWrites; a failed commit shows there', async () => {
    const cases = new SqliteCaseStore(db);
    const writes = new TurnWrites();
    const created = await cases.create(sampleCase(), writes);
    expect((await cases.get(created.id))?.id, 'read on this connection before the commit').to.equal(created.id);
    expect(other.prepare('SELECT id FROM cases').all(), 'not yet committed').to.deep.equal([]);
    await writes.durable();
    expect(other.prepare('SELECT id FROM cases').all()).to.deep.equal([{ id: created.id }]);
    writes.throwIfFailed();

    const failing = new TurnWrites();
    const lost = await cases.create(sampleCase(), failing);
    void committed(db, () => db.prepare('INSERT INTO child (p) VALUES (42)').run()).catch(() => undefined);
    expect(() => failing.throwIfFailed(), 'nothing has failed before the commit').not.to.throw();
    expect(await failure(failing.durable())).to.match(/FOREIGN KEY/);
    expect(() => failing.throwIfFailed()).to.throw(/FOREIGN KEY/);
    expect(await cases.get(lost.id)).to.equal(undefined);
  });

  it('commitNow commits the open group at once (before the connection closes)', async () => {
    const a = committed(db, () => insert('a'));
    commitNow(db);
    expect(seen()).to.deep.equal(['a']);
    await a;
  });

  it("kefu's stores: a turn's state, case and ledger writes made together are all durable when they resolve", async () => {
    const state = new SqliteStorage(db);
    const cases = new SqliteCaseStore(db);
    const ledger = new SqliteLedger(db);
    const [, created, claim] = await Promise.all([
      state.write({ 'c/conversations/1/': { turn: 1 } }),
      cases.create(sampleCase()),
      ledger.begin('scope:1', 'owner', 10_000),
    ]);
    expect(claim).to.deep.equal({ state: 'new' });
    expect(other.prepare('SELECT key FROM state').all()).to.deep.equal([{ key: 'c/conversations/1/' }]);
    expect(other.prepare('SELECT id FROM cases').all()).to.deep.equal([{ id: created.id }]);
    expect(other.prepare('SELECT owner FROM activity_ledger').all()).to.deep.equal([{ owner: 'owner' }]);
  });
});

describe("a turn's replies wait until every store write so far is durable", () => {
  it('holds the replies until the stores have settled, and answers "not saved" when they cannot', async () => {
    const h = await startHarness();
    try {
      const stores = h.app.stores;
      let open: () => void = () => undefined;
      let settles = 0;
      stores.settled = () => {
        settles++;
        return new Promise<void>((resolve) => {
          open = resolve;
        });
      };
      let answered = false;
      const turn = h.say('c-settle', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱 284716350192837465' }).then((r) => {
        answered = true;
        return r;
      });
      while (settles === 0) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      expect(answered, 'no reply before the stores settle').to.equal(false);
      open();
      const replies = await turn;
      expect(replies.map((r) => r.text ?? '').join('\n')).to.match(/KF\d{4}-/);

      stores.settled = () => Promise.reject(new Error('disk full'));
      const refused = await h.say('c-settle', 'u-lihua', { text: '跳过' });
      expect(refused.map((r) => (r.channelData as { refused?: string } | undefined)?.refused)).to.include('not_saved');
    } finally {
      await h.close();
    }
  });
  it('a case whose commit fails is never shown: the turn answers "not saved", no state points at it, and sent again it opens', async () => {
    const h = await startHarness();
    try {
      const db = h.app.stores.sqlite!;
      // Every case insert drags in a row whose deferred foreign key fails at COMMIT.
      db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER lose_cases AFTER INSERT ON cases BEGIN INSERT INTO child (p) VALUES (42); END;`);
      const complaint = { text: '洗发水瓶子破了，漏了一箱 284716350192837465' };
      const refused = await h.say('c-lost', 'u-lihua', complaint);
      expect(refused.map((r) => r.text ?? '').join('\n')).not.to.match(/KF\d{4}-/);
      expect(refused.map((r) => (r.channelData as { refused?: string } | undefined)?.refused)).to.include('not_saved');
      expect(db.prepare('SELECT count(*) AS n FROM cases').get()).to.deep.equal({ n: 0 });
      const states = db.prepare('SELECT data FROM state').all() as { data: string }[];
      expect(
        states.filter((s) => s.data.includes('caseId')),
        'no saved state names a case',
      ).to.deep.equal([]);

      db.exec('DROP TRIGGER lose_cases');
      const opened = await h.say('c-lost', 'u-lihua', complaint);
      const id = opened
        .map((r) => r.text ?? '')
        .join('\n')
        .match(/KF\d{4}-\w+/)?.[0];
      expect(id, 'the case number is shown').to.be.a('string');
      expect(db.prepare('SELECT id FROM cases').all()).to.deep.equal([{ id }]);
    } finally {
      await h.close();
    }
  });
});
