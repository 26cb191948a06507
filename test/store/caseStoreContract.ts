/**
 * The CaseStore contract every backend must meet: exact round trips, status history,
 * compare-and-set updates that lose nothing under races between instances, queries.
 */
import { expect } from 'chai';
import { CaseNotFoundError } from '../../bot/store/index.js';
import type { CaseRecord, NewCase } from '../../domain/cases.js';
import type { Fixture } from './backends.js';

export function sampleCase(over: Partial<NewCase> = {}): NewCase {
  return {
    shopperId: 'u-lihua',
    conversationId: 'conv-1',
    channelId: 'directline',
    conversationRef: { conversation: { id: 'conv-1' }, serviceUrl: 'http://localhost:3978', user: { id: 'u-lihua' } },
    locale: 'zh-CN',
    orderId: '284716350192837465',
    complaint: 'damaged_packaging',
    facts: {
      complaint: 'damaged_packaging',
      category: 'daily_chemical',
      hours_since_delivery: 5,
      affected_ratio: 0.5,
      evidence: ['photo_item'],
    },
    evidence: [
      {
        id: 'ev1',
        kind: 'photo_item',
        contentType: 'image/jpeg',
        bytes: 3,
        sha256: 'a'.repeat(64),
        storageKey: 'a'.repeat(64),
        fileName: '破损.jpg',
        receivedAt: '2026-11-11T01:02:03.000Z',
      },
    ],
    decision: {
      ruleId: 'DMG-01',
      tableHash: 'sha256:abc',
      remedy: 'reship',
      escalate: false,
      explain: { 'zh-CN': '商家将补发一瓶。', en: 'The merchant will reship a bottle.' },
      matched: ['complaint = damaged_packaging', 'evidence ⊇ photo_item'],
    },
    status: 'proposed',
    ...over,
  };
}

