/**
 * The trainers' data in `data/intents/`, parsed once into typed values: training examples per
 * language (`train/<lang>.yaml`), the hand-written held-out sets (`heldout/` and `heldout-fresh/`,
 * never trained on) and the keyword overrides (`overrides.yaml`). Errors name the file and the place.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq } from 'yaml';
import {
  DataFileError,
  displayPath,
  keyAt,
  parseYamlSource,
  problemAt,
  problemAtNode,
  type PathSeg,
  type YamlSource,
} from '../lib/dataFile.js';
import { projectPath } from '../lib/paths.js';
import { INTENTS, isIntent, type Intent, type Lang } from './labels.js';
import { FEATURE_VERSION } from './tokenize.js';

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DATA_DIR = projectPath('data', 'intents');
export const MODEL_FILE = path.join(DATA_DIR, 'model.json');

export interface Example {
  text: string;
  intent: Intent;
  lang: Lang;
}

export interface OverrideRule {
  intent: Intent;
  /** Regular expression sources, matched case-insensitively against the normalised text. */
  patterns: string[];
  why: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The key of a training file's list of messages too vague to tell any intent ("东西有问题",
 * "about my order"): the model is trained to spread its confidence over all intents for them,
 * so that such a message comes out `unsure` and the dialog asks what is wrong.
 */
export const UNCLEAR = 'unclear';

function fail(source: YamlSource, path: PathSeg[], message: string): never {
  throw new DataFileError(problemAt(source, path, message));
}

function texts(source: YamlSource, list: unknown, label: string): string[] {
  if (!Array.isArray(list)) fail(source, [label], `${label}: expected a list of examples`);
  return (list as unknown[]).map((text: unknown, i) => {
    if (typeof text !== 'string' && typeof text !== 'number') {
      fail(source, [label, i], `${label}[${i}]: expected a text, got ${JSON.stringify(text)}`);
    }
    const t = String(text).trim();
    if (t === '') fail(source, [label, i], `${label}[${i}]: empty example`);
    return t;
  });
}

/** What to do with an `unclear` list: collect it (training), skip it, or refuse it (held-out sets). */
type UnclearMode = string[] | 'skip' | 'refuse';

function parseFile(text: string, file: string, lang: Lang, unclear: UnclearMode): Example[] {
  const source = parseYamlSource(text, file);
  const doc: unknown = source.doc.toJS();
  if (!isRecord(doc) || !isMap(source.doc.contents))
    fail(source, [], 'expected a map from intent label to a list of examples');
  const out: Example[] = [];
  for (const [label, list] of Object.entries(doc)) {
    if (label === UNCLEAR && unclear !== 'refuse') {
      const items = texts(source, list, label);
      if (Array.isArray(unclear)) unclear.push(...items);
      continue;
    }
    if (!isIntent(label)) {
      const allowed = unclear === 'refuse' ? INTENTS.join(', ') : `${INTENTS.join(', ')} or ${UNCLEAR}`;
      throw new DataFileError(
        problemAtNode(
          source,
          keyAt(source, [], label),
          `'${label}' is not a known intent (expected one of ${allowed})`,
        ),
      );
    }
    for (const text of texts(source, list, label)) out.push({ text, intent: label, lang });
  }
  return out;
}

/** Parses one examples file: a map from intent label to a list of utterances (an `unclear` list is skipped). */
export function parseExamples(source: string, file: string, lang: Lang): Example[] {
  return parseFile(source, file, lang, 'skip');
}

/** Parses one training file: like `parseExamples`, plus its `unclear` list. */
export function parseTrainingFile(
  source: string,
  file: string,
  lang: Lang,
): { examples: Example[]; unclear: string[] } {
  const unclear: string[] = [];
  return { examples: parseFile(source, file, lang, unclear), unclear };
}

/** Parses `overrides.yaml`: a list of `{ intent, why, patterns }`; every pattern must compile. */
export function parseOverrides(text: string, file: string): OverrideRule[] {
  const source = parseYamlSource(text, file);
  const doc: unknown = source.doc.toJS();
  if (!Array.isArray(doc) || !isSeq(source.doc.contents)) fail(source, [], 'expected a list of overrides');
  return (doc as unknown[]).map((entry: unknown, i): OverrideRule => {
    const where = `override ${i + 1}`;
    if (!isRecord(entry)) fail(source, [i], `${where}: expected a map with intent, why, patterns`);
    const { intent, patterns, why } = entry as Record<string, unknown>;
    if (typeof intent !== 'string' || !isIntent(intent)) {
      fail(
        source,
        [i, 'intent'],
        `${where}: intent '${String(intent)}' is not known (expected one of ${INTENTS.join(', ')})`,
      );
    }
    if (typeof why !== 'string' || why.trim() === '')
      fail(source, [i, 'why'], `${where}: 'why' must say why the rule is certain`);
    if (!Array.isArray(patterns) || patterns.length === 0 || !patterns.every((p) => typeof p === 'string')) {
      fail(source, [i, 'patterns'], `${where}: expected 'patterns' to be a non-empty list of regular expressions`);
    }
    for (const [j, p] of (patterns as string[]).entries()) {
      try {
        new RegExp(p, 'iu');
      } catch (err) {
        fail(
          source,
          [i, 'patterns', j],
          `${where}: pattern ${JSON.stringify(p)} is not a valid regular expression (${(err as Error).message})`,
        );
      }
    }
    return { intent, patterns: patterns as string[], why };
  });
}

export interface TrainingData {
  examples: Example[];
  /** Messages too vague to tell any intent (see UNCLEAR), both languages. */
  unclear: string[];
  overrides: OverrideRule[];
  /** sha256 of the feature version and every file the model is built from. */
  hash: string;
}

function read(file: string): string {
  return readFileSync(file, 'utf8');
}

export function loadTrainingData(dir: string = DATA_DIR): TrainingData {
  const hash = createHash('sha256').update(FEATURE_VERSION);
  const examples: Example[] = [];
  const unclear: string[] = [];
  for (const lang of LANGS) {
    const file = path.join(dir, 'train', `${lang}.yaml`);
    const source = read(file);
    hash.update(`\0${lang}\0${source}`);
    const parsed = parseTrainingFile(source, displayPath(file), lang);
    examples.push(...parsed.examples);
    unclear.push(...parsed.unclear);
  }
  const overridesFile = path.join(dir, 'overrides.yaml');
  const overridesSource = read(overridesFile);
  hash.update(`\0overrides\0${overridesSource}`);
  return {
    examples,
    unclear,
    overrides: parseOverrides(overridesSource, displayPath(overridesFile)),
    hash: hash.digest('hex'),
  };
}

/** Held-out sets, never trained on: `heldout/` (the goal) and `heldout-fresh/` (written later, before tuning). */
export const HELD_OUT_SETS = ['heldout', 'heldout-fresh'] as const;
export type HeldOutSet = (typeof HELD_OUT_SETS)[number];

export function loadHeldOut(dir: string = DATA_DIR, set: HeldOutSet = 'heldout'): Example[] {
  return LANGS.flatMap((lang) => {
    const file = path.join(dir, set, `${lang}.yaml`);
    // Every held-out sentence has an intent to be scored against; a vague one has no place here.
    return parseFile(read(file), displayPath(file), lang, 'refuse');
  });
}
