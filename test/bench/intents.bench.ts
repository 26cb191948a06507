/**
 * Intent classification speed on one core: model load time, then classifications per second
 * over a mixed zh/en corpus, beside two baselines measured in the same run: tokenization alone
 * (jieba + natural) and fact extraction alone.
 */
import { performance } from 'node:perf_hooks';
import { extractEntities, features, loadClassifier, loadHeldOut } from '../../intents/index.js';

function rate(label: string, texts: string[], fn: (t: string) => unknown, seconds = 1.5): number {
  for (let i = 0; i < 2000; i++) fn(texts[i % texts.length]!); // warm up the JIT
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 500; i++) fn(texts[n++ % texts.length]!);
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} /s`);
  return perSecond;
}

export default async function bench(): Promise<void> {
  const t0 = performance.now();
  const classifier = loadClassifier();
  console.log(`model load (artifact + jieba dict)  ${(performance.now() - t0).toFixed(0)} ms`);
  const texts = loadHeldOut().map((e) => e.text);
  console.log(`corpus: ${texts.length} held-out utterances (zh-CN and en)`);
  const tokens = rate('baseline: tokenization alone', texts, features);
  const facts = rate('baseline: fact extraction alone', texts, (t) => extractEntities(t));
  const full = rate('classify (tokens + model + facts)', texts, (t) => classifier.classify(t));
  console.log(`classify / tokenization = ${(full / tokens).toFixed(2)}x, classify / extraction = ${(full / facts).toFixed(2)}x (goal: ≥ 20,000 classifications/s)`);
}
