/**
 * Training: natural's BayesClassifier counts which features occur in each label's examples;
 * 5-fold cross-validation over the training set then picks the smoothing and fits the softmax
 * temperature that makes confidences calibrated (minimum log-loss on the held-in folds).
 * Deterministic: the same data gives the same artifact, byte for byte.
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import type { Example, TrainingData } from './dataset.js';
import { INTENTS, type Intent } from './labels.js';
import { compileScorer, MODEL_FORMAT, softmax, type ModelArtifact } from './model.js';
import { features, FEATURE_VERSION } from './tokenize.js';

/** Documented in the README: below this the dialog asks "did you mean A or B?". */
export const UNSURE_THRESHOLD = 0.5;
const SMOOTHINGS = [0.02, 0.05, 0.1, 0.2, 0.5, 1];
const FOLDS = 5;

interface Counts {
  labels: Intent[];
  docs: number[];
  counts: Record<string, number[]>;
}

/** Counts with natural's classifier, then reads its counts back out (its smoothing removed). */
export function countFeatures(examples: readonly { tokens: string[]; intent: Intent }[]): Counts {
  const bayes = new BayesClassifier(undefined, 1);
  for (const ex of examples) if (ex.tokens.length > 0) bayes.addDocument(ex.tokens, ex.intent);
  bayes.train();
  const vocab = Object.keys(bayes.features);
  const labels = INTENTS.filter((l) => bayes.classifier.classTotals[l] !== undefined);
  const counts: Record<string, number[]> = {};
  vocab.forEach((feature, i) => {
    // natural stores 1 + smoothing for a feature's first document, so count = stored - smoothing.
    counts[feature] = labels.map((l) => {
      const stored = bayes.classifier.classFeatures[l]?.[i];
      return stored === undefined ? 0 : Math.round(stored - 1);
    });
  });
  const docs = labels.map((l) => bayes.classifier.classTotals[l]! - 1);
  return { labels, docs, counts };
}

interface Scored {
  scores: Float64Array;
  truth: number;
}

function logLoss(items: readonly Scored[], temperature: number): number {
  let loss = 0;
  for (const { scores, truth } of items) {
    const p = softmax(scores, temperature, new Float64Array(scores.length));
    loss -= Math.log(Math.max(p[truth]!, 1e-12));
  }
  return loss / items.length;
}

function argmax(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

function fitTemperature(items: readonly Scored[]): { temperature: number; loss: number } {
  let best = { temperature: 1, loss: Infinity };
  for (let t = 0.25; t <= 400; t *= 1.1) {
    const loss = logLoss(items, t);
    if (loss < best.loss) best = { temperature: Number(t.toPrecision(4)), loss };
  }
  return best;
}

export interface TrainReport {
  smoothing: number;
  temperature: number;
  cvAccuracy: number;
  cvLogLoss: number;
}

export function trainModel(data: TrainingData): { model: ModelArtifact; report: TrainReport } {
  const tokenized = data.examples.map((ex: Example) => ({ tokens: features(ex.text), intent: ex.intent }));
  // Folds by position modulo FOLDS: deterministic, and every label lands in every fold.
  const folds = Array.from({ length: FOLDS }, (_, k) => ({
    counts: countFeatures(tokenized.filter((_, i) => i % FOLDS !== k)),
    test: tokenized.filter((ex, i) => i % FOLDS === k && ex.tokens.length > 0),
  }));
  let chosen = { smoothing: 1, accuracy: -1, temperature: 1, loss: Infinity };
  for (const smoothing of SMOOTHINGS) {
    const items: Scored[] = [];
    let correct = 0;
    for (const fold of folds) {
      const scorer = compileScorer({ ...fold.counts, smoothing });
      for (const ex of fold.test) {
        const scores = new Float64Array(scorer.labels.length);
        scorer.score(ex.tokens, scores);
        const truth = scorer.labels.indexOf(ex.intent);
        if (argmax(scores) === truth) correct++;
        items.push({ scores, truth });
      }
    }
    const accuracy = correct / items.length;
    const fit = fitTemperature(items);
    if (accuracy > chosen.accuracy + 1e-9 || (Math.abs(accuracy - chosen.accuracy) <= 1e-9 && fit.loss < chosen.loss)) {
      chosen = { smoothing, accuracy, ...fit };
    }
  }
  const all = countFeatures(tokenized);
  const model: ModelArtifact = {
    format: MODEL_FORMAT,
    featureVersion: FEATURE_VERSION,
    dataHash: data.hash,
    labels: all.labels,
    smoothing: chosen.smoothing,
    temperature: chosen.temperature,
    threshold: UNSURE_THRESHOLD,
    docs: all.docs,
    counts: all.counts,
    overrides: data.overrides,
  };
  return {
    model,
    report: { smoothing: chosen.smoothing, temperature: chosen.temperature, cvAccuracy: chosen.accuracy, cvLogLoss: chosen.loss },
  };
}
