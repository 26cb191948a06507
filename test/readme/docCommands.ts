/**
 * The shell commands the documentation shows, read from its fenced `sh` blocks, so the test of
 * the README follows the README as it changes. A command is one logical shell line: lines
 * continue while a quote is open or after a trailing backslash; `# comments` are dropped, and a
 * comment line `# → …` right after a command is kept as the output the document promises.
 */
import { readFileSync } from 'node:fs';

export interface DocCommand {
  /** Where it is written, `README.md:217`. */
  where: string;
  /** The command as a shell would read it (comments removed, continuations kept). */
  text: string;
  /** What the document says it prints (`# → {"token":"…"}`), if it says. */
  promised?: string;
  /** Which shell block of its file it is in (0, 1, …), for skip rules that cover a whole block. */
  block: number;
}

const SHELL_FENCE = /^(\s*)```(sh|bash|shell|console)\s*$/;

/** The shell blocks of a markdown file: their first line number and their lines. */
export function shellBlocks(markdown: string): { line: number; lines: string[] }[] {
  const blocks: { line: number; lines: string[] }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = SHELL_FENCE.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++)
      body.push(lines[j]!.slice(Math.min(indent, lines[j]!.search(/\S|$/))));
    blocks.push({ line: i + 2, lines: body });
    i = j;
  }
  return blocks;
}

/** The line without its comment, and whether a quote is still open at its end (given the state at its start). */
function scan(line: string, quote: string | undefined): { code: string; comment?: string; quote: string | undefined } {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!)))
      return { code: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim(), quote };
  }
  return { code: line, quote };
}

/** How many compound commands a line opens (`for … do`, `if … then`, `f() {`) minus those it closes. */
function opens(code: string): number {
  const words = code.replace(/'[^']*'|"[^"]*"/g, '').split(/[\s;]+/);
  const open = words.filter((w) => w === 'do' || w === 'then' || w === '{').length;
  const close = words.filter((w) => w === 'done' || w === 'fi' || w === '}').length;
  return open - close;
}

export function commandsOf(markdown: string, file: string): DocCommand[] {
  const commands: DocCommand[] = [];
  for (const [b, block] of shellBlocks(markdown).entries()) {
    let text = '';
    let start = 0;
    let quote: string | undefined;
    let depth = 0;
    const flush = () => {
      if (text.trim() !== '') commands.push({ where: `${file}:${start}`, text: text.trim(), block: b });
      text = '';
    };
    for (const [k, raw] of block.lines.entries()) {
      const lineNo = block.line + k;
      if (text === '') {
        const promise = /^\s*#\s*→\s*(.+)$/.exec(raw);
        if (promise && commands.at(-1)?.block === b) {
          commands.at(-1)!.promised = promise[1]!;
          continue;
        }
        if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
        start = lineNo;
      }
      const s = scan(raw, quote);
      quote = s.quote;
      text += (text === '' ? '' : '\n') + s.code;
      if (!quote) depth += opens(s.code);
      if (!quote && depth <= 0 && !/(\\|\||&&)\s*$/.test(s.code)) {
        depth = 0;
        flush();
      }
    }
    flush();
  }
  return commands;
}

export function readDocCommands(file: string, label: string): DocCommand[] {
  return commandsOf(readFileSync(file, 'utf8'), label);
}

/** The same command, spelt the one way the test runs it: `kefu ARGS` (a shim on PATH runs node bot/kefu.js). */
export function canonical(text: string): string {
  return text
    .replace(/\bnpx kefu\b/g, 'kefu')
    .replace(/\bnpm run kefu --(?=\s)/g, 'kefu')
    .replace(/\bnode bot\/kefu\.js\b/g, 'kefu');
}

/**
 * The `kefu` invocations in a command line and the command words of each (`rules explain`),
 * for running `--help` on them. A second word counts when it looks like a subcommand.
 */
export function kefuWords(text: string): string[][] {
  const found: string[][] = [];
  for (const m of canonical(text).matchAll(/(?:^|[|;&(]\s*|\s)kefu(?=\s|$)((?:\s+[^\s|;&]+)*)/g)) {
    const args = m[1]!.trim().split(/\s+/).filter(Boolean);
    if (args.length === 0 || args[0]!.startsWith('-')) continue;
    found.push(args.length > 1 && /^[a-z]+$/.test(args[1]!) ? args.slice(0, 2) : args.slice(0, 1));
  }
  return found;
}
