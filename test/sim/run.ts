/**
 * `npm run simulate [-- --conversations N --seed S --lang zh-CN|en --show]`: simulated shoppers
 * against a real kefu; prints the counts and the failing seeds (with --show, their transcripts).
 * Exits 1 on any 5xx, stuck conversation, inexact fact or remedy that differs from the table.
 */
import { parseArgs } from 'node:util';
import { formatReport, runSimulation } from './simulator.js';
import type { Lang } from './grammar.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '200' },
    seed: { type: 'string' },
    lang: { type: 'string' },
    show: { type: 'boolean' },
  },
});
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const started = Date.now();
const langs = values.lang ? [values.lang as Lang] : undefined;
const report = await runSimulation({ conversations: Number(values.conversations), seed, ...(langs ? { langs } : {}) });
console.log(formatReport(report));
if (values.show)
  for (const f of report.failures) console.log(`\n# seed ${f.seed}: ${f.why}\n${f.transcript.join('\n')}`);
console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s (replay with --seed ${seed})`);
process.exit(report.failures.length === 0 ? 0 : 1);
