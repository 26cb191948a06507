/**
 * `npm run fuzz [-- --cases N --seed S]`: thousands of hostile requests against a real kefu,
 * then prints the counts and the state checks. Exits 1 on any 5xx, crash, failed turn or check.
 */
import { parseArgs } from 'node:util';
import { formatReport, runFuzz } from './fuzzer.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '5000' }, seed: { type: 'string' } } });
const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const started = Date.now();
const report = await runFuzz({ cases: Number(values.cases), seed });
console.log(formatReport(report));
console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s (replay with --seed ${seed})`);
const bad = report.status['5xx'] + report.status['no answer'] + report.crashes + report.turnErrors + report.failures.length + report.checks.filter((c) => !c.ok).length;
process.exit(bad === 0 ? 0 : 1);
