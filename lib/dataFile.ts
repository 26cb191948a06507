/**
 * The one loader of kefu's YAML data files: parse with positions, validate with a JSON Schema
 * (ajv), and refuse a bad file with one DataFileError whose every line reads
 * `file:line:col: what is wrong (expected …)`, schema errors included (ajv's instancePath is
 * mapped back to the YAML node it is about). Readers with checks a schema cannot express (cross
 * references, regular expressions) report them through `problemAt` so they read the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { KefuError } from './errors.js';
import { projectPath } from './paths.js';
import { derivedFromFiles } from './startCache.js';
import {
  formatProblem,
  keyAt,
  nodeAt,
  nodePos,
  parseYaml,
  splitPointer,
  type DataProblem,
  type ParseOptions,
  type PathSeg,
  type YamlSource,
} from './yamlSource.js';

export { formatProblem, keyAt, nodeAt, nodePos, posAt, problemAt, problemAtNode } from './yamlSource.js';
export type { DataProblem, PathSeg, YamlSource } from './yamlSource.js';

/** A data file kefu cannot use; `problems` lists every mistake found, each with its position. */
export class DataFileError extends KefuError {
  readonly problems: readonly DataProblem[];

  constructor(problems: DataProblem | readonly DataProblem[]) {
    const list = Array.isArray(problems) ? (problems as readonly DataProblem[]) : [problems as DataProblem];
    super('data_file', list.map(formatProblem).join('\n') || 'data file is not valid');
    this.problems = list;
  }
}

/** Phrases one schema error; return undefined to keep the generic phrasing. */
export type DescribeSchemaError = (e: ErrorObject, path: PathSeg[]) => string | undefined;

/** How every data file's schema is compiled; bot/build.js precompiles schema files with the same options. */
export const AJV_OPTIONS = { allErrors: true, allowUnionTypes: true, verbose: true, strict: false };
const ajv = new Ajv(AJV_OPTIONS);
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Where the build puts the validator it compiled ahead of time for a JSON Schema file with this
 * exact text: named by a hash of the text and the ajv options, so an edited schema (or other
 * options) never meets a stale validator.
 */
export function precompiledValidatorFile(schemaText: string): string {
  const hash = createHash('sha256').update(JSON.stringify(AJV_OPTIONS)).update('\0').update(schemaText);
  return projectPath('dist', 'validators', `${hash.digest('hex').slice(0, 24)}.cjs`);
}

/**
 * The validator for the JSON Schema in `file`. The build compiles the schema files kefu ships
 * (`data/rules.schema.json`) into standalone validators (ajv generates several hundred KB of
 * code for the rule table's schema, most of a start-up's data loading), so a start from the
 * build loads that code instead of compiling the schema again. Without a matching one (running
 * from the sources, or the schema edited since the build) ajv compiles it here.
 */
export function schemaFileValidator<T = unknown>(file: string): ValidateFunction<T> {
  const text = readFileSync(file, 'utf8');
  const ready = precompiledValidatorFile(text);
  if (existsSync(ready)) return createRequire(import.meta.url)(ready).default as ValidateFunction<T>;
  return compileSchema<T>(JSON.parse(text) as object);
}

/** Compiles once per schema object. */
export function compileSchema<T = unknown>(schema: object): ValidateFunction<T> {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate as ValidateFunction<T>;
}

/** The file as people should read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** Parses YAML text with positions; throws DataFileError on a syntax error or a duplicate key. */
export function parseYamlSource(text: string, file: string, options?: ParseOptions): YamlSource {
  const { source, problems } = parseYaml(text, file, options);
  if (problems.length > 0) throw new DataFileError(problems);
  return source;
}

export function readYamlSource(file: string, options?: ParseOptions): YamlSource {
  return parseYamlSource(readFileSync(file, 'utf8'), displayPath(file), options);
}

/** The document's value if it matches `schema`; otherwise throws DataFileError naming each mistake's place. */
export function validated<T>(source: YamlSource, schema: object, describe?: DescribeSchemaError): T {
  const value: unknown = source.doc.toJS();
  const problems = schemaProblems(source, value, compileSchema(schema), describe);
  if (problems.length > 0) throw new DataFileError(problems);
  return value as T;
}

