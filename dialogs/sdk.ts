/**
 * The parts of botbuilder-dialogs kefu uses, each from its own module. The package's index also
 * loads every prompt kind and the Recognizers-Text cultures behind them (about 5 MB of code and a
 * quarter of a second of every start), none of which kefu uses: it understands answers itself, in
 * `intents/`. kefu's sources import botbuilder-dialogs only through this file (`npm run layers`
 * checks it); tests may use the index.
 */
export { Dialog, DialogReason, DialogTurnStatus, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog.js';
export type { DialogContext, DialogState } from 'botbuilder-dialogs/lib/dialogContext.js';
export type { DialogStateManagerConfiguration } from 'botbuilder-dialogs/lib/memory/dialogStateManager.js';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet.js';
export type { PromptValidatorContext } from 'botbuilder-dialogs/lib/prompts/prompt.js';
export { TextPrompt } from 'botbuilder-dialogs/lib/prompts/textPrompt.js';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog.js';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext.js';
