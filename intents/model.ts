/**
 * The trained model artifact (`data/intents/model.json`) and the scorer compiled from it.
 * The model is a softmax regression (see softmaxRegression.ts): a bias and, per feature, one
 * weight per label. At load the weights become a map from feature to a typed row, so scoring a
 * text costs one lookup per feature, and scores stay in log space, so a 10,000-character message
 * cannot underflow every class to zero.
 */
import { readFileSync } from 'node:fs';
import { isIntent, type Intent } from './labels.js';
import { DataFileError } from '../lib/dataFile.js';
import { parseOverrides, type OverrideRule } from './dataset.js';

export const MODEL_FORMAT = 'kefu-intents/2';

export interface ModelArtifact {
  format: typeof MODEL_FORMAT;
  featureVersion: string;
  /** sha256 of the training data it was built from (see dataset.ts); a test recomputes it. */
  dataHash: string;
  labels: Intent[];
  /** Training passes and L2 penalty, chosen by cross-validation. */
  epochs: number;
  l2: number;
  /** Softmax temperature fitted on cross-validation folds so confidences are calibrated. */
  temperature: number;
  /** Below this top confidence the result is `unsure`. */
  threshold: number;
  /** Per-label bias, same order as `labels`. */
  bias: number[];
  /** Feature → weight of each label, same order as `labels`. */
  weights: Record<string, number[]>;
  overrides: OverrideRule[];
}

function fail(file: string, what: string): never {
  throw new DataFileError({
    file,
    line: 1,
    column: 1,
    code: 'model',
    message: `not a valid intent model (${what}); run \`npm run train\` to rebuild it`,
  });
}

/** Parses stored JSON into a typed artifact, checking every field the scorer relies on. */
export function parseModel(json: string, file: string): ModelArtifact {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    fail(file, (err as Error).message);
  }
  if (typeof raw !== 'object' || raw === null) fail(file, 'expected an object');
  const m = raw as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT) fail(file, `format is ${JSON.stringify(m.format)}, expected ${MODEL_FORMAT}`);
  const labels = m.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string' && isIntent(l))) {
    fail(file, 'labels must be a list of known intents');
  }
  const n = labels.length;
  const isNumArray = (v: unknown): v is number[] =>
    Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  for (const key of ['epochs', 'l2', 'temperature', 'threshold'] as const) {
    if (typeof m[key] !== 'number' || !((m[key] as number) > 0)) fail(file, `${key} must be a positive number`);
  }
  if (!isNumArray(m.bias)) fail(file, `bias must hold ${n} numbers`);
  if (typeof m.weights !== 'object' || m.weights === null || Array.isArray(m.weights))
    fail(file, 'weights must be a map');
  for (const [feature, row] of Object.entries(m.weights)) {
    if (!isNumArray(row)) fail(file, `weights[${JSON.stringify(feature)}] must hold ${n} numbers`);
  }
  if (typeof m.dataHash !== 'string' || typeof m.featureVersion !== 'string')
    fail(file, 'dataHash and featureVersion are required');
  const overrides = parseOverrides(JSON.stringify(m.overrides ?? []), `${file} (overrides)`);
  return { ...(m as unknown as ModelArtifact), overrides };
}

export function readModel(file: string): ModelArtifact {
  return parseModel(readFileSync(file, 'utf8'), file);
}

/** Per-label raw scores (logits) of a feature set. */
export interface Scorer {
  labels: readonly Intent[];
  /** Fills `out` (length labels.length) and returns how many features were known. */
  score(features: readonly string[], out: Float64Array): number;
}

export function compileScorer(model: Pick<ModelArtifact, 'labels' | 'bias' | 'weights'>): Scorer {
  const { labels } = model;
  const n = labels.length;
  const bias = Float64Array.from(model.bias);
  // All rows in one contiguous array and a map from feature to its offset: one small-integer
  // lookup and one cache-friendly read per feature, instead of chasing a typed array per row.
  const features = Object.keys(model.weights);
  const flat = new Float64Array(features.length * n);
  const offset = new Map<string, number>();
  features.forEach((f, i) => {
    flat.set(model.weights[f]!, i * n);
    offset.set(f, i * n);
  });
  return {
    labels,
    score(features, out) {
      out.set(bias);
      let known = 0;
      for (const f of features) {
        const at = offset.get(f);
        if (at === undefined) continue;
        known++;
        for (let l = 0; l < n; l++) out[l]! += flat[at + l]!;
      }
      return known;
    },
  };
}

/** Softmax of scores/temperature, in place; returns `out`. */
export function softmax(scores: Float64Array, temperature: number, out: Float64Array = scores): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp((scores[i]! - max) / temperature);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** JSON with one feature per line, so a retrain shows up in `git diff` as readable changes. */
export function serializeModel(model: ModelArtifact): string {
  const { weights, ...head } = model;
  const rows = Object.keys(weights)
    .sort()
    .map((f) => `    ${JSON.stringify(f)}: ${JSON.stringify(weights[f])}`);
  const headJson = JSON.stringify(head, null, 2);
  return `${headJson.slice(0, -2)},\n  "weights": {\n${rows.join(',\n')}\n  }\n}\n`;
}
