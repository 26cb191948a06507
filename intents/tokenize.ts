/**
 * Text → classifier features, for both languages and mixed text. Han runs are segmented with
 * jieba and also cut into characters and character bigrams, so a typo (`过其了`) still shares
 * most features with the right phrase; Latin runs go through natural's word tokenizer and
 * Porter stemmer, plus stem bigrams so that "not arrived" differs from "arrived", plus letter
 * trigrams of longer stems so that a typo ("expird", "delivred") still shares most of its
 * features. Words of one domain idea also give that concept (concepts.ts). Feature prefixes keep
 * the vocabularies apart: `w:` jieba word, `c:` Han character, `b:` Han bigram, `e:` English
 * stem, `e2:` stem bigram, `t:` letter trigram, `k:` concept, `#id` / `#num` numbers.
 *
 * Changing what this returns changes the model: bump FEATURE_VERSION so the artifact goes stale.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import { CONCEPTS } from './concepts.js';
import { normalize } from './normalize.js';

export const FEATURE_VERSION = 'features-v3';

/**
 * jieba's default dictionary, the one `@node-rs/jieba/dict` exports, read on its own: that module
 * also reads a 6 MB IDF table for keyword extraction, which kefu does not use.
 */
const DICT_FILE = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');

let jieba: Jieba | undefined;
/** Loads jieba's dictionary once (~0.2 s); call early to keep it off the first request. */
export function segmenter(): Jieba {
  jieba ??= Jieba.withDict(readFileSync(DICT_FILE));
  return jieba;
}

const wordTokenizer = new WordTokenizer();

/**
 * Only articles are dropped: in a short message pronouns and auxiliaries carry the intent
 * ("where is my …", "did it ship", "I want …"), and negations must stay.
 */
const STOPWORDS = new Set(['a', 'an', 'the']);

/** Shorter stems are whole words with too few trigrams to survive a typo; cross-validation agreed. */
const MIN_TRIGRAM_STEM = 5;

const HAN_OR_LATIN = /(\p{Script=Han}+)|([a-z0-9'][a-z0-9' ]*)/gu;
const NEGATION = /n't\b/g;

function hanFeatures(run: string, out: string[]): void {
  for (const word of segmenter().cut(run, true)) {
    out.push(`w:${word}`);
    const concept = CONCEPTS.get(word);
    if (concept !== undefined) out.push(`k:${concept}`);
  }
  for (const ch of run) {
    out.push(`c:${ch}`);
    const concept = CONCEPTS.get(ch);
    if (concept !== undefined) out.push(`k:${concept}`);
  }
  for (let i = 0; i + 1 < run.length; i++) out.push(`b:${run.slice(i, i + 2)}`);
}

// Stemming is the slowest step of an English message and shoppers reuse few words, so stems are
// remembered; the cache is dropped when full, so memory stays bounded whatever arrives.
const STEM_CACHE_MAX = 20_000;
const stemCache = new Map<string, string>();
function stemOf(token: string): string {
  let s = stemCache.get(token);
  if (s === undefined) {
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    s = PorterStemmer.stem(token);
    stemCache.set(token, s);
  }
  return s;
}

function latinFeatures(run: string, out: string[]): void {
  const stems: string[] = [];
  for (const token of wordTokenizer.tokenize(run.replace(NEGATION, ' not'))) {
    if (/^\d+$/.test(token)) {
      out.push(token.length >= 8 ? '#id' : '#num');
      continue;
    }
    // Past 30 letters a "word" is a URL, a key mash or garbage: nothing to learn from.
    if (STOPWORDS.has(token) || token.length > 30) continue;
    stems.push(stemOf(token));
  }
  for (const stem of stems) {
    out.push(`e:${stem}`);
    const concept = CONCEPTS.get(stem);
    if (concept !== undefined) out.push(`k:${concept}`);
    if (stem.length >= MIN_TRIGRAM_STEM) {
      const w = `<${stem}>`;
      for (let i = 0; i + 3 <= w.length; i++) out.push(`t:${w.slice(i, i + 3)}`);
    }
  }
  for (let i = 0; i + 1 < stems.length; i++) out.push(`e2:${stems[i]}_${stems[i + 1]}`);
}

/** The distinct features of a text, in first-seen order. Never throws; garbage gives []. */
export function features(text: string): string[] {
  return featuresOfNormalized(normalize(text));
}

/** `features` of text already passed through `normalize` (the classifier normalises once). */
export function featuresOfNormalized(normalized: string): string[] {
  const clean = normalized.toLowerCase();
  const out: string[] = [];
  for (const m of clean.matchAll(HAN_OR_LATIN)) {
    if (m[1] !== undefined) hanFeatures(m[1], out);
    else if (m[2] !== undefined) latinFeatures(m[2], out);
  }
  return [...new Set(out)];
}
