/**
 * botbuilder's MemoryStorage refuses a stale write with a plain Error; through kefu's
 * conversation state it throws the typed EtagConflictError like kefu's own storages.
 */
import { expect } from 'chai';
import { MemoryStorage, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { CasConversationState } from '../../bot/casState.js';
import { EtagConflictError } from '../../bot/store/errors.js';

function turn(adapter: TestAdapter): TurnContext {
  const activity: Partial<Activity> = {
    type: 'message',
    text: 'hi',
    channelId: 'test',
    conversation: { id: 'c-1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u-1', name: 'u' },
    recipient: { id: 'bot', name: 'bot' },
  };
  return new TurnContext(adapter, activity);
}

describe('conversation state on MemoryStorage', () => {
  it('refuses the slower of two racing turns with EtagConflictError, and lets a re-read turn save', async () => {
    const adapter = new TestAdapter();
    const state = new CasConversationState(new MemoryStorage());
    const seed = turn(adapter);
    await state.load(seed);
    (state.get(seed) as Record<string, unknown>).n = 0;
    await state.saveChanges(seed);

    const first = turn(adapter);
    const second = turn(adapter);
    await state.load(first);
    await state.load(second);
    (state.get(first) as Record<string, unknown>).n = 1;
    (state.get(second) as Record<string, unknown>).n = 2;
    await state.saveChanges(first);
    let refused: unknown;
    await state.saveChanges(second).catch((err: unknown) => (refused = err));
    expect(refused).to.be.instanceOf(EtagConflictError);

    await state.load(second, true);
    expect((state.get(second) as Record<string, unknown>).n).to.equal(1);
    (state.get(second) as Record<string, unknown>).n = 2;
    await state.saveChanges(second);
    const check = turn(adapter);
    await state.load(check);
    expect((state.get(check) as Record<string, unknown>).n).to.equal(2);
  });
});
