/**
 * `--write-docs`: a benchmark's figures go into docs/benchmarks.md between the markers
 * `<!-- bench:NAME:begin -->` and `<!-- bench:NAME:end -->`, so the figures in the docs are
 * always the bench's own output, never typed by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'benchmarks.md');

export const writingDocs = (): boolean => process.argv.includes('--write-docs');

/** The machine a figure was measured on, for the first line of a written section. */
export function machine(): string {
  const load = os.loadavg()[0]!.toFixed(1);
  return `Machine: ${os.cpus().length} cores, Node.js ${process.versions.node}; load average at the end ${load}.`;
}

/** Replaces the section `name` of docs/benchmarks.md with `lines`. */
export function writeBenchSection(name: string, lines: string[]): void {
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  const doc = readFileSync(DOCS, 'utf8');
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DOCS}: expected the markers ${begin} and ${end}`);
  writeFileSync(DOCS, `${doc.slice(0, from + begin.length)}\n${lines.join('\n')}\n${doc.slice(to)}`);
  console.log('\nwritten to docs/benchmarks.md');
}
