/**
 * YAML with positions: a parsed document that keeps node ranges, so every reader can name
 * `file:line:column` for a syntax error, a schema error (by JSON pointer) or its own check (by node).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export interface Pos {
  line: number;
  column: number;
}

/** One thing wrong in a data file, at a place a person can jump to. */
export interface DataProblem extends Pos {
  file: string;
  /** Stable kind: `yaml`, `duplicate_key`, `schema`, or the reader's own. */
  code: string;
  /** What was found and what was expected. */
  message: string;
}

export type PathSeg = string | number;

export interface ParseOptions {
  /** Integers as bigint, so an unquoted 18-digit order id stays exact. */
  intAsBigInt?: boolean;
}

export function formatProblem(p: DataProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

/** Parses `text`; syntax errors (duplicate keys included) come back as problems, never thrown. */
export function parseYaml(
  text: string,
  file: string,
  options: ParseOptions = {},
): { source: YamlSource; problems: DataProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    intAsBigInt: options.intAsBigInt ?? false,
  });
  const source: YamlSource = { file, text, doc, lines };
  // After the first syntax error the parser's later complaints are mostly echoes of it.
  const firstSyntax = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const errors = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstSyntax);
  const problems = errors.map((e): DataProblem => {
    const at = offsetPos(source, e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      const key = text.slice(e.pos[0]).split(/[:\n]/)[0]?.trim() ?? '';
      return {
        file,
        ...at,
        code: 'duplicate_key',
        message: `key '${key}' appears twice in the same map (expected each key once)`,
      };
    }
    return { file, ...at, code: 'yaml', message: `${e.message.split('\n')[0]} (expected valid YAML)` };
  });
  return { source, problems };
}

export function offsetPos(source: YamlSource, offset: number): Pos {
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

export function nodePos(source: YamlSource, node: Node | null | undefined): Pos {
  const offset = node?.range?.[0];
  return offset === undefined ? { line: 1, column: 1 } : offsetPos(source, offset);
}

/** The node at a path, or the deepest existing ancestor when the path runs out. */
export function nodeAt(source: YamlSource, path: readonly PathSeg[]): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const next = node.items[seg];
      if (next === undefined) return node;
      node = next;
    } else {
      break;
    }
  }
  return node as Node | undefined;
}

/** The key node of `key` in the map at `path` (for "unknown field" findings). */
export function keyAt(source: YamlSource, path: readonly PathSeg[], key: string): Node | undefined {
  const map = nodeAt(source, path);
  if (!isMap(map)) return map;
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  return (pair?.key as Node | undefined) ?? map;
}

export function posAt(source: YamlSource, path: readonly PathSeg[]): Pos {
  return nodePos(source, nodeAt(source, path));
}

/** A JSON pointer (ajv's `instancePath`) as path segments; array indexes become numbers. */
export function splitPointer(pointer: string): PathSeg[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A problem at `path` in the document (at its deepest existing ancestor when absent). */
export function problemAt(
  source: YamlSource,
  path: readonly PathSeg[],
  message: string,
  code = 'invalid',
): DataProblem {
  return { file: source.file, ...posAt(source, path), code, message };
}

/** A problem at a node (or at the start of the file when there is none). */
export function problemAtNode(
  source: YamlSource,
  node: Node | null | undefined,
  message: string,
  code = 'invalid',
): DataProblem {
  return { file: source.file, ...nodePos(source, node), code, message };
}
