/**
 * YAML with positions: parses a file keeping node ranges so every later stage can name
 * `file:line:column`, and turns YAML syntax errors (duplicate keys included) into diagnostics.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, Pos } from './types.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export type PathSeg = string | number;

export function parseYaml(text: string, file: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const source = { file, doc, lines };
  // After the first syntax error the parser's later complaints are mostly echoes of it.
  const firstSyntax = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const errors = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstSyntax);
  const diagnostics = errors.map((e): Diagnostic => {
    const at = offsetPos(source, e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      const key = text.slice(e.pos[0]).split(/[:\n]/)[0]?.trim() ?? '';
      return {
        file,
        ...at,
        severity: 'error',
        code: 'duplicate_key',
        message: `key '${key}' appears twice in the same map (expected each key once)`,
      };
    }
    return {
      file,
      ...at,
      severity: 'error',
      code: 'yaml',
      message: `${e.message.split('\n')[0]} (expected valid YAML)`,
    };
  });
  return { source, diagnostics };
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
