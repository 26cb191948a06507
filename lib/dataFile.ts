/**
 * Reads a YAML data file and validates it with a JSON Schema (ajv), turning failures into one
 * error that names the file, the place in it and what was expected.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type JSONSchemaType } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';

export class DataFileError extends Error {}

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'enum')
    return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  if (e.keyword === 'additionalProperties')
    return `${where}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  return `${where}: ${e.message ?? 'is not valid'}`;
}

export function readYamlFile<T>(file: string, schema: JSONSchemaType<T> | object): T {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const rel = path.relative(process.cwd(), file) || file;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new DataFileError(`${rel}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    throw new DataFileError(`${rel}: ${(validate.errors ?? []).slice(0, 5).map(describe).join('; ')}`);
  }
  return value as T;
}
