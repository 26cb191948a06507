import { expect } from 'chai';
import { fitSoftmax, type SparseExample } from '../../intents/softmaxRegression.js';

/** Three labels told apart by one word each, with a shared word that says nothing. */
const examples: SparseExample[] = [
  ...['rotten', 'mouldy', 'wilted'].map((w) => ({ features: [`e:${w}`, 'e:fruit'], label: 0 })),
  ...['crushed', 'leaking', 'smashed'].map((w) => ({ features: [`e:${w}`, 'e:fruit'], label: 1 })),
  ...['late', 'lost', 'stuck'].map((w) => ({ features: [`e:${w}`, 'e:fruit'], label: 2 })),
  // A rare label: one example against three of each other label.
  { features: ['e:hello', 'e:fruit'], label: 3 },
];

function logits(w: ReturnType<typeof fitSoftmax>, features: string[]): number[] {
  const out = Array.from(w.bias);
  for (const f of features) {
    w.weights.get(f)?.forEach((x, l) => {
      out[l]! += x;
    });
  }
  return out;
}

function argmax(a: number[]): number {
  return a.indexOf(Math.max(...a));
}

describe('softmax regression', () => {
  const opts = { epochs: 40, l2: 1e-3, learningRate: 0.3 };

  it('learns which feature decides the label and gives the uninformative one little weight', () => {
    const w = fitSoftmax(examples, 4, opts);
    for (const ex of examples) expect(argmax(logits(w, [...ex.features])), ex.features.join(' ')).to.equal(ex.label);
    const spread = (f: string) => Math.max(...w.weights.get(f)!) - Math.min(...w.weights.get(f)!);
    expect(spread('e:fruit')).to.be.lessThan(spread('e:rotten') / 2);
  });

  it('does not let a rare label lose to the bias of frequent ones', () => {
    const w = fitSoftmax(examples, 4, opts);
    expect(argmax(logits(w, ['e:hello', 'e:fruit']))).to.equal(3);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const a = fitSoftmax(examples, 4, { ...opts, seed: 7 });
    const b = fitSoftmax(examples, 4, { ...opts, seed: 7 });
    const c = fitSoftmax(examples, 4, { ...opts, seed: 8 });
    expect(Array.from(a.weights.get('e:rotten')!)).to.deep.equal(Array.from(b.weights.get('e:rotten')!));
    expect(Array.from(a.bias)).to.deep.equal(Array.from(b.bias));
    expect(Array.from(a.weights.get('e:rotten')!)).not.to.deep.equal(Array.from(c.weights.get('e:rotten')!));
  });

  it('skips examples without features instead of learning the bias from them', () => {
    const w = fitSoftmax([...examples, ...Array.from({ length: 50 }, () => ({ features: [], label: 2 }))], 4, opts);
    const plain = fitSoftmax(examples, 4, opts);
    expect(Array.from(w.bias)).to.deep.equal(Array.from(plain.bias));
  });
});
