#!/usr/bin/env node
/**
 * Fails CI on a pending (skipped) test unless test/pending-allowed.yaml lists it with a reason.
 * Usage: node .ci/check-pending.mjs PENDING.json [ALLOW_LIST.yaml]
 * PENDING.json is what test/support/specReporter.cjs writes: [{ title, file }].
 * Prints "N pending (M allowed)" and each test that is not allowed; exit 1 if there is one.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const [pendingFile, allowFile = 'test/pending-allowed.yaml'] = process.argv.slice(2);
if (!pendingFile) {
  console.error('usage: node .ci/check-pending.mjs PENDING.json [ALLOW_LIST.yaml]');
  process.exit(2);
}

/** The allow-list: a list of { test, reason }, nothing else, so a typo cannot allow a test by accident. */
function readAllowList(file) {
  const doc = parse(readFileSync(file, 'utf8')) ?? [];
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a list of { test, reason }`);
  return doc.map((entry, i) => {
    const where = `${file}: entry ${i + 1}`;
    if (entry === null || typeof entry !== 'object') throw new Error(`${where}: expected { test, reason }`);
    const unknown = Object.keys(entry).filter((k) => k !== 'test' && k !== 'reason');
    if (unknown.length > 0) throw new Error(`${where}: unknown key '${unknown[0]}' (expected test and reason)`);
    if (typeof entry.test !== 'string' || entry.test.trim() === '')
      throw new Error(`${where}: expected test: the test's full title`);
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '')
      throw new Error(`${where} (${entry.test}): expected a reason`);
    return entry;
  });
}

try {
  const pending = JSON.parse(readFileSync(pendingFile, 'utf8'));
  const allowed = new Set(readAllowList(allowFile).map((e) => e.test));
  const refused = pending.filter((p) => !allowed.has(p.title));
  console.log(`${pending.length} pending (${pending.length - refused.length} allowed by ${allowFile})`);
  for (const p of refused) console.log(`pending and not allowed: ${p.file}: ${p.title}`);
  process.exit(refused.length > 0 ? 1 : 0);
} catch (err) {
  console.error(`check-pending: ${err.message}`);
  process.exit(2);
}
