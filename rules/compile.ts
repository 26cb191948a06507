/**
 * Compiles a table's rows into one plain JavaScript function that returns the index of the
 * first matching row (or -1), so evaluation costs about as much as hand-written `if`s.
 * The code is generated only from the validated `Cond` AST: strings are embedded with
 * `JSON.stringify`, numbers are finite numbers, input names come from the fact vocabulary.
 * Under `unique` the first match is the only match (lint proves there are no overlaps).
 */
import type { Facts } from './facts.js';
import type { Cond, InputDecl, Interval, TableModel } from './types.js';

export type Matcher = (facts: Facts) => number;

function intervalExpr(v: string, i: Interval): string {
  const parts: string[] = [];
  if (Number.isFinite(i.lo)) parts.push(`${v} ${i.loOpen ? '>' : '>='} ${i.lo}`);
  if (Number.isFinite(i.hi)) parts.push(`${v} ${i.hiOpen ? '<' : '<='} ${i.hi}`);
  return parts.length === 0 ? 'true' : parts.join(' && ');
}

function maskOf(input: InputDecl, members: readonly string[]): number {
  return members.reduce((m, k) => m | (1 << input.values.indexOf(k)), 0);
}

function condExpr(cond: Cond, v: string, input: InputDecl): string {
  switch (cond.kind) {
    case 'any':
      return 'true';
    case 'absent':
      return `${v} === undefined`;
    case 'oneOf': {
      const lits = cond.values.map((x) => JSON.stringify(x));
      return cond.negate
        ? `(${v} !== undefined && ${v} !== null && ${lits.map((l) => `${v} !== ${l}`).join(' && ')})`
        : `(${lits.map((l) => `${v} === ${l}`).join(' || ')})`;
    }
    case 'num': {
      const any = cond.intervals.map((i) => `(${intervalExpr(v, i)})`).join(' || ');
      return `(typeof ${v} === "number" && ${cond.negate ? '!' : ''}(${any}))`;
    }
    case 'set': {
      const m = maskOf(input, cond.members);
      const hit = cond.op === 'all' ? `(${v} & ${m}) === ${m}` : `(${v} & ${m}) !== 0`;
      return `(${v} !== -1 && ${cond.negate ? '!' : ''}(${hit}))`;
    }
  }
}

export function compileMatcher(model: TableModel): Matcher {
  const used = [...model.inputs.values()].filter((i) =>
    model.rows.some((r) => r.cells.some((c) => c.input === i.name)),
  );
  const vars = new Map(used.map((input, n) => [input.name, `v${n}`]));
  const lines: string[] = [];
  const masks: Record<string, number>[] = [];
  for (const input of used) {
    const v = vars.get(input.name)!;
    if (input.kind === 'set') {
      const table = Object.create(null) as Record<string, number>;
      for (const [bit, k] of input.values.entries()) table[k] = 1 << bit;
      lines.push(`let ${v} = -1; { const a = f[${JSON.stringify(input.name)}]; const t = masks[${masks.length}];`);
      lines.push(
        `  if (Array.isArray(a)) { ${v} = 0; for (let i = 0; i < a.length; i++) { const b = t[a[i]]; if (b !== undefined) ${v} |= b; } } }`,
      );
      masks.push(table);
    } else {
      lines.push(`const ${v} = f[${JSON.stringify(input.name)}];`);
    }
  }
  model.rows.forEach((row, index) => {
    const conds = row.cells.map((c) => condExpr(c.cond, vars.get(c.input)!, model.inputs.get(c.input)!));
    lines.push(`if (${conds.length === 0 ? 'true' : conds.join(' && ')}) return ${index};`);
  });
  lines.push('return -1;');
  const factory = new Function('masks', `"use strict"; return function match(f) {\n${lines.join('\n')}\n};`) as (
    m: unknown,
  ) => Matcher;
  return factory(masks);
}