export function caseStoreContract(fixture: () => Fixture): void {
  it('creates a case with a readable id, version 1 and its first status in the history', async () => {
    const created = await fixture().a.cases.create(sampleCase());
    expect(created.id).to.match(/^KF\d{4}-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(created.version).to.equal(1);
    expect(created.history.map((h) => h.status)).to.deep.equal(['proposed']);
    expect(created.transcript).to.deep.equal([]);
  });

  it('round-trips a case exactly, read by another instance', async () => {
    const { a, b } = fixture();
    const created = await a.cases.create(
      sampleCase({
        transcript: [{ at: '2026-11-11T01:00:00.000Z', from: 'shopper', text: '洗发水瓶子破了 🧴', evidence: ['ev1'] }],
      }),
    );
    expect(await b.cases.get(created.id)).to.deep.equal(created);
  });

  it('finds a case from the id as a shopper types it back', async () => {
    const { cases } = fixture().a;
    const created = await cases.create(sampleCase());
    const typed = created.id.toLowerCase().replace('-', ' ');
    expect((await cases.get(typed))?.id).to.equal(created.id);
    expect(await cases.get('KF0000-ZZZZZZ')).to.equal(undefined);
    expect(await cases.get('not a case')).to.equal(undefined);
  });

  it('updates by compare-and-set: bumps the version, records status changes, keeps who, where and when', async () => {
    const { cases } = fixture().a;
    const created = await cases.create(sampleCase());
    const updated = await cases.update(created.id, (c) => ({
      ...c,
      id: 'KF9999-HACKED',
      createdAt: 'x',
      shopperId: 'u-other',
      conversationId: 'c-other',
      status: 'escalated',
    }));
    expect(updated.id).to.equal(created.id);
    expect(updated.createdAt).to.equal(created.createdAt);
    expect([updated.shopperId, updated.conversationId]).to.deep.equal([created.shopperId, created.conversationId]);
    expect((await cases.list({ shopperId: 'u-other' })).length).to.equal(0);
    expect(updated.version).to.equal(2);
    expect(updated.history.map((h) => h.status)).to.deep.equal(['proposed', 'escalated']);
    const agent = await cases.update(created.id, (c) => ({
      ...c,
      status: 'assigned',
      history: [...c.history, { at: new Date().toISOString(), status: 'assigned', by: 'agent:xiaomei' }],
    }));
    expect(agent.history.map((h) => h.by)).to.deep.equal(['bot', 'bot', 'agent:xiaomei']);
    expect(await cases.get(created.id)).to.deep.equal(agent);
  });

  it('finds a case by its current status after updates that keep it and updates that change it', async () => {
    const { cases } = fixture().a;
    const created = await cases.create(sampleCase({ status: 'open' }));
    const byStatus = async (status: CaseRecord['status']) => [
      (await cases.list({ status: [status] })).map((c) => c.id),
      (await cases.list({ shopperId: 'u-lihua', status: [status] })).map((c) => c.id),
    ];
    const kept = await cases.update(created.id, (c) => ({ ...c, facts: { ...c.facts, prior_claims_90d: 1 } }));
    expect([kept.version, kept.status]).to.deep.equal([2, 'open']);
    expect(await byStatus('open')).to.deep.equal([[created.id], [created.id]]);
    await cases.update(created.id, (c) => ({ ...c, status: 'proposed' }));
    await cases.update(created.id, (c) => ({ ...c, facts: { ...c.facts, prior_claims_90d: 2 } }));
    expect(await byStatus('open')).to.deep.equal([[], []]);
    expect(await byStatus('proposed')).to.deep.equal([[created.id], [created.id]]);
    const final = (await cases.get(created.id))!;
    expect([final.version, final.status, final.facts.prior_claims_90d]).to.deep.equal([4, 'proposed', 2]);
  });

  it('writes nothing for a change that alters nothing: the version and update time stay', async () => {
    const { cases } = fixture().a;
    const created = await cases.create(sampleCase());
    const same = await cases.update(created.id, (c) => ({ ...c, facts: { ...c.facts }, evidence: [...c.evidence] }));
    expect(same).to.deep.equal(created);
    const changed = await cases.update(created.id, (c) => ({ ...c, facts: { ...c.facts, prior_claims_90d: 3 } }));
    expect(changed.version).to.equal(2);
    expect((await cases.get(created.id))?.facts.prior_claims_90d).to.equal(3);
  });

  it('loses no update when two instances update one case at once', async () => {
    const { a, b } = fixture();
    const created = await a.cases.create(sampleCase());
    const append = (store: typeof a.cases, n: number) =>
      store.update(created.id, (c) => ({
        ...c,
        transcript: [...c.transcript, { at: new Date().toISOString(), from: 'shopper', text: `msg ${n}` }],
      }));
    await Promise.all(Array.from({ length: 16 }, (_, n) => append(n % 2 === 0 ? a.cases : b.cases, n)));
    const final = (await a.cases.get(created.id))!;
    expect(final.version).to.equal(17);
    expect(final.transcript.map((t) => t.text).sort()).to.deep.equal(
      Array.from({ length: 16 }, (_, n) => `msg ${n}`).sort(),
    );
  });

  it('refuses to update a case that does not exist', async () => {
    let err: unknown;
    try {
      await fixture().a.cases.update('KF2611-7Q4M9C', (c) => c);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(CaseNotFoundError);
  });

  it('lists newest first, filtered by status, shopper, conversation and creation time, with a limit', async () => {
    const { cases } = fixture().a;
    const made: CaseRecord[] = [];
    for (const [i, [shopperId, status]] of (
      [
        ['u-lihua', 'open'],
        ['u-wangfang', 'escalated'],
        ['u-lihua', 'escalated'],
        ['u-lihua', 'resolved'],
      ] as const
    ).entries()) {
      made.push(await cases.create(sampleCase({ shopperId, status, conversationId: i < 2 ? 'conv-a' : 'conv-b' })));
    }
    const ids = (list: CaseRecord[]) => list.map((c) => c.id);
    const all = await cases.list();
    expect(ids(all)).to.have.members(ids(made));
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.createdAt >= all[i]!.createdAt).to.equal(true);
    expect(ids(await cases.list({ status: ['escalated'] }))).to.have.members([made[1]!.id, made[2]!.id]);
    expect(ids(await cases.list({ shopperId: 'u-lihua', status: ['escalated', 'resolved'] }))).to.have.members([
      made[2]!.id,
      made[3]!.id,
    ]);
    expect(ids(await cases.list({ shopperId: 'u-lihua', conversationId: 'conv-b' }))).to.have.members([
      made[2]!.id,
      made[3]!.id,
    ]);
    expect(await cases.list({ status: [] })).to.deep.equal([]);
    expect(await cases.list({ limit: 2 })).to.have.length(2);
    expect(await cases.list({ since: new Date(Date.now() + 60_000).toISOString() })).to.deep.equal([]);
    expect(ids(await cases.list({ since: made[0]!.createdAt }))).to.have.members(ids(made));
  });

  it('deletes a case once', async () => {
    const { a, b } = fixture();
    const created = await a.cases.create(sampleCase());
    expect(await b.cases.delete(created.id)).to.equal(true);
    expect(await a.cases.get(created.id)).to.equal(undefined);
    expect(await a.cases.delete(created.id)).to.equal(false);
  });

  it('gives every case a distinct id across instances', async () => {
    const { a, b } = fixture();
    const created = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).cases.create(sampleCase({ conversationId: `c${i}` }))),
    );
    expect(new Set(created.map((c) => c.id)).size).to.equal(60);
    expect(await a.cases.list()).to.have.length(60);
  });
}
