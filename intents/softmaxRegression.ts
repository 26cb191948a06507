/**
 * Multinomial logistic regression (softmax regression) over sparse binary features, trained by
 * stochastic gradient descent with L2 regularisation. It replaced natural's Bayes counts because
 * a discriminative model weighs overlapping features (a jieba word, its characters and bigrams;
 * a stem and its bigrams) jointly instead of counting each as independent evidence, which gave
 * Bayes overconfident, brittle scores on phrasings it had not seen. natural's own logistic
 * regression is one-vs-rest over dense vectors of the whole vocabulary: far too slow here.
 *
 * Deterministic: a fixed seed orders the examples, so the same data gives the same weights.
 */

export interface SparseExample {
  features: readonly string[];
  /** The label index, or null for a message that tells no label: its target is uniform. */
  label: number | null;
}

export interface SoftmaxOptions {
  epochs: number;
  /** L2 penalty per update; larger keeps weights small and spreads them over more features. */
  l2: number;
  learningRate: number;
  seed?: number;
}

export interface SoftmaxWeights {
  bias: Float64Array;
  weights: Map<string, Float64Array>;
}

/** A small linear congruential generator: reproducible across runs and machines. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function fitSoftmax(all: readonly SparseExample[], labels: number, opts: SoftmaxOptions): SoftmaxWeights {
  // A text with no features (emoji, garbage) teaches nothing but the bias; leave it out.
  const examples = all.filter((ex) => ex.features.length > 0);
  const bias = new Float64Array(labels);
  const weights = new Map<string, Float64Array>();
  for (const ex of examples) for (const f of ex.features) if (!weights.has(f)) weights.set(f, new Float64Array(labels));
  const rows = examples.map((ex) => ex.features.map((f) => weights.get(f)!));
  const order = examples.map((_, i) => i);
  const next = random(opts.seed ?? 1);
  // Each label weighs the same in total whatever its number of examples, damped by a square
  // root, so that a long list of `other` does not pull short, rare messages towards it.
  const perLabel = new Float64Array(labels);
  for (const ex of examples) if (ex.label !== null) perLabel[ex.label]!++;
  const weightOf = Float64Array.from(perLabel, (n) => (n === 0 ? 0 : Math.sqrt(examples.length / labels / n)));
  const p = new Float64Array(labels);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = opts.learningRate / (1 + epoch * 0.1);
    for (const k of order) {
      const exRows = rows[k]!;
      scoreRows(bias, exRows, p);
      probabilities(p);
      const truth = examples[k]!.label;
      const w = truth === null ? 1 : weightOf[truth]!;
      for (let l = 0; l < labels; l++) {
        const target = truth === null ? 1 / labels : l === truth ? 1 : 0;
        const g = w * (p[l]! - target);
        bias[l]! -= rate * g;
        for (const r of exRows) r[l]! -= rate * (g + opts.l2 * r[l]!);
      }
    }
  }
  return { bias, weights };
}

/** bias + the sum of the rows, into `out`. */
function scoreRows(bias: Float64Array, rows: readonly Float64Array[], out: Float64Array): void {
  out.set(bias);
  for (const r of rows) for (let l = 0; l < out.length; l++) out[l]! += r[l]!;
}

/** Softmax in place (temperature 1). */
function probabilities(p: Float64Array): void {
  let max = -Infinity;
  for (const v of p) if (v > max) max = v;
  let sum = 0;
  for (let l = 0; l < p.length; l++) {
    p[l] = Math.exp(p[l]! - max);
    sum += p[l]!;
  }
  for (let l = 0; l < p.length; l++) p[l]! /= sum;
}
