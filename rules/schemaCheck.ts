/**
 * Structural validation with ajv against the published JSON Schema (`data/rules.schema.json`,
 * the same file editors use for completion), with each ajv error mapped back to the YAML node
 * it is about and rephrased as "found … expected …".
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { projectPath } from '../lib/paths.js';
import type { Diagnostic } from './types.js';
import { keyAt, nodeAt, nodePos, type PathSeg, type YamlSource } from './yamlSource.js';

export const TABLE_SCHEMA_FILE = projectPath('data', 'rules.schema.json');

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
let tableValidator: ValidateFunction | undefined;

export function compileSchema(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

function tableSchemaValidator(): ValidateFunction {
  tableValidator ??= ajv.compile(JSON.parse(readFileSync(TABLE_SCHEMA_FILE, 'utf8')) as object);
  return tableValidator;
}

export function checkTableShape(source: YamlSource, value: unknown): Diagnostic[] {
  return checkShape(source, value, tableSchemaValidator());
}

export function checkShape(source: YamlSource, value: unknown, validate: ValidateFunction): Diagnostic[] {
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // A failed oneOf/anyOf also reports why each branch failed; keep only the summary.
  const branches = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.schemaPath);
  const kept = errors.filter((e) => !branches.some((b) => e.schemaPath !== b && e.schemaPath.startsWith(`${b}/`)));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    const path = splitPointer(e.instancePath);
    const node =
      e.keyword === 'additionalProperties'
        ? keyAt(source, path, String(e.params.additionalProperty))
        : nodeAt(source, path);
    const d: Diagnostic = {
      file: source.file,
      ...nodePos(source, node),
      ruleId: ruleIdOf(value, path),
      severity: 'error',
      code: 'schema',
      message: describe(e, path),
    };
    const key = `${d.line}:${d.column}:${d.message}`;
    if (!seen.has(key)) out.push(d);
    seen.add(key);
  }
  return out;
}

function splitPointer(pointer: string): PathSeg[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function ruleIdOf(value: unknown, path: PathSeg[]): string | undefined {
  if (path[0] !== 'rules' && path[0] !== 'default') return undefined;
  const row = path[0] === 'rules' ? pick(pick(value, 'rules'), path[1]) : pick(value, 'default');
  const id = pick(row, 'id');
  return typeof id === 'string' ? id : undefined;
}

function pick(value: unknown, key: PathSeg | undefined): unknown {
  if (key === undefined || value === null || typeof value !== 'object') return undefined;
  return (value as Record<string, unknown>)[String(key)];
}

function found(data: unknown): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a map';
  return JSON.stringify(data);
}

function describe(e: ErrorObject, path: PathSeg[]): string {
  const where = path.length === 0 ? 'the table' : `'${path.join('.')}'`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${where} is missing '${String(p.missingProperty)}' (expected it to be present)`;
    case 'additionalProperties': {
      const props = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `'${String(p.additionalProperty)}' is not a known field of ${where} (expected one of ${props.join(', ')})`;
    }
    case 'enum':
      return `${where} is ${found(e.data)} (expected one of ${(p.allowedValues as unknown[]).join(', ')})`;
    case 'const':
      return `${where} is ${found(e.data)} (expected ${JSON.stringify(p.allowedValue)})`;
    case 'type':
      return `${where} is ${found(e.data)} (expected ${String(p.type)})`;
    case 'pattern':
      return `${where} is ${found(e.data)} (expected text matching ${String(p.pattern)}, e.g. FRESH-03)`;
    case 'oneOf':
    case 'anyOf':
      return `${where} is ${found(e.data)} (expected ${String((e.parentSchema as { description?: string } | undefined)?.description ?? 'one of the documented forms')})`;
    default:
      return `${where} is ${found(e.data)} (expected it to ${e.message ?? 'match the schema'})`;
  }
}
