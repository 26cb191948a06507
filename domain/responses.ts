/**
 * The reply catalogue (`data/responses.yaml`): every text kefu says, in zh-CN and en, with
 * `{name}` placeholders. Loaded once; `t()` never throws on a live conversation.
 */
import type { Lang } from '../intents/labels.js';
import { readYamlFile } from '../lib/dataFile.js';

export type Vars = Record<string, string | number>;
interface Pair {
  'zh-CN': string;
  en: string;
}
type Tree = { [key: string]: Tree | Pair };

const pairSchema = {
  type: 'object',
  required: ['zh-CN', 'en'],
  additionalProperties: false,
  properties: { 'zh-CN': { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const treeSchema = {
  $id: 'kefu-responses',
  type: 'object',
  additionalProperties: { anyOf: [pairSchema, { $ref: 'kefu-responses' }] },
};

function isPair(node: Tree | Pair): node is Pair {
  return typeof (node as Pair).en === 'string';
}

export class Responses {
  private readonly pairs = new Map<string, Pair>();

  constructor(tree: Tree) {
    const walk = (node: Tree, prefix: string): void => {
      for (const [key, child] of Object.entries(node)) {
        const name = prefix ? `${prefix}.${key}` : key;
        if (isPair(child)) this.pairs.set(name, child);
        else walk(child, name);
      }
    };
    walk(tree, '');
  }

  static load(file: string): Responses {
    return new Responses(readYamlFile<Tree>(file, treeSchema));
  }

  keys(): string[] {
    return [...this.pairs.keys()];
  }

  has(key: string): boolean {
    return this.pairs.has(key);
  }

  /** The text for `key` in `lang` with placeholders filled; an unknown key yields the key itself. */
  t(lang: Lang, key: string, vars: Vars = {}): string {
    const pair = this.pairs.get(key);
    if (pair === undefined) return key;
    return pair[lang].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }

  placeholders(key: string, lang: Lang): string[] {
    return [...(this.pairs.get(key)?.[lang].matchAll(/\{(\w+)\}/g) ?? [])].map((m) => m[1]!).sort();
  }
}
