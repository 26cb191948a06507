/**
 * Lint: findings about a table that parses. Rows are conjunctions of per-input conditions, so
 * each row is a box over a finite set of representative values per input (every declared value,
 * every boundary of a numeric cell and a point between each two, every subset of the evidence
 * kinds cells mention, and "absent" for optional facts). Two rows overlap exactly when their boxes
 * intersect on every input; a row is unreachable exactly when earlier boxes cover it; a gap is a
 * point no box covers. Every finding comes with an example input.
 */
import { formatValue } from './decision.js';
import { matchCell } from './cells.js';
import type { Diagnostic, InputDecl, Pos, Row, TableModel } from './types.js';

type Box = bigint[];

interface Axis {
  input: InputDecl;
  reps: unknown[];
  all: bigint;
}

function numberReps(input: InputDecl, rows: Row[]): number[] {
  const bounds = new Set<number>([input.min, input.max]);
  for (const r of rows)
    for (const c of r.cells)
      if (c.input === input.name && c.cond.kind === 'num')
        for (const i of c.cond.intervals)
          for (const b of [i.lo, i.hi]) if (b >= input.min && b <= input.max) bounds.add(b);
  const sorted = [...bounds].sort((a, b) => a - b);
  const reps: number[] = [];
  sorted.forEach((b, k) => {
    if (k > 0) reps.push((sorted[k - 1]! + b) / 2);
    reps.push(b);
  });
  return reps;
}

function subsets(members: string[]): string[][] {
  const out: string[][] = [];
  for (let m = 0; m < 1 << members.length; m++) out.push(members.filter((_, i) => (m & (1 << i)) !== 0));
  return out;
}

function axes(model: TableModel, rows: Row[]): Axis[] {
  const used = [...model.inputs.values()].filter((i) => rows.some((r) => r.cells.some((c) => c.input === i.name)));
  return used.map((input) => {
    let reps: unknown[];
    if (input.kind === 'enum') reps = [...input.values];
    else if (input.kind === 'bool') reps = [true, false];
    else if (input.kind === 'number') reps = numberReps(input, rows);
    else {
      const mentioned = input.values.filter((k) =>
        rows.some((r) =>
          r.cells.some((c) => c.input === input.name && c.cond.kind === 'set' && c.cond.members.includes(k)),
        ),
      );
      reps = subsets(mentioned);
    }
    if (input.optional) reps.push(undefined);
    return { input, reps, all: (1n << BigInt(reps.length)) - 1n };
  });
}

function boxOf(row: Row, ax: Axis[]): Box {
  return ax.map((a) => {
    const cell = row.cells.find((c) => c.input === a.input.name);
    if (cell === undefined) return a.all;
    let bits = 0n;
    a.reps.forEach((v, k) => {
      if (matchCell(cell.cond, v)) bits |= 1n << BigInt(k);
    });
    return bits;
  });
}

function firstBit(bits: bigint): number {
  let k = 0;
  while ((bits & (1n << BigInt(k))) === 0n) k++;
  return k;
}

function example(box: Box, ax: Axis[]): string {
  const parts = ax.map((a, n) => {
    const v = a.reps[firstBit(box[n]!)];
    return `${a.input.name}: ${v === undefined ? 'absent' : Array.isArray(v) ? `[${v.join(', ')}]` : formatValue(v)}`;
  });
  return `{ ${parts.join(', ')} }`;
}

const MAX_PIECES = 20000;

/** `box` minus `cut`, as disjoint boxes; undefined when the split grows past MAX_PIECES. */
function subtractAll(boxes: Box[], cut: Box): Box[] | undefined {
  const out: Box[] = [];
  for (const box of boxes) {
    if (box.some((b, n) => (b & cut[n]!) === 0n)) {
      out.push(box);
      continue;
    }
    let rest = box.slice();
    for (let n = 0; n < box.length; n++) {
      const outside = rest[n]! & ~cut[n]!;
      if (outside !== 0n) out.push(rest.map((b, m) => (m === n ? outside : b)));
      rest = rest.map((b, m) => (m === n ? b & cut[n]! : b));
    }
    if (out.length > MAX_PIECES) return undefined;
  }
  return out;
}

