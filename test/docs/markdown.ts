/**
 * What the documentation tests read from markdown: headings and their anchors (GitHub's slugs),
 * links outside code, and tables. Fenced blocks and inline code are not prose: nothing in them is a
 * heading or a link.
 */

/** The lines of a markdown file with fenced code blocks blanked out (line numbers stay). */
export function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (open !== null && open[1]!.startsWith(fence)) fence = undefined;
      return '';
    }
    if (open !== null) {
      fence = open[1]!;
      return '';
    }
    return line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a file offers: one per heading, repeated headings numbered as GitHub does (`-1`, `-2`). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(markdown)) {
    const h = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (h === null) continue;
    const base = slug(h[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

export interface Link {
  line: number;
  target: string;
}

/** Inline links and images `[text](target)` outside code, with their line numbers. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  for (const [i, raw] of proseLines(markdown).entries()) {
    const line = raw.replace(/(`+)[^`]*?\1/g, '');
    for (const m of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      found.push({ line: i + 1, target: m[1]! });
  }
  return found;
}

/** The rows of every table whose header's first cell is `firstHeader`, each row as its cells. */
export function tableRows(markdown: string, firstHeader: string): string[][] {
  const rows: string[][] = [];
  const lines = proseLines(markdown);
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!/^\s*\|/.test(lines[i]!) || cells(lines[i]!)[0] !== firstHeader || !/^\s*\|[\s|:-]+$/.test(lines[i + 1]!))
      continue;
    for (let j = i + 2; j < lines.length && /^\s*\|/.test(lines[j]!); j++) rows.push(cells(lines[j]!));
  }
  return rows;
}
