import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentEvent } from '../../bot/handoff/index.js';
import { harness } from './helpers.js';
import { MemoryCaseStore, newCase } from './memoryStores.js';

describe('handoff service: restart', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-handoff-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loses neither a waiting case nor a live chat when the process restarts', async () => {
    const file = path.join(dir, 'kefu.sqlite');
    const cases = new MemoryCaseStore(); // stands in for the durable case store
    const before = harness({ db: new Database(file), cases });
    const waiting = await cases.create(newCase());
    const chatting = await cases.create(
      newCase({
        shopperId: 's2',
        complaint: 'logistics',
        facts: { complaint: 'logistics', member_tier: 'regular', evidence: [] },
      }),
    );
    await before.service.escalate(waiting.id, 'request_human');
    await before.service.escalate(chatting.id, 'request_human');
    await before.service.claim(chatting.id, 'alice');
    await before.service.send(chatting.id, 'alice', 'I am checking with the courier');
    await before.service.stop();
    before.db.close();

    const after = harness({ db: new Database(file), cases });
    expect(await after.queue.get(waiting.id)).to.include({ state: 'waiting', team: 'food-safety' });
    expect(await after.queue.position(waiting.id)).to.equal(1);
    expect(await after.queue.get(chatting.id)).to.include({ state: 'assigned', agent: 'alice', answered: true });
    const mine = (await after.service.queueView('alice')).find((q) => q.caseId === chatting.id);
    expect(mine).to.include({ state: 'assigned', agent: 'alice' });

    const alice: AgentEvent[] = [];
    after.service.events.subscribe('alice', undefined, (e) => alice.push(e));
    await after.service.shopperMessage(chatting.id, 'still nothing');
    expect(alice.map((e) => e.type)).to.deep.equal(['shopper_message']);
    await after.service.send(chatting.id, 'alice', 'Refund approved');
    expect(after.notifier.of(chatting.id).at(-1)).to.deep.equal({
      type: 'agent_message',
      agent: 'alice',
      text: 'Refund approved',
    });
    await after.service.claim(waiting.id, 'bob');
    expect(await after.queue.get(waiting.id)).to.include({ agent: 'bob' });
    after.db.close();
  });

  it('re-queues on start an escalated case that never reached the queue', async () => {
    const h = harness();
    const c = await h.cases.create(
      newCase({
        status: 'escalated',
        history: [{ at: new Date().toISOString(), status: 'escalated', by: 'bot', note: 'handoff: declined' }],
      }),
    );
    h.service.start();
    await h.service.stop();
    expect(await h.queue.get(c.id)).to.include({ reason: 'declined', state: 'waiting' });
  });
});
