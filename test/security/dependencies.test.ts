/**
 * No installed dependency version has a known advisory with a fixed version available (the
 * `overrides` in package.json pin the fixes). The check itself is tested on a lockfile that still
 * has the vulnerable versions restify and Web Chat pull in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { compareVersions, findVulnerable, loadAdvisories } from './advisoryCheck.js';
import { ROOT } from '../support/kefuHarness.js';

describe('security: dependencies', () => {
  const advisories = loadAdvisories();

  it('compares versions numerically', () => {
    expect(compareVersions('0.18.0', '0.19.0')).to.equal(-1);
    expect(compareVersions('8.10.0', '8.2.2')).to.equal(1);
    expect(compareVersions('7.26.10', '7.26.10')).to.equal(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).to.equal(-1);
  });

  it('flags the versions restify 11 and Web Chat bring without overrides', () => {
    const lock = {
      packages: {
        'node_modules/send': { version: '0.18.0' },
        'node_modules/restify/node_modules/find-my-way': { version: '7.7.0' },
        'node_modules/@babel/runtime': { version: '7.19.0' },
        'node_modules/ws': { version: '8.23.0' },
      },
    };
    expect(findVulnerable(lock, advisories).map((f) => `${f.package}@${f.version}`)).to.deep.equal([
      'send@0.18.0',
      'find-my-way@7.7.0',
      '@babel/runtime@7.19.0',
    ]);
  });

  it('finds no known-vulnerable version in package-lock.json', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Parameters<
      typeof findVulnerable
    >[0];
    const findings = findVulnerable(lock, advisories).map((f) => `${f.package}@${f.version} (${f.advisory.id})`);
    expect(findings).to.deep.equal([]);
  });

  it('pins the fixes with overrides', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      overrides?: Record<string, string>;
    };
    expect(pkg.overrides).to.include({ send: '^0.19.2', 'find-my-way': '^8.2.2' });
  });
});
