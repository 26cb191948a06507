/**
 * Structural validation with ajv against the published JSON Schema (`data/rules.schema.json`,
 * the same file editors use for completion), with each ajv error mapped back to the YAML node
 * it is about and rephrased as "found … expected …".
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  compileSchema as compileOnce,
  describeSchemaError,
  found,
  schemaFileValidator,
  schemaProblems,
} from '../lib/dataFile.js';
import { projectPath } from '../lib/paths.js';
import type { Diagnostic } from './types.js';
import { toDiagnostic, type PathSeg, type YamlSource } from './yamlSource.js';

export const TABLE_SCHEMA_FILE = projectPath('data', 'rules.schema.json');

let tableValidator: ValidateFunction | undefined;

export function compileSchema(schema: object): ValidateFunction {
  return compileOnce(schema);
}

function tableSchemaValidator(): ValidateFunction {
  tableValidator ??= schemaFileValidator(TABLE_SCHEMA_FILE);
  return tableValidator;
}

export function checkTableShape(source: YamlSource, value: unknown): Diagnostic[] {
  return checkShape(source, value, tableSchemaValidator());
}

/** The one loader's schema check, phrased for rule tables and tagged with the row's rule id. */
export function checkShape(source: YamlSource, value: unknown, validate: ValidateFunction): Diagnostic[] {
  return schemaProblems(source, value, validate, describe).map((p) => toDiagnostic(p, ruleIdOf(value, p.path)));
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

/** The table's own phrasing where it differs from the loader's; the rest is the loader's. */
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
    case 'pattern':
      return `${where} is ${found(e.data)} (expected text matching ${String(p.pattern)}, e.g. FRESH-03)`;
    case 'enum':
    case 'const':
    case 'type':
    case 'oneOf':
    case 'anyOf':
      return describeSchemaError(e, path, where);
    default:
      return `${where} is ${found(e.data)} (expected it to ${e.message ?? 'match the schema'})`;
  }
}
