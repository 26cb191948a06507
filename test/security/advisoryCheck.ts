/**
 * The dependency check behind `npm run audit` and its test: every package version in
 * package-lock.json is compared with `advisories.yaml`. Version ranges there are simple on
 * purpose ("from" inclusive, "below" exclusive), so the check needs no semver library.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface Advisory {
  package: string;
  below: string;
  from?: string;
  id: string;
  why: string;
}

export interface Finding {
  package: string;
  version: string;
  where: string;
  advisory: Advisory;
}

const here = path.dirname(new URL(import.meta.url).pathname);

export function loadAdvisories(file = path.join(here, 'advisories.yaml')): Advisory[] {
  const list = parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of advisories`);
  return list.map((a: Record<string, unknown>, i) => {
    for (const k of ['package', 'below', 'id', 'why'])
      if (typeof a[k] !== 'string' && typeof a[k] !== 'number') throw new Error(`${file}: entry ${i + 1} needs '${k}'`);
    return {
      package: String(a.package),
      below: String(a.below),
      ...(a.from !== undefined ? { from: String(a.from) } : {}),
      id: String(a.id),
      why: String(a.why),
    };
  });
}

/** Compares dotted versions numerically; a pre-release tag sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const [ca, pa] = a.split('-', 2) as [string, string | undefined];
  const [cb, pb] = b.split('-', 2) as [string, string | undefined];
  const xa = ca.split('.').map(Number);
  const xb = cb.split('.').map(Number);
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    const d = (xa[i] ?? 0) - (xb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (pa === pb) return 0;
  return pa === undefined ? 1 : pb === undefined ? -1 : pa < pb ? -1 : 1;
}

/** Every installed package version (from a lockfile v2/v3) that an advisory covers. */
export function findVulnerable(
  lock: { packages?: Record<string, { version?: string }> },
  advisories: Advisory[],
): Finding[] {
  const findings: Finding[] = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (!where.includes('node_modules/') || !entry.version) continue;
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    for (const advisory of advisories) {
      if (advisory.package !== name) continue;
      if (
        compareVersions(entry.version, advisory.below) < 0 &&
        compareVersions(entry.version, advisory.from ?? '0.0.0') >= 0
      ) {
        findings.push({ package: name, version: entry.version, where, advisory });
      }
    }
  }
  return findings;
}
