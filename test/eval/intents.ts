/**
 * `npm run eval:intents`: trains on data/intents/train/ (in memory; the saved artifact is not
 * touched) and scores the hand-written held-out set data/intents/heldout/, which is never
 * trained on. Prints accuracy, macro-F1, per-class precision and recall and the most frequent
 * confusions, per language. Exits 1 when a language's macro-F1 is under the 0.95 goal.
 */
import { createClassifier, INTENTS_FOR_EVAL, loadHeldOut, loadTrainingData, LANGS, trainModel } from './intentsEvalDeps.js';

const GOAL = 0.95;
const { model, report } = trainModel(loadTrainingData());
const classifier = createClassifier(model);
const heldOut = loadHeldOut();
console.log(`trained on the training set (cv accuracy ${(report.cvAccuracy * 100).toFixed(1)}%); scoring ${heldOut.length} held-out examples\n`);

let failed = false;
for (const lang of LANGS) {
  const items = heldOut.filter((e) => e.lang === lang);
  const confusion = new Map<string, number>();
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let correct = 0;
  let unsure = 0;
  for (const ex of items) {
    const c = classifier.classify(ex.text);
    inc(predicted, c.intent);
    inc(actual, ex.intent);
    if (c.unsure) unsure++;
    if (c.intent === ex.intent) {
      correct++;
      inc(tp, ex.intent);
    } else {
      inc(confusion, `${ex.intent} → ${c.intent}`);
    }
  }
  const rows: string[] = [];
  let f1Sum = 0;
  for (const label of INTENTS_FOR_EVAL) {
    const t = tp.get(label) ?? 0;
    const p = t / Math.max(1, predicted.get(label) ?? 0);
    const r = t / Math.max(1, actual.get(label) ?? 0);
    const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
    f1Sum += f1;
    rows.push(`  ${label.padEnd(20)} precision ${p.toFixed(3)}  recall ${r.toFixed(3)}  f1 ${f1.toFixed(3)}  (n=${actual.get(label) ?? 0})`);
  }
  const macroF1 = f1Sum / INTENTS_FOR_EVAL.length;
  if (macroF1 < GOAL) failed = true;
  console.log(`== ${lang}: ${items.length} examples, accuracy ${(correct / items.length).toFixed(3)}, macro-F1 ${macroF1.toFixed(3)}, unsure ${unsure}`);
  console.log(rows.join('\n'));
  const pairs = [...confusion.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`  confusions: ${pairs.length === 0 ? 'none' : pairs.map(([k, n]) => `${k} ×${n}`).join(', ')}\n`);
}
process.exitCode = failed ? 1 : 0;
