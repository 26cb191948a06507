/**
 * A small reader over a parsed YAML document that collects every mistake with its
 * `file:line:col`, so a trainer fixing `data/orders.yaml` sees all problems at once and where
 * each one is. Numbers are parsed as bigint so an unquoted 18-digit order id stays exact.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

export class YamlReader {
  readonly problems: string[] = [];
  readonly root: Node | null;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    source: string,
  ) {
    const doc = parseDocument(source, { intAsBigInt: true, lineCounter: this.lines, prettyErrors: false });
    for (const e of doc.errors) {
      const pos = this.lines.linePos(e.pos[0]);
      this.problems.push(`${file}:${pos.line}:${pos.col} ${e.message.split('\n')[0]}`);
    }
    this.root = doc.errors.length > 0 ? null : (doc.contents as Node | null);
  }

  where(node: Node | null | undefined): string {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return `${this.file}:${pos.line}:${pos.col}`;
  }

  fail(node: Node | null | undefined, message: string): undefined {
    this.problems.push(`${this.where(node)} ${message}`);
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
