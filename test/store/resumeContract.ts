/**
 * A dialog in the middle of a conversation resumes at the same step when the process restarts
 * (a new Storage instance on the same data), and continues when its turns alternate between
 * two instances.
 */
import { ConversationState, TestAdapter, type Storage, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';
import type { Fixture } from './backends.js';

/** A three-step complaint dialog, built fresh on `storage` as a new process would. */
function bot(storage: Storage) {
  const convo = new ConversationState(storage);
  const dialogs = new DialogSet(convo.createProperty<DialogState>('dialogState'));
  dialogs.add(new TextPrompt('text'));
  dialogs.add(
    new WaterfallDialog('complaint', [
      async (step) => step.prompt('text', 'Which order?'),
      async (step) => {
        (step.values as { order?: string }).order = String(step.result);
        return step.prompt('text', 'What happened?');
      },
      async (step) => {
        await step.context.sendActivity(`Order ${(step.values as { order?: string }).order}: ${String(step.result)}`);
        return step.endDialog();
      },
    ]),
  );
  return new TestAdapter(async (context: TurnContext) => {
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog('complaint');
    await convo.saveChanges(context);
  });
}

export function resumeContract(fixture: () => Fixture): void {
  it('resumes at the same step after a restart', async () => {
    const f = fixture();
    await bot(f.a.state)
      .send('hi')
      .assertReply('Which order?')
      .send('284716350192837465')
      .assertReply('What happened?');
    const restarted = await f.restart();
    await bot(restarted.state).send('the bottle leaked').assertReply('Order 284716350192837465: the bottle leaked');
  });

  it('continues when turns alternate between two instances', async () => {
    const { a, b } = fixture();
    await bot(a.state).send('hi').assertReply('Which order?');
    await bot(b.state).send('301928374650112233').assertReply('What happened?');
    await bot(a.state).send('expired').assertReply('Order 301928374650112233: expired');
  });
}
