/**
 * The configuration reference is complete and true: every environment variable kefu's code reads
 * (bot/config.ts and any other source) has a row in docs/configuration.md and a commented line in
 * .env.example, nothing is documented that the code does not read, each line of .env.example holds
 * the default docs/configuration.md states, and loading .env.example (every line, commented ones
 * too) configures exactly what an empty environment does.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../bot/config.js';
import { ROOT } from '../support/kefuHarness.js';
import { tableRows } from './markdown.js';

/** The folders of product code (test/ and tools are not configuration). */
const SOURCE_DIRS = ['bot', 'dialogs', 'domain', 'intents', 'rules', 'lib'];

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'assets' ? [] : sources(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * The variable names one source file reads: `env.X`, `env?.X`, `process.env.X`, `io.env.X`,
 * `env['X']`, and, where the file indexes the environment with a variable (`env[name]`), the
 * upper-case names of its string-array constants. A dynamic read with no such constant cannot be
 * resolved and is reported, so a new way of reading the environment cannot go unchecked.
 */
function envReads(source: string, file: string): { names: Set<string>; unresolved?: string } {
  const names = new Set<string>();
  for (const m of source.matchAll(/(?<![\w.$])(?:[A-Za-z_$][\w$]*\??\.)?env\??\.([A-Za-z_][A-Za-z0-9_]*)/g))
    names.add(m[1]!);
  for (const m of source.matchAll(/\benv\??\.?\[\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)\1\s*\]/g)) names.add(m[2]!);
  const dynamic = /\benv\??\.?\[\s*[A-Za-z_$]/.test(source);
  if (!dynamic) return { names };
  let listed = 0;
  for (const m of source.matchAll(/const\s+\w+\s*=\s*\[([^\]]*)\]/g)) {
    const items = [...m[1]!.matchAll(/(['"])([A-Z][A-Z0-9_]*)\1/g)].map((x) => x[2]!);
    for (const n of items) names.add(n);
    listed += items.length;
  }
  return listed > 0 ? { names } : { names, unresolved: `${file} reads env[…] with names it does not list` };
}

function codeVariables(): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const dir of SOURCE_DIRS)
    for (const file of sources(path.join(ROOT, dir))) {
      const rel = path.relative(ROOT, file);
      const { names, unresolved } = envReads(readFileSync(file, 'utf8'), rel);
      if (unresolved !== undefined) throw new Error(unresolved);
      for (const n of names) where.set(n, [...(where.get(n) ?? []), rel]);
    }
  return where;
}

interface DocRow {
  name: string;
  /** The default column's first `code` value; undefined when it says it in words ("empty", "this instance"). */
  literal?: string;
  text: string;
}

function documented(markdown: string): Map<string, DocRow> {
  const rows = new Map<string, DocRow>();
  for (const cells of tableRows(markdown, 'variable')) {
    const [first = '', def = ''] = cells;
    const literal = /`([^`]*)`/.exec(def)?.[1];
    for (const m of first.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)) {
      if (rows.has(m[1]!)) throw new Error(`docs/configuration.md lists ${m[1]} twice`);
      rows.set(m[1]!, { name: m[1]!, literal, text: def });
    }
  }
  return rows;
}

interface ExampleLine {
  name: string;
  value: string;
  line: number;
  /** Whether a comment says what it is: the first line above it (past other variables) is a comment. */
  explained: boolean;
}

function exampleLines(text: string): Map<string, ExampleLine> {
  const lines = text.split('\n');
  const isVar = (l: string) => /^#?\s?[A-Za-z_][A-Za-z0-9_]*=/.test(l);
  const out = new Map<string, ExampleLine>();
  for (const [i, l] of lines.entries()) {
    const m = /^#?\s?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l);
    if (m === null) continue;
    let j = i - 1;
    while (j >= 0 && isVar(lines[j]!)) j--;
    if (out.has(m[1]!)) throw new Error(`.env.example sets ${m[1]} twice (lines ${out.get(m[1]!)!.line} and ${i + 1})`);
    out.set(m[1]!, { name: m[1]!, value: m[2]!.trim(), line: i + 1, explained: j >= 0 && /^#/.test(lines[j]!) });
  }
  return out;
}

describe('the configuration reference (docs/configuration.md, .env.example)', () => {
  const code = codeVariables();
  const docs = documented(readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8'));
  const exampleText = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  const example = exampleLines(exampleText);

  it('finds the variables the code reads, the table and the example file', () => {
    for (const n of ['PORT', 'MicrosoftAppId', 'WECOM_CORP_ID', 'LOG_LEVEL', 'KEFU_INTENT_MODEL'])
      expect([...code.keys()], 'read by the code').to.include(n);
    expect(docs.size, 'rows in docs/configuration.md').to.be.at.least(code.size);
    expect(example.size, 'lines in .env.example').to.be.at.least(code.size);
  });

  it('documents every variable the code reads in docs/configuration.md', () => {
    const missing = [...code].filter(([n]) => !docs.has(n)).map(([n, files]) => `${n} (read in ${files.join(', ')})`);
    expect(missing, 'missing from docs/configuration.md').to.deep.equal([]);
  });

  it('lists every variable the code reads in .env.example, each under a comment', () => {
    const missing = [...code]
      .filter(([n]) => !example.has(n))
      .map(([n, files]) => `${n} (read in ${files.join(', ')})`);
    expect(missing, 'missing from .env.example').to.deep.equal([]);
    const bare = [...example.values()].filter((e) => !e.explained).map((e) => `${e.name} (line ${e.line})`);
    expect(bare, '.env.example lines with no comment above them').to.deep.equal([]);
  });

  it('documents and lists no variable the code does not read', () => {
    expect(
      [...docs.keys()].filter((n) => !code.has(n)),
      'in docs/configuration.md only',
    ).to.deep.equal([]);
    expect(
      [...example.keys()].filter((n) => !code.has(n)),
      'in .env.example only',
    ).to.deep.equal([]);
  });

  it('gives in .env.example the default docs/configuration.md states', () => {
    const wrong = [...docs.values()].flatMap((d) => {
      const e = example.get(d.name);
      if (e === undefined) return [];
      const expected = d.literal ?? '';
      return e.value === expected
        ? []
        : [`${d.name}: .env.example line ${e.line} has '${e.value}', the table's default is '${expected}' (${d.text})`];
    });
    expect(wrong).to.deep.equal([]);
  });

  it('configures nothing different from an empty environment, even with every line uncommented', () => {
    const all: Record<string, string> = {};
    for (const e of example.values()) all[e.name] = e.value;
    expect(loadConfig(all, '/srv/kefu')).to.deep.equal(loadConfig({}, '/srv/kefu'));
  });

  it('reads env.X, process.env.X, io.env.X, env["X"] and listed env[name], and refuses an unlisted env[name]', () => {
    const src = [
      "const A = env.PORT; const B = process.env.LOG_LEVEL; const C = io.env?.RULES_FILE; const D = env['HOST'];",
      "const VARS = ['WECOM_TOKEN', 'WECOM_KF_SECRET'] as const; VARS.map((n) => env[n]);",
      '// see .env.example',
    ].join('\n');
    expect([...envReads(src, 'x.ts').names].sort()).to.deep.equal(
      ['HOST', 'LOG_LEVEL', 'PORT', 'RULES_FILE', 'WECOM_KF_SECRET', 'WECOM_TOKEN'].sort(),
    );
    expect(envReads('const v = process.env[name];', 'y.ts').unresolved).to.equal(
      'y.ts reads env[…] with names it does not list',
    );
  });
});
