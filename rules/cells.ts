/**
 * Condition cells: the small language support leads write in `when:` (a value, a list, `not`,
 * comparisons, ranges, `includes`, `absent`, `-`). Parsing yields a typed `Cond` or a message
 * saying what was found and what was expected; there is no free-form code.
 */
import type { Cond, InputDecl, Interval } from './types.js';

export type CellResult =
  | { ok: true; cond: Cond; text: string }
  | { ok: false; code: 'bad_cell' | 'unknown_value'; message: string };

const NUM = String.raw`-?\d+(?:\.\d+)?`;
const COMPARISON = new RegExp(String.raw`^(<=|>=|<|>|=)\s*(${NUM})$`);
const RANGE = new RegExp(String.raw`^([\[(])\s*(${NUM})?\s*\.\.\s*(${NUM})?\s*([\])])$`);
const BARE_RANGE = new RegExp(String.raw`^(${NUM})?\s*\.\.\s*(${NUM})?$`);

const SYNTAX: Record<InputDecl['kind'], string> = {
  enum: "a declared value, a list [a, b] (any of), 'not a' or 'not [a, b]'",
  bool: 'true or false',
  number: "a number, a comparison such as '< 48' or '>= 0.5', or a range such as '[0..48]' or '(7..30]'",
  set: "'includes X', 'includes [X, Y]' (all of), 'includes any [X, Y]', 'excludes X' or 'excludes [X, Y]' (none of)",
};

export function parseCell(raw: unknown, input: InputDecl): CellResult {
  if (raw === null || raw === undefined) return { ok: true, cond: { kind: 'any' }, text: '-' };
  if (typeof raw === 'string') {
    const s = raw.trim().replace(/\s+/g, ' ');
    if (s === '-' || s === 'any') return { ok: true, cond: { kind: 'any' }, text: '-' };
    if (s === 'absent') return { ok: true, cond: { kind: 'absent' }, text: 'absent' };
    if (s.startsWith('not ')) {
      const inner = parseCell(s.slice(4), input);
      if (!inner.ok) return inner;
      const c = inner.cond;
      if (c.kind === 'any' || c.kind === 'absent') return fail(raw, input, "'not' before '-', 'any' or 'absent'");
      if (c.negate) return fail(raw, input, "'not not'");
      return { ok: true, cond: { ...c, negate: true }, text: `not ${inner.text}` };
    }
  }
  switch (input.kind) {
    case 'enum':
      return parseEnum(raw, input);
    case 'bool':
      return parseBool(raw, input);
    case 'number':
      return parseNumber(raw, input);
    case 'set':
      return parseSet(raw, input);
  }
}

function fail(raw: unknown, input: InputDecl, what?: string): CellResult {
  const shown = what ?? (typeof raw === 'string' ? `'${raw}'` : JSON.stringify(raw));
  return {
    ok: false,
    code: 'bad_cell',
    message: `${shown} is not a valid cell for ${input.name} (expected ${SYNTAX[input.kind]})`,
  };
}

/** `[a, b]` written inside a string (after `not` or `includes`), or a single word. */
function listOf(s: string): string[] | undefined {
  const t = s.trim();
  if (t.startsWith('[') && t.endsWith(']')) {
    const items = t
      .slice(1, -1)
      .split(',')
      .map((x) => x.trim());
    return items.every((x) => x !== '') ? items : undefined;
  }
  return /^[A-Za-z0-9_.-]+$/.test(t) ? [t] : undefined;
}

function checkValues(items: readonly string[], input: InputDecl): string | undefined {
  const bad = items.find((v) => !input.values.includes(v));
  if (bad === undefined) return undefined;
  return `'${bad}' is not a declared value of ${input.name} (expected one of ${input.values.join(', ')})`;
}

function parseEnum(raw: unknown, input: InputDecl): CellResult {
  let items: string[] | undefined;
  if (typeof raw === 'string') items = listOf(raw);
  else if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) items = raw as string[];
  if (items === undefined || items.length === 0) return fail(raw, input);
  const bad = checkValues(items, input);
  if (bad !== undefined) return { ok: false, code: 'unknown_value', message: bad };
  const text = items.length === 1 ? items[0]! : `[${items.join(', ')}]`;
  return { ok: true, cond: { kind: 'oneOf', values: items, negate: false }, text };
}

function parseBool(raw: unknown, input: InputDecl): CellResult {
  const v = raw === 'true' ? true : raw === 'false' ? false : raw;
  if (typeof v !== 'boolean') return fail(raw, input);
  return { ok: true, cond: { kind: 'oneOf', values: [v], negate: false }, text: String(v) };
}

function point(n: number): Interval {
  return { lo: n, loOpen: false, hi: n, hiOpen: false };
}

export function intervalText(i: Interval): string {
  const lo = Number.isFinite(i.lo) ? String(i.lo) : '';
  const hi = Number.isFinite(i.hi) ? String(i.hi) : '';
  if (lo !== '' && i.lo === i.hi) return lo;
  if (lo === '') return `${i.hiOpen ? '<' : '<='} ${hi}`;
  if (hi === '') return `${i.loOpen ? '>' : '>='} ${lo}`;
  return `${i.loOpen ? '(' : '['}${lo}..${hi}${i.hiOpen ? ')' : ']'}`;
}

