/**
 * How a turn treats errors, through the real bot: a lost eTag race is told by its type (never by
 * words in a message), and a relay error ends the handoff only when the case is really gone.
 */
import { expect } from 'chai';
import type { StoreItems } from 'botbuilder';
import { HandoffError } from '../../bot/handoff/index.js';
import { EtagConflictError } from '../../bot/store/errors.js';
import { startHarness, type Harness } from '../support/kefuHarness.js';

/** A conflict whose text says nothing about eTags: only its type says what it is. */
class LostRace extends EtagConflictError {
  override readonly message = 'another instance saved this conversation first';
}

describe('turn errors', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.close());

  /** Makes the state storage fail its next `times` writes with `error()`, counting every write. */
  function failWrites(error: () => Error, times: number): { writes: () => number; restore: () => void } {
    const storage = h.app.stores.state;
    const write = storage.write.bind(storage);
    let writes = 0;
    storage.write = async (changes: StoreItems) => {
      writes += 1;
      if (writes <= times) throw error();
      return write(changes);
    };
    const restore = (): void => {
      storage.write = write;
    };
    return { writes: () => writes, restore };
  }

  describe('eTag conflicts', () => {
    it('re-runs a turn that lost a race, whatever the conflict error says', async () => {
      const patch = failWrites(() => new LostRace('conversation/x'), 1);
      try {
        const replies = await h.say('race-1', 'u-zhang', { text: '你好' });
        expect(patch.writes()).to.equal(2);
        expect(replies.map((r) => r.text ?? '').join()).to.contain('您好');
        expect(replies.map((r) => r.text ?? '').join()).not.to.match(/出错|went wrong/);
      } finally {
        patch.restore();
      }
    });

    it('does not re-run a turn whose error merely mentions an etag', async () => {
      const patch = failWrites(() => new Error('SQLITE_ERROR: no such column: etag'), 3);
      try {
        await h.say('race-2', 'u-zhang', { text: '你好' });
        expect(patch.writes()).to.equal(1);
      } finally {
        patch.restore();
      }
    });
  });

  describe('relay errors during a handoff', () => {
    async function queued(conv: string): Promise<string> {
      await h.say(conv, 'u-wangfang', { text: '电水壶不加热了 335261748392027586' });
      const replies = await h.say(conv, 'u-wangfang', { text: '转人工' });
      const handoff = replies.find((r) => r.channelData?.handoff)?.channelData?.handoff as
        | { caseId?: string }
        | undefined;
      expect(handoff?.caseId).to.be.a('string');
      return handoff?.caseId ?? '';
    }

    it('keeps the shopper with the person when the relay is refused for another reason (conflict)', async () => {
      const conv = 'relay-conflict';
      const caseId = await queued(conv);
      const service = h.app.handoff;
      const relay = service.shopperMessage.bind(service);
      service.shopperMessage = async () => {
        throw new HandoffError('conflict', `case ${caseId} is being moved`);
      };
      try {
        await h.say(conv, 'u-wangfang', { text: '还在吗' });
      } finally {
        service.shopperMessage = relay;
      }
      // Still in the handoff: the next words are relayed to the case (the shopper is told it is
      // still queued), not read by the bot.
      const next = await h.say(conv, 'u-wangfang', { text: '指示灯亮但是完全不热' });
      expect(next.map((r) => r.text ?? '')).to.deep.equal([`您的工单 ${caseId} 正在排队，已转告客服。`]);
      const stored = await h.app.stores.cases.get(caseId);
      expect(stored?.transcript.some((t) => t.from === 'shopper' && t.text === '指示灯亮但是完全不热')).to.equal(true);
      expect(await h.app.handoff.queue.get(caseId)).not.to.equal(undefined);
    });

    it('returns the conversation to the bot when the case has left the queue', async () => {
      const conv = 'relay-gone';
      const caseId = await queued(conv);
      await h.app.handoff.queue.remove!(caseId);
      const back = await h.say(conv, 'u-wangfang', { text: '你好' });
      expect(back.map((r) => r.text ?? '').join()).to.contain('您好');
    });
  });
});
