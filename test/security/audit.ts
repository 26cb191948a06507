/**
 * `npm run audit`: first `npm audit` against the registry (production dependencies); where the
 * registry's audit endpoint cannot be reached, says so. Then, always, the offline check of
 * package-lock.json against test/security/advisories.yaml. Exits 1 on any finding.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findVulnerable, loadAdvisories } from './advisoryCheck.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
let failed = false;

const online = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
try {
  const report = JSON.parse(online.stdout) as {
    metadata?: { vulnerabilities?: Record<string, number> };
    message?: string;
  };
  if (report.metadata?.vulnerabilities) {
    const v = report.metadata.vulnerabilities;
    console.log(
      `npm audit: ${Object.entries(v)
        .map(([k, n]) => `${k} ${n}`)
        .join(' · ')}`,
    );
    if ((v.high ?? 0) + (v.critical ?? 0) > 0) failed = true;
  } else console.log(`npm audit: unavailable here (${report.message ?? 'no report'}); relying on the offline check`);
} catch {
  console.log('npm audit: unavailable here (no JSON answer); relying on the offline check');
}

const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Parameters<
  typeof findVulnerable
>[0];
const advisories = loadAdvisories();
const findings = findVulnerable(lock, advisories);
console.log(
  `offline check: ${Object.keys(lock.packages ?? {}).length} installed packages against ${advisories.length} advisories: ${findings.length} finding(s)`,
);
for (const f of findings)
  console.log(
    `  ${f.package}@${f.version} (${f.where}): ${f.advisory.id} — ${f.advisory.why}; fixed in ${f.advisory.below}`,
  );
process.exit(failed || findings.length > 0 ? 1 : 0);
