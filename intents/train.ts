/**
 * Training: a softmax regression (softmaxRegression.ts) over the tokenizer's features. 5-fold
 * cross-validation over the training set picks the number of passes and the L2 penalty, and
 * fits the softmax temperature that makes confidences calibrated (minimum log-loss on the
 * held-in folds' predictions). Deterministic: the same data gives the same artifact, byte for byte.
 */
import type { Example, TrainingData } from './dataset.js';
import { INTENTS, type Intent } from './labels.js';
import { compileScorer, MODEL_FORMAT, softmax, type ModelArtifact } from './model.js';
import { fitSoftmax, type SoftmaxOptions, type SparseExample } from './softmaxRegression.js';
import { features, FEATURE_VERSION } from './tokenize.js';

/** Documented in docs/intents.md: below this the dialog asks "did you mean A or B?". */
export const UNSURE_THRESHOLD = 0.5;
const LEARNING_RATE = 0.3;
const GRID: readonly Pick<SoftmaxOptions, 'epochs' | 'l2'>[] = [20, 40].flatMap((epochs) =>
  [1e-4, 1e-3, 3e-3].map((l2) => ({ epochs, l2 })),
);
const FOLDS = 5;
/** Weights are rounded to this many decimals: a smaller artifact and readable diffs; evaluation uses the rounded model too. */
const DECIMALS = 4;

interface Fitted {
  labels: Intent[];
  bias: number[];
  weights: Record<string, number[]>;
}

/**
 * Fits on the examples (and the unclear messages, which have a uniform target); labels are
 * those of INTENTS that have at least one example.
 */
export function fit(
  examples: readonly { tokens: string[]; intent: Intent }[],
  opts: Pick<SoftmaxOptions, 'epochs' | 'l2'>,
  unclear: readonly string[][] = [],
): Fitted {
  const labels = INTENTS.filter((l) => examples.some((e) => e.intent === l));
  const sparse: SparseExample[] = [
    ...examples.map((e) => ({ features: e.tokens, label: labels.indexOf(e.intent) })),
    ...unclear.map((tokens) => ({ features: tokens, label: null })),
  ];
  const { bias, weights } = fitSoftmax(sparse, labels.length, { ...opts, learningRate: LEARNING_RATE });
  const round = (x: number) => Number(x.toFixed(DECIMALS)) + 0; // + 0 turns -0 into 0
  const rows: Record<string, number[]> = {};
  for (const [f, row] of weights) rows[f] = Array.from(row, round);
  return { labels, bias: Array.from(bias, round), weights: rows };
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
  epochs: number;
  l2: number;
  temperature: number;
  cvAccuracy: number;
  cvLogLoss: number;
}

export function trainModel(data: TrainingData): { model: ModelArtifact; report: TrainReport } {
  const tokenized = data.examples.map((ex: Example) => ({ tokens: features(ex.text), intent: ex.intent }));
  // Unclear messages are in every fold's training part: they have no label to be tested on.
  const unclear = data.unclear.map((text) => features(text));
  // Folds by position modulo FOLDS: deterministic, and every label lands in every fold.
  const folds = Array.from({ length: FOLDS }, (_, k) => ({
    train: tokenized.filter((_, i) => i % FOLDS !== k),
    test: tokenized.filter((ex, i) => i % FOLDS === k && ex.tokens.length > 0),
  }));
  let chosen = { ...GRID[0]!, accuracy: -1, temperature: 1, loss: Infinity };
  for (const opts of GRID) {
    const items: Scored[] = [];
    let correct = 0;
    for (const fold of folds) {
      // biome-ignore lint/suspicious/noFocusedTests: `fit` trains the model here; it is not mocha's focused `it`
      const scorer = compileScorer(fit(fold.train, opts, unclear));
      for (const ex of fold.test) {
        const scores = new Float64Array(scorer.labels.length);
        scorer.score(ex.tokens, scores);
        const truth = scorer.labels.indexOf(ex.intent);
        if (argmax(scores) === truth) correct++;
        items.push({ scores, truth });
      }
    }
    const accuracy = correct / items.length;
    const fitted = fitTemperature(items);
    if (
      accuracy > chosen.accuracy + 1e-9 ||
      (Math.abs(accuracy - chosen.accuracy) <= 1e-9 && fitted.loss < chosen.loss)
    ) {
      chosen = { ...opts, accuracy, ...fitted };
    }
  }
  // biome-ignore lint/suspicious/noFocusedTests: `fit` trains the model here; it is not mocha's focused `it`
  const all = fit(tokenized, chosen, unclear);
  const model: ModelArtifact = {
    format: MODEL_FORMAT,
    featureVersion: FEATURE_VERSION,
    dataHash: data.hash,
    labels: all.labels,
    epochs: chosen.epochs,
    l2: chosen.l2,
    temperature: chosen.temperature,
    threshold: UNSURE_THRESHOLD,
    bias: all.bias,
    weights: all.weights,
    overrides: data.overrides,
  };
  return {
    model,
    report: {
      epochs: chosen.epochs,
      l2: chosen.l2,
      temperature: chosen.temperature,
      cvAccuracy: chosen.accuracy,
      cvLogLoss: chosen.loss,
    },
  };
}
