/**
 * The runtime classifier: loads the trained artifact (never retrains), applies the trainers'
 * overrides first, then the compiled Bayes scorer with its fitted temperature. Any input gives a
 * result: text with no known feature (empty, emoji, garbage) is `other`.
 */
import { MODEL_FILE } from './dataset.js';
import { extractEntitiesOfNormalized } from './entities.js';
import { detectLang } from './lang.js';
import { compileScorer, readModel, softmax, type ModelArtifact } from './model.js';
import { normalize } from './normalize.js';
import { featuresOfNormalized, segmenter } from './tokenize.js';
import type { Candidate, Classification, Classifier } from './types.js';

const TOP = 3;

export function createClassifier(model: ModelArtifact): Classifier {
  const scorer = compileScorer(model);
  const overrides = model.overrides.map((o) => ({ intent: o.intent, regexes: o.patterns.map((p) => new RegExp(p, 'iu')) }));
  const scores = new Float64Array(scorer.labels.length);
  const order = scorer.labels.map((_, i) => i);
  segmenter();

  return {
    classify(input, opts = {}) {
      const text = typeof input === 'string' ? input : String(input ?? '');
      // Normalised once here; the extractors and the tokenizer take it as it is.
      const clean = normalize(text).trim();
      const base = { text, entities: extractEntitiesOfNormalized(clean, opts.now ?? new Date()), lang: detectLang(clean) };
      for (const o of overrides) {
        if (o.regexes.some((r) => r.test(clean))) {
          return { ...base, intent: o.intent, confidence: 1, candidates: [{ intent: o.intent, confidence: 1 }], unsure: false, source: 'override' };
        }
      }
      if (scorer.score(featuresOfNormalized(clean), scores) === 0) {
        return { ...base, intent: 'other', confidence: 1, candidates: [{ intent: 'other', confidence: 1 }], unsure: false, source: 'model' };
      }
      softmax(scores, model.temperature);
      order.sort((a, b) => scores[b]! - scores[a]!);
      const candidates: Candidate[] = order.slice(0, TOP).map((i) => ({ intent: scorer.labels[i]!, confidence: round(scores[i]!) }));
      const best = candidates[0]!;
      return { ...base, intent: best.intent, confidence: best.confidence, candidates, unsure: best.confidence < model.threshold, source: 'model' } satisfies Classification;
    },
  };
}

function round(p: number): number {
  return Math.round(p * 10000) / 10000;
}

/** Loads the saved artifact (default `data/intents/model.json`) and compiles it. */
export function loadClassifier(modelFile: string = MODEL_FILE): Classifier {
  return createClassifier(readModel(modelFile));
}
