/**
 * The HandoffQueue contract, run against every queue backend (SQLite file, Redis under its own
 * prefix). Two instances on the same data stand for two bot processes.
 */
import { expect } from 'chai';
import type { HandoffQueue, NewQueueEntry } from '../../bot/handoff/index.js';
import { QUEUE_BACKENDS, useQueueBackend } from './queueBackends.js';

const T0 = Date.parse('2025-06-01T08:00:00Z');

function entry(caseId: string, overrides: Partial<NewQueueEntry> = {}): NewQueueEntry {
  return {
    caseId,
    team: 'food-safety',
    priority: 5,
    reason: 'rule',
    enqueuedAt: T0,
    firstResponseDue: T0 + 60_000,
    resolutionDue: T0 + 600_000,
    ...overrides,
  };
}

const ids = async (q: HandoffQueue, filter?: Parameters<HandoffQueue['list']>[0]) =>
  (await q.list(filter)).map((e) => e.caseId);

for (const backend of QUEUE_BACKENDS) {
  describe(`handoff queue contract on ${backend.name}`, () => {
    const fixture = useQueueBackend(backend);

    it('enqueues once: a second enqueue returns the first entry unchanged', async () => {
      const q = fixture().instance();
      const first = await q.enqueue(entry('K1', { priority: 3 }));
      expect(first).to.include({
        caseId: 'K1',
        team: 'food-safety',
        priority: 3,
        reason: 'rule',
        state: 'waiting',
        answered: false,
        reassignments: 0,
      });
      expect(first.breaches).to.deep.equal([]);
      const again = await q.enqueue(entry('K1', { priority: 9, reason: 'declined' }));
      expect(again).to.deep.equal(first);
      expect(await q.size()).to.equal(1);
      expect(await q.get('K404')).to.equal(undefined);
    });

    it('lists in service order: waiting first, then priority (1 first), then SLA deadline, equal ones FIFO; filters by team and state', async () => {
      const q = fixture().instance();
      await q.enqueue(entry('old-low', { priority: 4, enqueuedAt: T0 }));
      await q.enqueue(entry('urgent', { priority: 1, enqueuedAt: T0 + 5 }));
      await q.enqueue(entry('same-ms-a', { priority: 4, enqueuedAt: T0 + 1 }));
      await q.enqueue(entry('same-ms-b', { priority: 4, enqueuedAt: T0 + 1 }));
      // Same priority, enqueued last but due first (a higher tier's shorter target): served first.
      await q.enqueue(entry('vip-low', { priority: 4, enqueuedAt: T0 + 3, firstResponseDue: T0 + 30_000 }));
      await q.enqueue(entry('parcel', { team: 'logistics', priority: 1, enqueuedAt: T0 + 2 }));
      await q.claim('urgent', 'alice', T0 + 10);
      expect(await ids(q)).to.deep.equal(['parcel', 'vip-low', 'old-low', 'same-ms-a', 'same-ms-b', 'urgent']);
      expect(await ids(q, { team: ['food-safety'], state: 'waiting' })).to.deep.equal([
        'vip-low',
        'old-low',
        'same-ms-a',
        'same-ms-b',
      ]);
      expect(await ids(q, { state: 'assigned' })).to.deep.equal(['urgent']);
      expect(await ids(q, { team: [] })).to.deep.equal([]);
    });

    it('counts positions within a team among waiting cases, and remembers the last one told', async () => {
      const q = fixture().instance();
      await q.enqueue(entry('a', { priority: 3 }));
      await q.enqueue(entry('b', { priority: 1, enqueuedAt: T0 + 1 }));
      await q.enqueue(entry('c', { team: 'logistics' }));
      expect([await q.position('b'), await q.position('a'), await q.position('c')]).to.deep.equal([1, 2, 1]);
      await q.setLastPosition('a', 2);
      const all = (await q.positions()).map((p) => `${p.caseId}@${p.position}/${p.lastPosition ?? '-'}`);
      expect(all).to.have.members(['a@2/2', 'b@1/-', 'c@1/-']);
      await q.claim('b', 'alice', T0 + 5);
      expect(await q.position('b')).to.equal(undefined);
      expect(await q.position('a')).to.equal(1);
      expect(await q.position('nobody')).to.equal(undefined);
    });

    it('lets exactly one of many racing claims on two instances win', async () => {
      const f = fixture();
      const [one, two] = [f.instance(), f.instance()];
      await one.enqueue(entry('K7'));
      const agents = ['alice', 'bob', 'carol', 'dan', 'erin', 'fay'];
      const results = await Promise.all(agents.map((agent, i) => (i % 2 === 0 ? one : two).claim('K7', agent, T0 + i)));
      const winners = results.filter((r) => r !== undefined);
      expect(winners).to.have.length(1);
      const stored = await two.get('K7');
      expect(stored).to.include({
        state: 'assigned',
        agent: winners[0]!.agent,
        assignedAt: winners[0]!.assignedAt,
        answered: false,
      });
      expect(await one.claim('K7', 'gus', T0 + 99)).to.equal(undefined);
      expect(await one.claim('missing', 'gus', T0)).to.equal(undefined);
    });

    it('stamps the first response once, and a released case goes back to its old place', async () => {
      const q = fixture().instance();
      await q.enqueue(entry('first', { enqueuedAt: T0 }));
      await q.enqueue(entry('second', { enqueuedAt: T0 + 1 }));
      await q.claim('first', 'alice', T0 + 10);
      await q.markAnswered('first', T0 + 20);
      await q.markAnswered('first', T0 + 30);
      expect(await q.get('first')).to.include({ answered: true, firstResponseAt: T0 + 20 });
      await q.markAnswered('second', T0 + 40); // not assigned: nothing to answer
      expect(await q.get('second')).to.include({ answered: false, firstResponseAt: undefined });

      const released = await q.release('first');
      expect(released).to.include({
        state: 'waiting',
        agent: undefined,
        assignedAt: undefined,
        answered: false,
        reassignments: 1,
        firstResponseAt: T0 + 20,
      });
      expect(await q.position('first')).to.equal(1);
      expect(await q.release('first')).to.equal(undefined);
    });

    it('finds claims nobody answered since a given time', async () => {
      const q = fixture().instance();
      for (const id of ['quiet', 'talked', 'late']) await q.enqueue(entry(id));
      await q.claim('quiet', 'alice', T0 + 100);
      await q.claim('talked', 'bob', T0 + 100);
      await q.markAnswered('talked', T0 + 150);
      await q.claim('late', 'carol', T0 + 500);
      expect((await q.unanswered(T0 + 200)).map((e) => e.caseId)).to.deep.equal(['quiet']);
      expect((await q.unanswered(T0 + 100)).map((e) => e.caseId)).to.deep.equal([]);
      expect((await q.unanswered(T0 + 1000)).map((e) => e.caseId)).to.deep.equal(['quiet', 'late']);
    });

    it('reports each SLA breach until it is flagged, once per kind, and not for answered cases', async () => {
      const q = fixture().instance();
      await q.enqueue(entry('slow', { firstResponseDue: T0 + 100, resolutionDue: T0 + 1000 }));
      await q.enqueue(entry('quick', { firstResponseDue: T0 + 100, resolutionDue: T0 + 1000 }));
      await q.claim('quick', 'alice', T0 + 10);
      await q.markAnswered('quick', T0 + 20);
      expect(await q.dueBreaches(T0 + 100)).to.deep.equal([]);
      const due = await q.dueBreaches(T0 + 101);
      expect(due.map((d) => `${d.entry.caseId}:${d.kind}`)).to.deep.equal(['slow:first_response']);
      await q.markBreach('slow', 'first_response');
      await q.markBreach('slow', 'first_response');
      expect(await q.dueBreaches(T0 + 500)).to.deep.equal([]);
      expect((await q.dueBreaches(T0 + 1001)).map((d) => `${d.entry.caseId}:${d.kind}`)).to.have.members([
        'slow:resolution',
        'quick:resolution',
      ]);
      await q.markBreach('slow', 'resolution');
      expect((await q.get('slow'))?.breaches).to.deep.equal(['first_response', 'resolution']);
    });

    it('removes an entry from every view, and a second instance sees the same queue', async () => {
      const f = fixture();
      const [one, two] = [f.instance(), f.instance()];
      await one.enqueue(entry('gone'));
      await one.enqueue(entry('stays', { enqueuedAt: T0 + 1, firstResponseDue: T0 + 1 }));
      await one.claim('gone', 'alice', T0 + 5);
      expect(await two.remove('gone')).to.equal(true);
      expect(await two.remove('gone')).to.equal(false);
      expect(await one.get('gone')).to.equal(undefined);
      expect(await one.unanswered(T0 + 1000)).to.deep.equal([]);
      expect((await one.dueBreaches(T0 + 10_000_000)).map((d) => d.entry.caseId)).to.deep.equal(['stays', 'stays']);
      expect(await ids(two)).to.deep.equal(['stays']);
      expect(await one.size()).to.equal(1);
    });
  });
}
