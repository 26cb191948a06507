import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';

describe('rules: the pure core', () => {
  it('imports nothing from botbuilder, restify or storage code', () => {
    const files = readdirSync('rules').filter((f) => f.endsWith('.ts'));
    expect(files.length).to.be.greaterThan(5);
    for (const f of files) {
      const imports = [...readFileSync(`rules/${f}`, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      const bad = imports.filter((i) => /botbuilder|restify|ioredis|^pg$|better-sqlite3|\/store\/|\/bot\//.test(i));
      expect(bad, f).to.deep.equal([]);
    }
  });
});
