import { expect } from 'chai';
import { HandoffError, type AgentEvent } from '../../bot/handoff/index.js';
import { decision, harness } from './helpers.js';
import { newCase } from './memoryStores.js';

async function claimed() {
  const h = harness();
  const c = await h.cases.create(newCase({ decision: decision() }));
  await h.service.escalate(c.id, 'rule');
  await h.service.claim(c.id, 'alice');
  return { ...h, id: c.id };
}

describe('handoff service: relay', () => {
  it("relays the shopper's messages to the owning agent only and keeps them in the transcript", async () => {
    const h = await claimed();
    const alice: AgentEvent[] = [];
    const bob: AgentEvent[] = [];
    h.service.events.subscribe('alice', undefined, (e) => alice.push(e));
    h.service.events.subscribe('bob', undefined, (e) => bob.push(e));

    await h.service.shopperMessage(h.id, '生产日期被涂改过，我有照片', ['ev-1']);

    expect(alice).to.have.length(1);
    expect(alice[0]).to.include({ type: 'shopper_message', caseId: h.id, text: '生产日期被涂改过，我有照片' });
    expect(bob).to.deep.equal([]);
    const t = (await h.cases.get(h.id))?.transcript.at(-1);
    expect(t).to.include({ from: 'shopper', text: '生产日期被涂改过，我有照片' });
    expect(t?.evidence).to.deep.equal(['ev-1']);
  });

  it("delivers the agent's messages to the shopper and keeps them in the transcript", async () => {
    const h = await claimed();
    await h.service.send(h.id, 'alice', 'Please send a photo of the date label.');
    expect(h.notifier.of(h.id).at(-1)).to.deep.equal({
      type: 'agent_message',
      agent: 'alice',
      text: 'Please send a photo of the date label.',
    });
    expect((await h.cases.get(h.id))?.transcript.at(-1)).to.include({
      from: 'agent',
      agent: 'alice',
      text: 'Please send a photo of the date label.',
    });
  });

  it('refuses messages from an agent who does not own the case', async () => {
    const h = await claimed();
    const err = await h.service.send(h.id, 'bob', 'hi').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HandoffError).and.have.property('code', 'forbidden');
    expect(h.notifier.of(h.id).map((e) => e.type)).to.not.include('agent_message');
  });

  it('lets the shopper leave the queue: the case is cancelled and the agents are told', async () => {
    const h = harness();
    const c = await h.cases.create(newCase());
    await h.service.escalate(c.id, 'request_human');
    const seen: AgentEvent[] = [];
    h.service.events.subscribe('alice', undefined, (e) => seen.push(e));
    await h.service.shopperLeaves(c.id);
    expect(await h.queue.get(c.id)).to.equal(undefined);
    expect((await h.cases.get(c.id))?.status).to.equal('cancelled');
    expect(h.notifier.of(c.id).at(-1)).to.deep.equal({ type: 'cancelled' });
    expect(seen).to.deep.equal([{ type: 'queue_changed', caseId: c.id, change: 'left', agent: undefined }]);
  });
});

describe('handoff service: back to the bot', () => {
  it('closes with the accepted proposal: the case is resolved, the shopper told, and the CSAT stored', async () => {
    const h = await claimed();
    h.clock.t += 5 * 60 * 1000;
    await h.service.close(h.id, 'alice', { kind: 'accept_proposal', note: 'date label clearly altered' });

    const c = await h.cases.get(h.id);
    expect(c?.status).to.equal('resolved');
    expect(c?.resolution).to.include({
      kind: 'accept_proposal',
      remedy: 'refund',
      compensation_amount: 1000,
      agent: 'alice',
      note: 'date label clearly altered',
    });
    expect(c?.history.at(-1)).to.include({ status: 'resolved', by: 'agent:alice' });
    expect(await h.queue.get(h.id)).to.equal(undefined);
    expect(h.notifier.of(h.id).at(-1)).to.deep.equal({ type: 'resolved', resolution: c?.resolution });

    await h.service.recordCsat(h.id, 4);
    expect((await h.cases.get(h.id))?.csat).to.deep.equal({ score: 4, at: new Date(h.clock.t).toISOString() });
  });

  it('closes with a changed remedy or a rejection', async () => {
    const changed = await claimed();
    await changed.service.close(changed.id, 'alice', {
      kind: 'change',
      remedy: 'partial_refund',
      refund_pct: 30,
      note: 'only some items',
    });
    expect((await changed.cases.get(changed.id))?.resolution).to.include({
      kind: 'change',
      remedy: 'partial_refund',
      refund_pct: 30,
    });

    const rejected = await claimed();
    await rejected.service.close(rejected.id, 'alice', { kind: 'reject', note: 'photo shows a different product' });
    expect((await rejected.cases.get(rejected.id))?.resolution).to.include({ kind: 'reject', remedy: 'reject' });
  });

  it('refuses a CSAT score out of range or before the case is resolved', async () => {
    const h = await claimed();
    const early = await h.service.recordCsat(h.id, 5).catch((e: unknown) => e);
    expect(early).to.be.instanceOf(HandoffError).and.have.property('code', 'conflict');
    await h.service.close(h.id, 'alice', { kind: 'reject', note: 'n/a' });
    const bad = await h.service.recordCsat(h.id, 7).catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(HandoffError).and.have.property('code', 'bad_request');
    expect((await h.cases.get(h.id))?.csat).to.equal(undefined);
  });

  it('refuses to close a case the agent does not own', async () => {
    const h = await claimed();
    const err = await h.service.close(h.id, 'bob', { kind: 'reject', note: 'x' }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HandoffError).and.have.property('code', 'forbidden');
    expect((await h.cases.get(h.id))?.status).to.equal('assigned');
  });
});
