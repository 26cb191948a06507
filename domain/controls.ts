/**
 * Control words (`data/controls.yaml`): short phrases that steer the conversation at any step
 * (cancel, help, a person, skip...). A message is a control word only when the whole message,
 * normalised, equals a listed phrase, so answers that merely contain one are never hijacked.
 */
import { readYamlFile } from '../lib/dataFile.js';

export const CONTROLS = [
  'cancel',
  'help',
  'human',
  'skip',
  'dont_have',
  'correct',
  'end_chat',
  'leave_queue',
  'yes',
  'no',
  'my_data',
  'delete_my_data',
] as const;
export type Control = (typeof CONTROLS)[number];

const phrases = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 };
const schema = {
  type: 'object',
  required: [...CONTROLS],
  additionalProperties: false,
  properties: Object.fromEntries(
    CONTROLS.map((c) => [
      c,
      {
        type: 'object',
        required: ['zh-CN', 'en'],
        additionalProperties: false,
        properties: { 'zh-CN': phrases, en: phrases },
      },
    ]),
  ),
};

type File = Record<Control, { 'zh-CN': string[]; en: string[] }>;

/** Lower-cases, folds full-width forms and drops surrounding punctuation and spaces. */
export function normalise(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase().trim();
  const stripped = folded.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '').replace(/\s+/g, ' ');
  // A message of punctuation only ("?") keeps its punctuation so it can be a control phrase.
  return stripped === '' ? folded.replace(/\s+/g, '') : stripped;
}

export class Controls {
  private readonly index = new Map<string, Control>();

  constructor(file: File) {
    for (const control of CONTROLS) {
      for (const phrase of [...file[control]['zh-CN'], ...file[control].en]) this.index.set(normalise(phrase), control);
    }
  }

  static load(path: string): Controls {
    return new Controls(readYamlFile<File>(path, schema));
  }

  match(text: string | undefined): Control | undefined {
    if (text === undefined || text.length > 40) return undefined;
    return this.index.get(normalise(text));
  }
}