export function lintModel(model: TableModel, testedIds: ReadonlySet<string> | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (pos: Pos, severity: Diagnostic['severity'], code: string, message: string, ruleId?: string) =>
    out.push({ file: model.file, line: pos.line, column: pos.column, ruleId, severity, code, message });

  for (const row of model.rows)
    for (const c of row.cells) {
      const input = model.inputs.get(c.input)!;
      if (c.cond.kind !== 'num') continue;
      const outside = c.cond.intervals
        .flatMap((i) => [i.lo, i.hi])
        .find((b) => Number.isFinite(b) && (b < input.min || b > input.max));
      if (outside !== undefined)
        add(
          c.pos,
          'error',
          'out_of_range',
          `${c.input} ${c.text}: ${outside} is outside the declared range (expected values within [${input.min}, ${input.max}])`,
          row.id,
        );
    }

  const ax = axes(model, model.rows);
  const boxes = model.rows.map((r) => boxOf(r, ax));
  const empty = (b: Box) => b.some((bits) => bits === 0n);

  if (model.hitPolicy === 'unique') {
    for (let j = 0; j < boxes.length; j++)
      for (let i = 0; i < j; i++) {
        const both = boxes[i]!.map((b, n) => b & boxes[j]![n]!);
        if (empty(both)) continue;
        const [a, b] = [model.rows[i]!, model.rows[j]!];
        add(
          b.pos,
          'error',
          'overlap',
          `rows ${a.id} (line ${a.pos.line}) and ${b.id} both match ${example(both, ax)} (expected at most one matching row under hit_policy unique: narrow a condition, or use hit_policy first)`,
          b.id,
        );
      }
  } else {
    for (let j = 0; j < boxes.length; j++) {
      if (empty(boxes[j]!)) continue;
      let rest: Box[] | undefined = [boxes[j]!];
      for (let i = 0; i < j && rest !== undefined && rest.length > 0; i++) rest = subtractAll(rest, boxes[i]!);
      const maskers = model.rows
        .slice(0, j)
        .filter((_, i) => !empty(boxes[i]!.map((b, n) => b & boxes[j]![n]!)))
        .map((r) => r.id);
      if (rest !== undefined && rest.length === 0) {
        const row = model.rows[j]!;
        add(
          row.pos,
          'error',
          'unreachable',
          `row ${row.id} can never fire: every case it matches is taken first by ${maskers.join(', ')} (expected each row to decide some case under hit_policy first)`,
          row.id,
        );
      }
    }
  }
  for (const [j, box] of boxes.entries()) {
    if (!empty(box)) continue;
    const row = model.rows[j]!;
    add(
      row.pos,
      'error',
      'unreachable',
      `row ${row.id} matches no possible input (its conditions contradict each other)`,
      row.id,
    );
  }

  if (model.defaultRow === undefined) {
    let rest: Box[] | undefined = [ax.map((a) => a.all)];
    for (const b of boxes) if (rest !== undefined) rest = subtractAll(rest, b);
    if (rest !== undefined && rest.length > 0)
      add(
        model.hitPolicyPos,
        'error',
        'gap',
        `no row matches ${example(rest[0]!, ax)} and the table has no default row (expected every case to land somewhere: add a default row that escalates to a person)`,
      );
  }

  if (testedIds !== undefined)
    for (const row of [...model.rows, ...(model.defaultRow ? [model.defaultRow] : [])])
      if (!testedIds.has(row.id))
        add(
          row.pos,
          'warning',
          'untested',
          `row ${row.id} has no test case (expected at least one test whose expect.rule is ${row.id})`,
          row.id,
        );
  return out;
}

/**
 * A case the row would decide if the shopper had given evidence `kind`, which no other row
 * decides without it, as readable text; undefined when every such case lands on another row
 * (or the table is too large to tell). Used to check that optional evidence never strands a
 * shopper who skips it on the default row.
 */
export function strandedWithout(model: TableModel, row: Row, kind: string, complaint?: string): string | undefined {
  const ax = axes(model, model.rows);
  const e = ax.findIndex((a) => a.input.name === 'evidence');
  const cell = row.cells.find((c) => c.input === 'evidence');
  if (e < 0 || cell === undefined) return undefined;
  const box = boxOf(row, ax);
  let bits = 0n;
  ax[e]!.reps.forEach((v, k) => {
    if (Array.isArray(v) && !v.includes(kind) && matchCell(cell.cond, [...v, kind])) bits |= 1n << BigInt(k);
  });
  box[e] = bits;
  const c = ax.findIndex((a) => a.input.name === 'complaint');
  if (complaint !== undefined && c >= 0)
    box[c] = box[c]! & ax[c]!.reps.reduce<bigint>((m, v, k) => (v === complaint ? m | (1n << BigInt(k)) : m), 0n);
  let rest: Box[] | undefined = [box];
  for (const other of model.rows) {
    if (other === row || rest === undefined) continue;
    rest = subtractAll(rest, boxOf(other, ax));
  }
  return rest !== undefined && rest.length > 0 ? example(rest[0]!, ax) : undefined;
}
