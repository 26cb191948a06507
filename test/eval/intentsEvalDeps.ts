/** What the intent evaluation needs from the core, in one place. */
export {
  createClassifier,
  HELD_OUT_SETS,
  loadHeldOut,
  loadTrainingData,
  LANGS,
  trainModel,
} from '../../intents/index.js';
export type { Classifier, Example } from '../../intents/index.js';
export { INTENTS as INTENTS_FOR_EVAL } from '../../intents/labels.js';
