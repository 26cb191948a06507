import { expect } from 'chai';
import { HandoffError, MOVES, nextState, type AgentEvent } from '../../bot/handoff/index.js';
import { decision, harness } from './helpers.js';
import { newCase } from './memoryStores.js';

describe('handoff lifecycle', () => {
  async function lifecycle(h: ReturnType<typeof harness>, caseId: string): Promise<string | undefined> {
    return (await h.service.queueView('alice')).find((i) => i.caseId === caseId)?.lifecycle;
  }

  it('moves queued → assigned → waiting for the shopper → assigned → shopper left → resolved', async () => {
    const h = harness();
    const c = await h.cases.create(newCase({ decision: decision() }));
    await h.service.escalate(c.id, 'rule');
    expect(await lifecycle(h, c.id)).to.equal('queued');
    await h.service.claim(c.id, 'alice');
    expect(await lifecycle(h, c.id)).to.equal('assigned');
    await h.service.send(c.id, 'alice', '请问是哪天收到的？');
    expect(await lifecycle(h, c.id)).to.equal('waiting_for_shopper');
    await h.service.shopperMessage(c.id, '昨天');
    expect(await lifecycle(h, c.id)).to.equal('assigned');

    const seen: AgentEvent[] = [];
    h.service.events.subscribe('alice', undefined, (e) => seen.push(e));
    expect(await h.service.shopperLeaves(c.id)).to.equal('shopper_left');
    expect(await lifecycle(h, c.id)).to.equal('shopper_left');
    expect((await h.cases.get(c.id))?.status).to.equal('assigned');
    expect(h.notifier.of(c.id).at(-1)).to.deep.equal({ type: 'shopper_left' });
    expect(seen).to.deep.equal([{ type: 'queue_changed', caseId: c.id, change: 'shopper_left', agent: 'alice' }]);

    // The agent may still write (the widget keeps it) and close; the rating is then accepted.
    await h.service.send(c.id, 'alice', '已为您退款');
    expect(await lifecycle(h, c.id)).to.equal('shopper_left');
    await h.service.close(c.id, 'alice', { kind: 'accept_proposal', note: 'ok' });
    expect((await h.cases.get(c.id))?.status).to.equal('resolved');
    await h.service.recordCsat(c.id, 5);
    expect((await h.cases.get(c.id))?.csat?.score).to.equal(5);
  });

  it('cancels only a case still waiting in the queue', async () => {
    const h = harness();
    const c = await h.cases.create(newCase());
    await h.service.escalate(c.id, 'request_human');
    expect(await h.service.shopperLeaves(c.id)).to.equal('cancelled');
    expect((await h.cases.get(c.id))?.status).to.equal('cancelled');
  });

  it('refuses moves the table does not allow, and moves by the wrong actor', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(err(() => nextState('resolved', 'close', 'agent', 'KF1')))
      .to.be.instanceOf(HandoffError)
      .and.have.property('code', 'conflict');
    expect(err(() => nextState('shopper_left', 'shopper_writes', 'shopper', 'KF1'))).to.have.property(
      'code',
      'conflict',
    );
    expect(err(() => nextState('assigned', 'close', 'shopper', 'KF1')))
      .to.be.instanceOf(HandoffError)
      .and.have.property('code', 'forbidden');
    expect(nextState('queued', 'shopper_leaves', 'shopper', 'KF1')).to.equal('cancelled');
    // Only a shopper cancels, and only from the queue.
    const cancels = Object.entries(MOVES).flatMap(([from, moves]) =>
      Object.values(moves)
        .filter((m) => m.to === 'cancelled')
        .map((m) => `${from}:${m.by}`),
    );
    expect(cancels).to.deep.equal(['queued:shopper']);
  });
});
