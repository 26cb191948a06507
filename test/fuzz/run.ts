/**
 * `npm run fuzz [-- --cases N --seed S]`: thousands of hostile requests against real kefu
 * processes, then prints the counts, memory, temp files and state checks. Exits 1 on any 5xx,
 * process exit, failed turn or failed check.
 */
import { parseArgs } from 'node:util';
import { formatReport, runFuzz } from './fuzzer.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const started = Date.now();
const report = await runFuzz({ cases: Number(values.cases), seed });
console.log(formatReport(report));
console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s (replay with --seed ${seed})`);
const bad =
  report.status['5xx'] +
  report.status['no answer'] +
  report.exits +
  report.turnErrors +
  report.failures.length +
  report.checks.filter((c) => !c.ok).length;
process.exit(bad === 0 ? 0 : 1);
