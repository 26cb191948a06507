/**
 * A reader over a parsed YAML document for files whose checks go beyond a schema (cross
 * references, computed values): it collects every mistake with its `file:line:col`, so a person
 * fixing e.g. `data/orders.yaml` sees all problems at once and where each one is. Built on the one
 * loader's parsing, so syntax errors and positions read the same as everywhere else.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { DataFileError } from './dataFile.js';
import { nodePos, parseYaml, type DataProblem, type ParseOptions, type YamlSource } from './yamlSource.js';

export class YamlReader {
  readonly problems: DataProblem[] = [];
  readonly root: Node | null;
  readonly source: YamlSource;

  constructor(file: string, text: string, options?: ParseOptions) {
    const { source, problems } = parseYaml(text, file, options);
    this.source = source;
    this.problems.push(...problems);
    this.root = problems.length > 0 ? null : (source.doc.contents as Node | null);
  }

  /** Throws DataFileError with every problem found so far, if any. */
  check(): void {
    if (this.problems.length > 0) throw new DataFileError(this.problems);
  }

  fail(node: Node | null | undefined, message: string): undefined {
    this.problems.push({ file: this.source.file, ...nodePos(this.source, node), code: 'invalid', message });
    return undefined;
  }

  map(node: Node | null | undefined, what: string, allowed: readonly string[]): YAMLMap<unknown, unknown> | undefined {
    if (!isMap(node)) return this.fail(node, `${what} must be a mapping`);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key))
        this.fail(pair.key as Node, `${what}: unknown field '${key}' (expected one of ${allowed.join(', ')})`);
    }
    return node;
  }

  seq(node: Node | null | undefined, what: string): YAMLSeq<unknown> | undefined {
    if (!isSeq(node)) return this.fail(node, `${what} must be a list`);
    return node;
  }

  /** The value node of `key`, or undefined (reporting it when required). */
  field(map: YAMLMap<unknown, unknown>, key: string, what: string, required: boolean): Node | undefined {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair === undefined || pair.value === null) {
      if (required) this.fail(map, `${what}: '${key}' is missing`);
      return undefined;
    }
    return pair.value as Node;
  }

  string(node: Node | undefined, what: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value.trim();
    if (isScalar(node) && typeof node.value === 'bigint') return node.value.toString();
    return this.fail(node, `${what} must be text`);
  }

  number(node: Node | undefined, what: string, check: (n: number) => boolean, expected: string): number | undefined {
    const raw = isScalar(node) ? node.value : undefined;
    const n = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'number' ? raw : NaN;
    if (Number.isFinite(n) && check(n)) return n;
    return this.fail(node, `${what} is '${isScalar(node) ? String(node.value) : '?'}' (expected ${expected})`);
  }

  oneOf<T extends string>(node: Node | undefined, what: string, allowed: readonly T[]): T | undefined {
    const raw = isScalar(node) ? String(node.value) : '';
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    return this.fail(node, `${what} is '${raw}' (expected one of ${allowed.join(', ')})`);
  }
}
