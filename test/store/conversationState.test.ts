/**
 * kefu's conversation state on the embedded store: what a turn reads is what a later turn sees,
 * a turn that changes nothing writes nothing, every change is written exactly as the state holds
 * it, and of two turns racing on one conversation the slower is refused (eTags), not silently lost.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestAdapter, type StoreItems, type TurnContext } from 'botbuilder';
import { CasConversationState } from '../../bot/casState.js';
import { EtagConflictError, openSqlite, SqliteStorage, type SqliteDb } from '../../bot/store/index.js';

const KEY = 'test/conversations/c1/';

/** Runs `work` as one turn of conversation c1 on its own TurnContext. */
async function turn(work: (context: TurnContext) => Promise<void>): Promise<void> {
  const conversation = { id: 'c1', isGroup: false, conversationType: '', name: '' };
  await new TestAdapter(work, { channelId: 'test', conversation }).receiveActivity('hi');
}

describe('conversation state (CasConversationState on SQLite)', () => {
  let dir: string;
  let db: SqliteDb;
  let storage: SqliteStorage;
  let writes: StoreItems[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-state-'));
    db = openSqlite(path.join(dir, 'kefu.sqlite'));
    storage = new SqliteStorage(db);
    writes = [];
    const write = storage.write.bind(storage);
    storage.write = async (changes) => {
      writes.push(JSON.parse(JSON.stringify(changes)) as StoreItems);
      return write(changes);
    };
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a changed state as it holds it, skips an unchanged one, and the next turn reads what was written', async () => {
    const state = new CasConversationState(storage);
    const session = state.createProperty<{ step: number; lines: string[] }>('session');
    await turn(async (context) => {
      await session.set(context, { step: 1, lines: ['洗发水瓶子破了'] });
      await state.saveChanges(context);
    });
    expect(writes).to.have.length(1);
    await turn(async (context) => {
      expect(await session.get(context)).to.deep.equal({ step: 1, lines: ['洗发水瓶子破了'] });
      await state.saveChanges(context);
    });
    expect(writes, 'a turn that changed nothing').to.have.length(1);
    await turn(async (context) => {
      const s = (await session.get(context))!;
      s.step = 2;
      await state.saveChanges(context);
    });
    expect(writes).to.have.length(2);
    const row = db.prepare('SELECT data FROM state WHERE key = ?').get(KEY) as { data: string };
    expect(JSON.parse(row.data)).to.deep.equal({ session: { step: 2, lines: ['洗发水瓶子破了'] } });
  });

  it('refuses the slower of two turns that read the same state, and keeps the faster one', async () => {
    const a = new CasConversationState(storage);
    const b = new CasConversationState(storage);
    await turn(async (context) => {
      await a.createProperty<number>('n').set(context, 0);
      await a.saveChanges(context);
    });
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reads = 0;
    const racer = (state: CasConversationState, value: number) =>
      turn(async (context) => {
        await state.createProperty<number>('n').get(context);
        if (++reads === 2) release();
        await bothRead;
        await state.createProperty<number>('n').set(context, value);
        await state.saveChanges(context);
      });
    const outcomes = await Promise.allSettled([racer(a, 1), racer(b, 2)]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).to.have.length(1);
    expect((refused[0] as PromiseRejectedResult).reason).to.be.instanceOf(EtagConflictError);
    const row = db.prepare('SELECT data FROM state WHERE key = ?').get(KEY) as { data: string };
    expect([1, 2]).to.include((JSON.parse(row.data) as { n: number }).n);
  });
});
