/** Recognizers for a shopper's answer to each kind of question the dialogs ask (pure). */
export type { Parsed } from './types.js';
export { recognizeChoice, nameScore, bestNamed, fold, type ChoiceOption, type ChoiceAnswer } from './choice.js';
export { recognizeYesNo } from './yesNo.js';
export { recognizeNumber, type NumberQuestion } from './number.js';
export { recognizeDate } from './date.js';
export { recognizeDecline, type Decline } from './decline.js';
export { recognizeRating } from './rating.js';
export { controlByMeaning, CONTROL_THRESHOLD, type MeaningControl } from './control.js';
export { ordinalOf, pickByOrdinal } from './ordinal.js';
export { matchOrder, matchItem, type OrderCandidate, type OrderMatch } from './orders.js';
export { isCorrection } from './correction.js';
