import { expect } from 'chai';
import { HandoffError, type AgentEvent } from '../../bot/handoff/index.js';
import { decision, harness as baseHarness } from './helpers.js';
import { QUEUE_BACKENDS, useQueueBackend } from './queueBackends.js';
import { newCase } from './memoryStores.js';

// The service behaviour is the queue contract seen from above: it runs on every queue backend.
for (const backend of QUEUE_BACKENDS) {
  describe(`on the ${backend.name} queue`, () => {
    const fixture = useQueueBackend(backend);
    const harness = (opts: Parameters<typeof baseHarness>[0] = {}) =>
      baseHarness({ ...opts, queue: fixture().instance() });

    describe('handoff service: escalation', () => {
      it('queues a case a rule escalated, routes it by complaint and tells the shopper why and where', async () => {
        const h = harness();
        const c = await h.cases.create(newCase({ decision: decision({ priority: 2 }) }));
        const seen: AgentEvent[] = [];
        h.service.events.subscribe('alice', undefined, (e) => seen.push(e));

        const placed = await h.service.escalate(c.id, 'rule');

        expect(placed).to.deep.equal({ position: 1, etaSeconds: 120 });
        const entry = await h.queue.get(c.id);
        expect(entry).to.include({ team: 'food-safety', priority: 2, reason: 'rule', state: 'waiting' });
        const stored = await h.cases.get(c.id);
        expect(stored?.status).to.equal('escalated');
        expect(stored?.history.at(-1)).to.include({ status: 'escalated', by: 'bot', note: 'handoff: rule' });
        expect(h.notifier.of(c.id)).to.deep.equal([{ type: 'queued', reason: 'rule', position: 1, etaSeconds: 120 }]);
        expect(seen).to.deep.equal([
          {
            type: 'case_queued',
            caseId: c.id,
            team: 'food-safety',
            priority: 2,
            complaint: 'expired_food',
            reason: 'rule',
          },
        ]);
      });

      it('queues a shopper who asked for a person at the priority configured for request_human, whatever the tier', async () => {
        const h = harness();
        const c = await h.cases.create(
          newCase({ complaint: 'logistics', facts: { complaint: 'logistics', member_tier: 'vip', evidence: [] } }),
        );
        await h.service.escalate(c.id, 'request_human');
        expect(await h.queue.get(c.id)).to.include({ team: 'logistics', priority: 3, reason: 'request_human' });
        expect(h.notifier.of(c.id)[0]).to.include({ type: 'queued', reason: 'request_human' });
      });

      it('queues a shopper who declined the proposal, behind earlier cases of the same priority', async () => {
        const h = harness();
        const first = await h.cases.create(newCase({ decision: decision({ priority: 3 }) }));
        await h.service.escalate(first.id, 'rule');
        h.clock.t += 1000;
        const declined = await h.cases.create(
          newCase({ shopperId: 's2', decision: decision({ priority: undefined }) }),
        );
        const placed = await h.service.escalate(declined.id, 'declined');
        expect(placed).to.deep.equal({ position: 2, etaSeconds: 240 });
        expect(await h.queue.get(declined.id)).to.include({ reason: 'declined', priority: 3 });
      });

      it('escalating twice keeps one place in the queue and tells the shopper once', async () => {
        const h = harness();
        const c = await h.cases.create(newCase());
        await h.service.escalate(c.id, 'unsure');
        expect(await h.service.escalate(c.id, 'unsure')).to.deep.equal({ position: 1, etaSeconds: 120 });
        expect(await h.queue.size()).to.equal(1);
        expect(h.notifier.of(c.id)).to.have.length(1);
      });
    });

    describe('handoff service: priority and teams', () => {
      it('serves the most urgent first (1); the member tier breaks ties by its shorter SLA deadline, then age', async () => {
        const h = harness();
        const make = async (label: string, tier: 'regular' | 'vip' | 'svip', priority: number) => {
          h.clock.t += 1000;
          const c = await h.cases.create(
            newCase({
              shopperId: label,
              facts: { complaint: 'expired_food', member_tier: tier, evidence: [] },
              decision: decision({ priority }),
            }),
          );
          await h.service.escalate(c.id, 'rule');
          return [c.id, label] as const;
        };
        const ids = new Map([
          await make('regular-old', 'regular', 3),
          await make('regular-urgent', 'regular', 1),
          await make('vip', 'vip', 3),
          await make('regular-new', 'regular', 3),
          await make('svip', 'svip', 3),
          await make('svip-refused', 'svip', 2),
        ]);
        const order = (await h.service.queueView('alice')).map((q) => `${ids.get(q.caseId)}@${q.position}`);
        expect(order).to.deep.equal([
          'regular-urgent@1',
          'svip-refused@2',
          'svip@3',
          'vip@4',
          'regular-old@5',
          'regular-new@6',
        ]);
      });

      it('puts illness or injury at priority 1 with the tightest first-response target, whatever the reason', async () => {
        const h = harness();
        const c = await h.cases.create(
          newCase({ facts: { complaint: 'expired_food', member_tier: 'regular', health_harm: true, evidence: [] } }),
        );
        await h.service.escalate(c.id, 'request_human');
        const entry = await h.queue.get(c.id);
        expect(entry).to.include({ priority: 1 });
        expect(entry!.firstResponseDue - entry!.enqueuedAt).to.equal(2 * 60 * 1000);
      });

      it('counts positions within a team and shows agents only the teams they serve', async () => {
        const h = harness({ settings: { agentTeams: { bob: ['logistics'] } } });
        const food = await h.cases.create(newCase());
        const parcel = await h.cases.create(
          newCase({ complaint: 'logistics', facts: { complaint: 'logistics', member_tier: 'regular', evidence: [] } }),
        );
        await h.service.escalate(food.id, 'rule');
        expect((await h.service.escalate(parcel.id, 'request_human')).position).to.equal(1);
        expect((await h.service.queueView('bob')).map((q) => q.caseId)).to.deep.equal([parcel.id]);
        expect((await h.service.queueView('alice')).map((q) => q.caseId)).to.have.members([food.id, parcel.id]);
        const err = await h.service.claim(food.id, 'bob').catch((e: unknown) => e);
        expect(err).to.be.instanceOf(HandoffError).and.have.property('code', 'forbidden');
      });
    });

    describe('handoff service: SLA and reassignment', () => {
      it('flags a first-response breach once, tells the team, and not for cases answered in time', async () => {
        const h = harness();
        const late = await h.cases.create(newCase());
        const answered = await h.cases.create(newCase({ shopperId: 's2' }));
        await h.service.escalate(late.id, 'request_human');
        await h.service.escalate(answered.id, 'request_human');
        await h.service.claim(answered.id, 'alice');
        await h.service.send(answered.id, 'alice', '您好，我来处理');
        const seen: AgentEvent[] = [];
        h.service.events.subscribe('bob', undefined, (e) => seen.push(e));

        h.clock.t += 14 * 60 * 1000; // regular target: 15 minutes
        await h.service.tick();
        expect((await h.queue.get(late.id))?.breaches).to.deep.equal([]);

        h.clock.t += 2 * 60 * 1000;
        await h.service.tick();
        await h.service.tick();
        expect((await h.queue.get(late.id))?.breaches).to.deep.equal(['first_response']);
        expect((await h.queue.get(answered.id))?.breaches).to.deep.equal([]);
        expect(seen.filter((e) => e.type === 'sla_breach')).to.deep.equal([
          { type: 'sla_breach', caseId: late.id, kind: 'first_response', team: 'food-safety' },
        ]);
      });

      it('flags a resolution breach on a case an agent holds too long', async () => {
        const h = harness({ settings: { reassignAfterSeconds: 100_000 } });
        const c = await h.cases.create(
          newCase({ facts: { complaint: 'expired_food', member_tier: 'svip', evidence: [] } }),
        );
        await h.service.escalate(c.id, 'rule');
        await h.service.claim(c.id, 'alice');
        await h.service.send(c.id, 'alice', 'hello');
        h.clock.t += 31 * 60 * 1000; // svip: 30 minutes to resolve
        await h.service.tick();
        expect((await h.queue.get(c.id))?.breaches).to.deep.equal(['resolution']);
      });

      it('takes back a claim nobody answered and offers it again ahead of newer cases', async () => {
        const h = harness({ settings: { reassignAfterSeconds: 60 } });
        const c = await h.cases.create(newCase());
        await h.service.escalate(c.id, 'request_human');
        await h.service.claim(c.id, 'alice');
        h.clock.t += 1000;
        const newer = await h.cases.create(newCase({ shopperId: 's2' }));
        await h.service.escalate(newer.id, 'request_human');

        h.clock.t += 59 * 1000;
        await h.service.tick();
        expect(await h.queue.get(c.id)).to.include({ state: 'assigned', agent: 'alice' });

        h.clock.t += 2 * 1000;
        await h.service.tick();
        expect(await h.queue.get(c.id)).to.include({ state: 'waiting', agent: undefined, reassignments: 1 });
        expect(await h.queue.position(c.id)).to.equal(1);
        const stored = await h.cases.get(c.id);
        expect(stored?.status).to.equal('escalated');
        expect(stored?.history.at(-1)?.note).to.contain('taken back from agent:alice');
        expect(h.notifier.of(c.id).map((e) => e.type)).to.deep.equal(['queued', 'assigned', 'position']);
        expect((await h.service.claim(c.id, 'bob')).queue).to.include({ agent: 'bob' });
      });

      it('does not take back a claim the agent has answered', async () => {
        const h = harness({ settings: { reassignAfterSeconds: 60 } });
        const c = await h.cases.create(newCase());
        await h.service.escalate(c.id, 'request_human');
        await h.service.claim(c.id, 'alice');
        await h.service.send(c.id, 'alice', 'looking at your photos now');
        h.clock.t += 10 * 60 * 1000;
        await h.service.tick();
        expect(await h.queue.get(c.id)).to.include({ state: 'assigned', agent: 'alice' });
      });

      it('tells waiting shoppers their new place when the queue moves', async () => {
        const h = harness();
        const a = await h.cases.create(newCase());
        const b = await h.cases.create(newCase({ shopperId: 's2' }));
        await h.service.escalate(a.id, 'request_human');
        h.clock.t += 1;
        await h.service.escalate(b.id, 'request_human');
        await h.service.tick();
        expect(h.notifier.of(b.id)).to.have.length(1);
        await h.service.claim(a.id, 'alice');
        await h.service.tick();
        expect(h.notifier.of(b.id).at(-1)).to.deep.equal({ type: 'position', position: 1, etaSeconds: 120 });
      });

      it('refuses a second claim on a case already taken', async () => {
        const h = harness();
        const c = await h.cases.create(newCase());
        await h.service.escalate(c.id, 'rule');
        await h.service.claim(c.id, 'alice');
        const err = await h.service.claim(c.id, 'bob').catch((e: unknown) => e);
        expect(err).to.be.instanceOf(HandoffError).and.have.property('code', 'conflict');
      });
    });
  });
}
