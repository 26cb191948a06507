/**
 * The botbuilder `Storage` contract every backend must meet (eTag compare-and-set, atomic
 * multi-key writes, races between instances), run against each backend by backends.test.ts.
 */
import { expect } from 'chai';
import type { Storage, StoreItems } from 'botbuilder';
import { EtagConflictError } from '../../bot/store/index.js';
import { rejection, type Fixture } from './backends.js';

/** Read-modify-write with retry on conflict, as a bot turn does on fresh state. */
async function increment(storage: Storage, key: string): Promise<number> {
  for (let conflicts = 0; ; conflicts++) {
    const item = (await storage.read([key]))[key]!;
    try {
      await storage.write({ [key]: { ...item, count: item.count + 1 } });
      return conflicts;
    } catch (err) {
      if (!(err instanceof EtagConflictError) || conflicts > 100) throw err;
    }
  }
}

export function storageContract(fixture: () => Fixture): void {
  it('reads nothing for keys never written', async () => {
    expect(await fixture().a.state.read(['test/conversations/none/'])).to.deep.equal({});
  });

  it('round-trips nested data and sets an eTag on every stored item', async () => {
    const { state } = fixture().a;
    const item = {
      dialogStack: [{ id: 'triage', state: { values: { 订单: '284716350192837465', n: 1.5 } } }],
      lang: 'zh-CN',
    };
    await state.write({ k1: { ...item }, k2: { x: null, list: [true, false] } });
    const read = await state.read(['k1', 'k2', 'missing']);
    expect(Object.keys(read).sort()).to.deep.equal(['k1', 'k2']);
    const { eTag, ...data } = read.k1!;
    expect(data).to.deep.equal(item);
    expect(eTag).to.be.a('string').and.not.equal('*');
    expect(read.k2!.eTag).to.be.a('string').and.not.equal(eTag);
  });

  it('accepts a write with the current eTag and issues a new one', async () => {
    const { state } = fixture().a;
    await state.write({ k: { step: 1 } });
    const first = (await state.read(['k'])).k!;
    await state.write({ k: { ...first, step: 2 } });
    const second = (await state.read(['k'])).k!;
    expect(second.step).to.equal(2);
    expect(second.eTag).to.not.equal(first.eTag);
  });

  it('puts the new eTag on the written item, so a second save in the same turn is not a conflict', async () => {
    const { state } = fixture().a;
    await state.write({ k: { step: 1 } });
    const item = (await state.read(['k'])).k!;
    item.step = 2;
    await state.write({ k: item });
    item.step = 3;
    await state.write({ k: item });
    const stored = (await state.read(['k'])).k!;
    expect(stored.step).to.equal(3);
    expect(stored.eTag).to.equal(item.eTag);
  });

  it('refuses a stale eTag with an error naming the key, and applies nothing of that write', async () => {
    const { state } = fixture().a;
    await state.write({ 'conv/a': { step: 1 }, 'user/a': { lang: 'en' } });
    const stale: StoreItems = await state.read(['conv/a', 'user/a']);
    await state.write({ 'conv/a': { ...stale['conv/a'], step: 2 } });
    const err = await rejection(
      state.write({ 'user/a': { ...stale['user/a'], lang: 'zh-CN' }, 'conv/a': { ...stale['conv/a'], step: 99 } }),
    );
    expect(err).to.be.instanceOf(EtagConflictError);
    expect(err.message)
      .to.match(/eTag conflict/)
      .and.contain('conv/a');
    const now = await state.read(['conv/a', 'user/a']);
    expect(now['conv/a']!.step).to.equal(2);
    expect(now['user/a']!.lang).to.equal('en');
  });

  it("overwrites whatever is stored when the eTag is '*' or absent", async () => {
    const { state } = fixture().a;
    await state.write({ k: { v: 1 } });
    await state.write({ k: { v: 2, eTag: '*' } });
    expect((await state.read(['k'])).k!.v).to.equal(2);
    await state.write({ k: { v: 3 } });
    expect((await state.read(['k'])).k!.v).to.equal(3);
  });

  it('deletes items, after which an old eTag no longer conflicts', async () => {
    const { state } = fixture().a;
    await state.write({ k: { v: 1 }, other: { v: 1 } });
    const old = (await state.read(['k'])).k!;
    await state.delete(['k']);
    expect(await state.read(['k', 'other'])).to.have.keys('other');
    await state.write({ k: { ...old, v: 2 } });
    expect((await state.read(['k'])).k!.v).to.equal(2);
  });

  it('lets exactly one of two instances win a race on one conversation', async () => {
    const { a, b } = fixture();
    await a.state.write({ conv: { step: 0 } });
    const seenByA = (await a.state.read(['conv'])).conv!;
    const seenByB = (await b.state.read(['conv'])).conv!;
    await b.state.write({ conv: { ...seenByB, step: 'b' } });
    const err = await rejection(a.state.write({ conv: { ...seenByA, step: 'a' } }));
    expect(err).to.be.instanceOf(EtagConflictError);
    expect((await a.state.read(['conv'])).conv!.step).to.equal('b');
  });

  it('loses no update when turns on two instances race and retry on fresh state', async () => {
    const { a, b } = fixture();
    // Seeded first: a write without an eTag overwrites by contract, as for a brand-new conversation.
    await a.state.write({ counter: { count: 0 } });
    const workers = Array.from({ length: 24 }, (_, i) => increment(i % 2 === 0 ? a.state : b.state, 'counter'));
    await Promise.all(workers);
    expect((await a.state.read(['counter'])).counter!.count).to.equal(24);
  });

  it('is seen unchanged by a restarted instance', async () => {
    const f = fixture();
    await f.a.state.write({ conv: { dialogStack: ['triage', 'evidence'] } });
    const before = (await f.a.state.read(['conv'])).conv;
    const again = await f.restart();
    expect((await again.state.read(['conv'])).conv).to.deep.equal(before);
  });
}
