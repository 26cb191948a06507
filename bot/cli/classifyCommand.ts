/**
 * `kefu classify`: how support staff check what kefu understands. With arguments it classifies
 * that text; otherwise it reads one utterance per line from stdin. Either way it writes one JSON
 * object per line: { text, intent, confidence, candidates, entities, lang, unsure, source }.
 */
import { createInterface } from 'node:readline';
import { loadClassifier, type Classification } from '../../intents/index.js';
import type { Command } from './command.js';

function line(c: Classification): string {
  const { text, intent, confidence, candidates, entities, lang, unsure, source } = c;
  return `${JSON.stringify({ text, intent, confidence, candidates, entities, lang, unsure, source })}\n`;
}

export const classifyCommand: Command = {
  summary: 'classify shopper text (argument, or one utterance per stdin line) as JSON lines',
  usage: [
    'Usage: kefu classify [TEXT...]',
    '',
    'With TEXT, classifies it; without, reads one utterance per line from stdin.',
    'Prints one JSON object per line: text, intent, confidence, candidates (top 3), entities, lang,',
    'unsure (confidence under the threshold) and source (model or override).',
    'Set KEFU_INTENT_MODEL to use another model artifact than data/intents/model.json.',
  ].join('\n'),
  async run(args, io) {
    const classifier = loadClassifier(io.env.KEFU_INTENT_MODEL || undefined);
    if (args.length > 0) {
      io.stdout.write(line(classifier.classify(args.join(' '))));
      return 0;
    }
    for await (const text of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      io.stdout.write(line(classifier.classify(text)));
    }
    return 0;
  },
};
