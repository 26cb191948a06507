import { compileMatcher } from '../../rules/compile.js';
import { decisionBuilder } from '../../rules/decision.js';
import { loadTable } from '../../rules/index.js';
export default async () => {
  const t = loadTable('data/rules.yaml');
  const m = compileMatcher(t.model);
  const f = t.tests.map((x) => x.facts);
  const b = decisionBuilder(t.model.defaultRow!, 'h', undefined);
  const b2 = decisionBuilder(t.model.rows[0]!, 'h', undefined);
  for (const [name, fn] of [['match', (x: any) => m(x)], ['default builder', (x: any) => b(x)], ['row0 builder', (x: any) => b2(x)]] as const) {
    let s = 0; const st = performance.now(); for (let i = 0; i < 2e6; i++) s += fn(f[i % f.length]) ? 1 : 0;
    console.log(name, Math.round(2e6 / ((performance.now() - st) / 1000)));
  }
};
