import { expect } from 'chai';
import { HELD_OUT_SETS, loadHeldOut, loadTrainingData, type Example } from '../../intents/index.js';
import { INTENTS } from '../../intents/labels.js';

/** Letters and digits only, folded, so punctuation and spacing cannot hide a copy. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

function bigrams(text: string): Set<string> {
  const f = fold(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < f.length; i++) out.add(f.slice(i, i + 2));
  return out;
}

/** Character-bigram Jaccard overlap at or above which a training sentence counts as a copy of a held-out one. */
const NEAR = 0.7;

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

describe('intent data: held-out sets stay held out', () => {
  const training = loadTrainingData().examples;
  const sets = HELD_OUT_SETS.map((set) => ({ set, examples: loadHeldOut(undefined, set) }));

  it('both held-out sets cover every label in both languages', () => {
    for (const { set, examples } of sets) {
      for (const lang of ['zh-CN', 'en'] as const) {
        for (const intent of INTENTS) {
          expect(
            examples.filter((e) => e.lang === lang && e.intent === intent).length,
            `${set} ${lang} ${intent}`,
          ).to.be.at.least(5);
        }
      }
    }
  });

  it('no held-out sentence is in the training data, not even with other punctuation or case', () => {
    const trained = new Set(training.map((e) => fold(e.text)));
    for (const { set, examples } of sets) {
      const copies = examples.filter((e) => trained.has(fold(e.text))).map((e) => e.text);
      expect(copies, `${set}: held-out sentences found in train/`).to.deep.equal([]);
    }
  });

  it(`no training sentence is a near copy of a held-out one (character-bigram overlap under ${NEAR})`, function () {
    this.timeout(30_000);
    const held: { ex: Example; grams: Set<string> }[] = sets.flatMap(({ examples }) =>
      examples.map((ex) => ({ ex, grams: bigrams(ex.text) })),
    );
    const near: string[] = [];
    for (const t of training) {
      const g = bigrams(t.text);
      if (g.size < 5) continue; // "hello", "好的呀": too short for overlap to mean a copy
      const hit = held.find((h) => h.ex.lang === t.lang && jaccard(g, h.grams) >= NEAR);
      if (hit !== undefined) near.push(`${t.text}  ~  ${hit.ex.text}`);
    }
    expect(near).to.deep.equal([]);
  });

  it('the two held-out sets do not share sentences', () => {
    const [a, b] = sets.map(({ examples }) => new Set(examples.map((e) => fold(e.text))));
    expect([...a!].filter((t) => b!.has(t))).to.deep.equal([]);
  });
});
