/**
 * `kefu train`: rebuilds the intent model artifact from `data/intents/` (training examples and
 * overrides) and writes it with the hash of the data it came from, so start-up never retrains
 * and a test can tell when the artifact is stale.
 */
import { writeFileSync } from 'node:fs';
import { loadTrainingData, MODEL_FILE, serializeModel, trainModel } from '../../intents/index.js';
import { UsageError, type Command } from './command.js';

export const trainCommand: Command = {
  summary: 'rebuild the intent model from data/intents/',
  usage: [
    'Usage: kefu train [--out FILE]',
    '',
    'Trains the intent classifier on data/intents/train/*.yaml and data/intents/overrides.yaml',
    `and writes the artifact (default ${MODEL_FILE}).`,
  ].join('\n'),
  async run(args, io) {
    let out = MODEL_FILE;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--out' && args[i + 1] !== undefined) out = args[++i]!;
      else throw new UsageError(`unexpected argument '${args[i]}'`);
    }
    const started = Date.now();
    const data = loadTrainingData();
    const { model, report } = trainModel(data);
    writeFileSync(out, serializeModel(model));
    io.stdout.write(
      `trained on ${data.examples.length} examples, ${Object.keys(model.weights).length} features in ${Date.now() - started} ms\n` +
        `cross-validation accuracy ${(report.cvAccuracy * 100).toFixed(1)}%, log-loss ${report.cvLogLoss.toFixed(3)}; ` +
        `${report.epochs} passes, L2 ${report.l2}, temperature ${report.temperature}\n` +
        `wrote ${out} (data hash ${model.dataHash.slice(0, 12)})\n`,
    );
    return 0;
  },
};