function parseNumber(raw: unknown, input: InputDecl): CellResult {
  let intervals: Interval[] | undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) intervals = [point(raw)];
  else if (typeof raw === 'string') intervals = numberText(raw.trim());
  else if (Array.isArray(raw) && raw.length === 1 && typeof raw[0] === 'string' && BARE_RANGE.test(raw[0].trim())) {
    // Unquoted `[0..48]` reaches us as a YAML list holding the string "0..48".
    intervals = numberText(`[${raw[0].trim()}]`);
  } else if (Array.isArray(raw) && raw.length > 0 && raw.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    intervals = (raw as number[]).map(point);
  }
  if (intervals === undefined) return fail(raw, input);
  const empty = intervals.find((i) => i.lo > i.hi || (i.lo === i.hi && (i.loOpen || i.hiOpen)));
  if (empty !== undefined)
    return {
      ok: false,
      code: 'bad_cell',
      message: `'${String(raw)}' is an empty range for ${input.name} (expected the lower bound below the upper bound)`,
    };
  return { ok: true, cond: { kind: 'num', intervals, negate: false }, text: intervals.map(intervalText).join(', ') };
}

function numberText(s: string): Interval[] | undefined {
  if (new RegExp(`^${NUM}$`).test(s)) return [point(Number(s))];
  const c = COMPARISON.exec(s);
  if (c !== null) {
    const n = Number(c[2]);
    switch (c[1]) {
      case '<':
        return [{ lo: -Infinity, loOpen: true, hi: n, hiOpen: true }];
      case '<=':
        return [{ lo: -Infinity, loOpen: true, hi: n, hiOpen: false }];
      case '>':
        return [{ lo: n, loOpen: true, hi: Infinity, hiOpen: true }];
      case '>=':
        return [{ lo: n, loOpen: false, hi: Infinity, hiOpen: true }];
      default:
        return [point(n)];
    }
  }
  const r = RANGE.exec(s);
  if (r === null) return undefined;
  const lo = r[2] === undefined ? -Infinity : Number(r[2]);
  const hi = r[3] === undefined ? Infinity : Number(r[3]);
  return [{ lo, loOpen: r[1] === '(' || lo === -Infinity, hi, hiOpen: r[4] === ')' || hi === Infinity }];
}

function parseSet(raw: unknown, input: InputDecl): CellResult {
  if (typeof raw !== 'string') return fail(raw, input);
  const m = /^(includes|excludes)(?: (all|any)(?: of)?)? (.+)$/.exec(raw.trim().replace(/\s+/g, ' '));
  if (m === null) return fail(raw, input);
  const members = listOf(m[3]!);
  if (members === undefined || members.length === 0) return fail(raw, input);
  const bad = checkValues(members, input);
  if (bad !== undefined) return { ok: false, code: 'unknown_value', message: bad };
  const list = members.length === 1 ? members[0]! : `[${members.join(', ')}]`;
  if (m[1] === 'includes') {
    const op = m[2] === 'any' ? 'some' : 'all';
    return {
      ok: true,
      cond: { kind: 'set', op, members, negate: false },
      text: `includes ${op === 'some' && members.length > 1 ? 'any ' : ''}${list}`,
    };
  }
  if (m[2] !== undefined) return fail(raw, input);
  // excludes X / excludes [X, Y]: none of them.
  return { ok: true, cond: { kind: 'set', op: 'some', members, negate: true }, text: `excludes ${list}` };
}

function inIntervals(intervals: readonly Interval[], n: number): boolean {
  return intervals.some((i) => (i.loOpen ? n > i.lo : n >= i.lo) && (i.hiOpen ? n < i.hi : n <= i.hi));
}

/**
 * The reference semantics of a cell, used by lint, `explain` and tests. The compiled evaluator
 * generates code with the same meaning (a test checks they agree).
 */
export function matchCell(cond: Cond, value: unknown): boolean {
  if (cond.kind === 'any') return true;
  if (cond.kind === 'absent') return value === undefined;
  if (value === undefined || value === null) return false;
  switch (cond.kind) {
    case 'oneOf':
      return cond.values.includes(value as string | boolean) !== cond.negate;
    case 'num':
      return typeof value === 'number' && inIntervals(cond.intervals, value) !== cond.negate;
    case 'set': {
      if (!Array.isArray(value)) return false;
      const has = (k: string) => (value as unknown[]).includes(k);
      const hit = cond.op === 'all' ? cond.members.every(has) : cond.members.some(has);
      return hit !== cond.negate;
    }
  }
}

/** A cell as a readable condition, e.g. "merchant_response is one of [refused, no_reply]". */
export function describeCell(input: string, cond: Cond, text: string): string {
  switch (cond.kind) {
    case 'any':
      return `${input} is anything`;
    case 'absent':
      return `${input} is not given`;
    case 'oneOf':
      return cond.values.length === 1
        ? `${input} is ${text}`
        : `${input} is ${cond.negate ? 'not ' : ''}one of ${text.replace(/^not /, '')}`;
    case 'num':
      return `${input} ${/^(not )?[<>=]/.test(text) ? text : /^not /.test(text) ? `not in ${text.slice(4)}` : cond.intervals.length === 1 && cond.intervals[0]!.lo === cond.intervals[0]!.hi ? `= ${text}` : `in ${text}`}`;
    case 'set':
      return `${input} ${text}`;
  }
}
