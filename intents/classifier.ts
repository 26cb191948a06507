/**
 * The runtime classifier: loads the trained artifact (never retrains), applies the trainers'
 * overrides first, then the compiled softmax-regression scorer with its fitted temperature. Any input gives a
 * result: text with no known feature (empty, emoji, garbage) is `other`.
 */
import { MODEL_FILE } from './dataset.js';
import { extractEntitiesOfNormalized } from './entities.js';
import { detectLang } from './lang.js';
import { compileScorer, readModel, softmax, type ModelArtifact } from './model.js';
import { normalize } from './normalize.js';
import { featuresOfNormalized, segmenter } from './tokenize.js';
import type { Intent, Lang } from './labels.js';
import type { Candidate, Classification, Classifier, Entities } from './types.js';

const TOP = 3;

export function createClassifier(model: ModelArtifact): Classifier {
  const scorer = compileScorer(model);
  const { labels } = scorer;
  const overrides = model.overrides.map((o) => ({
    intent: o.intent,
    regexes: o.patterns.map((p) => new RegExp(p, 'iu')),
  }));
  const scores = new Float64Array(labels.length);
  segmenter();

  return {
    classify(input, opts = {}) {
      const text = typeof input === 'string' ? input : String(input ?? '');
      // Normalised once here; the extractors and the tokenizer take it as it is.
      const clean = normalize(text).trim();
      const entities = extractEntitiesOfNormalized(clean, opts.now ?? new Date());
      const lang = detectLang(clean);
      for (const o of overrides) {
        if (o.regexes.some((r) => r.test(clean))) return certain(text, o.intent, entities, lang, 'override');
      }
      if (scorer.score(featuresOfNormalized(clean), scores) === 0)
        return certain(text, 'other', entities, lang, 'model');
      softmax(scores, model.temperature);
      const candidates = top(scores, labels);
      const best = candidates[0]!;
      return {
        text,
        intent: best.intent,
        confidence: best.confidence,
        candidates,
        unsure: best.confidence < model.threshold,
        entities,
        lang,
        source: 'model',
      };
    },
  };
}

function certain(
  text: string,
  intent: Intent,
  entities: Entities,
  lang: Lang,
  source: Classification['source'],
): Classification {
  return {
    text,
    intent,
    confidence: 1,
    candidates: [{ intent, confidence: 1 }],
    unsure: false,
    entities,
    lang,
    source,
  };
}

/** The TOP most probable labels, best first; ties keep label order. */
function top(p: Float64Array, labels: readonly Intent[]): Candidate[] {
  const picked: number[] = [];
  for (let k = 0; k < Math.min(TOP, p.length); k++) {
    let best = -1;
    for (let l = 0; l < p.length; l++) if (!picked.includes(l) && (best < 0 || p[l]! > p[best]!)) best = l;
    picked.push(best);
  }
  return picked.map((l) => ({ intent: labels[l]!, confidence: round(p[l]!) }));
}

function round(p: number): number {
  return Math.round(p * 10000) / 10000;
}

/** Loads the saved artifact (default `data/intents/model.json`) and compiles it. */
export function loadClassifier(modelFile: string = MODEL_FILE): Classifier {
  return createClassifier(readModel(modelFile));
}