/** Reads, parses and validates a data file (from the start cache, running from the build, when its bytes were seen before). */
export function readYamlFile<T>(file: string, schema: object, describe?: DescribeSchemaError): T {
  return derivedFromFiles(`yaml-${schemaKey(schema)}`, [file], () =>
    validated<T>(readYamlSource(file), schema, describe),
  );
}

const schemaKeys = new WeakMap<object, string>();
/** Names a schema in cache entries: the same file read against another schema is another entry. */
function schemaKey(schema: object): string {
  let key = schemaKeys.get(schema);
  if (key === undefined) {
    key = createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16);
    schemaKeys.set(schema, key);
  }
  return key;
}

/** Parses and validates YAML text that came from `file`. */
export function parseYamlData<T>(text: string, file: string, schema: object, describe?: DescribeSchemaError): T {
  return validated<T>(parseYamlSource(text, file), schema, describe);
}

/** ajv's errors as problems at the YAML node each is about; `path` says where in the value. */
export function schemaProblems(
  source: YamlSource,
  value: unknown,
  validate: ValidateFunction,
  describe?: DescribeSchemaError,
): (DataProblem & { path: PathSeg[] })[] {
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // A failed oneOf/anyOf also reports why each branch failed. With a description, the summary
  // says what was expected; without one, the errors inside the value (the branch that matched
  // its shape) say it better than "one of the documented forms".
  const kept: ErrorObject[] = [];
  const dropped = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const inBranch = errors.filter((x) => x !== e && x.schemaPath.startsWith(`${e.schemaPath}/`));
    const inside = inBranch.filter((x) => x.instancePath.length > e.instancePath.length);
    const described = (e.parentSchema as { description?: string } | undefined)?.description !== undefined;
    if (!described && inside.length > 0) {
      dropped.add(e);
      for (const x of inBranch) if (!inside.includes(x)) dropped.add(x);
    } else {
      for (const x of inBranch) dropped.add(x);
    }
  }
  for (const e of errors) if (!dropped.has(e)) kept.push(e);
  const seen = new Set<string>();
  const out: (DataProblem & { path: PathSeg[] })[] = [];
  for (const e of kept) {
    const path = splitPointer(e.instancePath);
    const node =
      e.keyword === 'additionalProperties'
        ? keyAt(source, path, String(e.params.additionalProperty))
        : nodeAt(source, path);
    const message = describe?.(e, path) ?? describeSchemaError(e, path);
    const p = { file: source.file, ...nodePos(source, node), code: 'schema', message, path };
    const key = `${p.line}:${p.column}:${p.message}`;
    if (!seen.has(key)) out.push(p);
    seen.add(key);
  }
  return out;
}

/** How a value reads in a message: the scalar itself, or what kind of thing it is. */
export function found(data: unknown): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a map';
  if (typeof data === 'bigint') return String(data);
  return JSON.stringify(data);
}

/** What a schema error means, phrased as "… is X (expected Y)"; `where` names the value. */
export function describeSchemaError(
  e: ErrorObject,
  path: PathSeg[],
  where = path.length === 0 ? 'the file' : path.join('.'),
): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return path.length === 0
        ? `'${String(p.missingProperty)}' is missing (expected it at the top level)`
        : `${where} '${String(p.missingProperty)}' is missing (expected it to be present)`;
    case 'additionalProperties': {
      const props = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const expected = props.length > 0 ? ` (expected one of ${props.join(', ')})` : '';
      return `${where}: '${String(p.additionalProperty)}' is not a known key${expected}`;
    }
    case 'enum':
      return `${where} is ${found(e.data)} (expected one of ${(p.allowedValues as unknown[]).join(', ')})`;
    case 'const':
      return `${where} is ${found(e.data)} (expected ${JSON.stringify(p.allowedValue)})`;
    case 'type':
      return `${where} is ${found(e.data)} (expected ${String(p.type)})`;
    case 'pattern':
      return `${where} is ${found(e.data)} (expected text matching ${String(p.pattern)})`;
    case 'oneOf':
    case 'anyOf': {
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      return `${where} is ${found(e.data)} (expected ${description ?? 'one of the documented forms'})`;
    }
    default:
      return `${where} ${e.message ?? 'is not valid'} (found ${found(e.data)})`;
  }
}
