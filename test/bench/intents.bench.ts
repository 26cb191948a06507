/**
 * Intent classification speed on one core: model load time, then classifications per second
 * over a mixed zh/en corpus, beside two baselines measured in the same run: tokenization alone
 * (jieba + natural) and fact extraction alone. These machines are shared, so the three are
 * measured in interleaved rounds (each sees the same background load) and the median round is
 * reported; the best round shows what one quiet core does.
 */
import { performance } from 'node:perf_hooks';
import { extractEntities, features, loadClassifier, loadHeldOut } from '../../intents/index.js';

const ROUNDS = 9;
const ROUND_MS = 250;

interface Subject {
  label: string;
  fn: (text: string) => unknown;
  rates: number[];
}

function round(s: Subject, texts: readonly string[]): void {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 200; i++) s.fn(texts[n++ % texts.length]!);
  }
  s.rates.push(n / ((performance.now() - start) / 1000));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);

export default async function bench(): Promise<void> {
  const t0 = performance.now();
  const classifier = loadClassifier();
  console.log(`model load (artifact + jieba dict)  ${(performance.now() - t0).toFixed(0)} ms`);
  const texts = loadHeldOut().map((e) => e.text);
  console.log(
    `corpus: ${texts.length} held-out utterances (zh-CN and en); ${ROUNDS} interleaved rounds of ${ROUND_MS} ms each`,
  );
  const subjects: Subject[] = [
    { label: 'baseline: tokenization alone', fn: features, rates: [] },
    { label: 'baseline: fact extraction alone', fn: (t) => extractEntities(t), rates: [] },
    { label: 'classify (tokens + model + facts)', fn: (t) => classifier.classify(t), rates: [] },
  ];
  for (const s of subjects) for (let i = 0; i < 3000; i++) s.fn(texts[i % texts.length]!); // warm up the JIT
  for (let r = 0; r < ROUNDS; r++) for (const s of subjects) round(s, texts);
  for (const s of subjects)
    console.log(
      `${s.label.padEnd(34)} ${fmt(median(s.rates))} /s median  (best round ${fmt(Math.max(...s.rates)).trim()} /s)`,
    );
  const [tokens, facts, full] = subjects.map((s) => median(s.rates)) as [number, number, number];
  console.log(
    `classify / tokenization = ${(full / tokens).toFixed(2)}x, classify / extraction = ${(full / facts).toFixed(2)}x (goal: ≥ 20,000 classifications/s)`,
  );
}
