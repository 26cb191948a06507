/** The intents core: text → intent, confidence and facts (pure: no bot, server or storage code). */
export type { Candidate, Classification, Classifier, DateRole, Entities, SizeUnit } from './types.js';
export { loadClassifier, createClassifier } from './classifier.js';
export { extractEntities } from './entities.js';
export { detectLang } from './lang.js';
export { features } from './tokenize.js';
export { trainModel, UNSURE_THRESHOLD, type TrainReport } from './train.js';
export {
  loadTrainingData,
  loadHeldOut,
  parseExamples,
  parseTrainingFile,
  parseOverrides,
  UNCLEAR,
  MODEL_FILE,
  DATA_DIR,
  LANGS,
  HELD_OUT_SETS,
} from './dataset.js';
export type { Example, HeldOutSet, OverrideRule, TrainingData } from './dataset.js';
export { readModel, parseModel, serializeModel, type ModelArtifact } from './model.js';
export { extractOrderIds } from './extract/orderIds.js';
export { extractDates, type DateOptions } from './extract/dates.js';
export { extractSizes } from './extract/sizes.js';
export { extractWeights } from './extract/weights.js';
export { extractShares } from './extract/shares.js';
export { extractAmounts } from './extract/amounts.js';
export { extractMerchantResponse } from './extract/merchant.js';
export { extractHarm, type HarmKind } from './extract/harm.js';
