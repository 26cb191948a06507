/**
 * Checks a Teams app manifest and its language files against the published Teams JSON schemas,
 * as shipped by Microsoft's `@microsoft/app-manifest` package (the schemas behind
 * https://developer.microsoft.com/json-schemas/teams/vX.Y/), so a package that Teams would
 * refuse is caught before it is uploaded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

// Both are CommonJS modules whose value is on `exports.default`; under nodenext that is `.default`.
const Ajv04 = ajvDraft04.default.default;
const addFormats = ajvFormats.default.default;

const require = createRequire(import.meta.url);
const SCHEMA_ROOT = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
);

export type SchemaKind = 'manifest' | 'localization';

const FILES: Record<SchemaKind, string> = {
  manifest: 'MicrosoftTeams.schema.json',
  localization: 'MicrosoftTeams.Localization.schema.json',
};

const compiled = new Map<string, ValidateFunction>();

/** The published schema of one manifest version, e.g. `1.19`. */
export function schemaPath(kind: SchemaKind, manifestVersion: string): string {
  return path.join(SCHEMA_ROOT, `v${manifestVersion}`, FILES[kind]);
}

function validator(kind: SchemaKind, manifestVersion: string): ValidateFunction {
  const file = schemaPath(kind, manifestVersion);
  const known = compiled.get(file);
  if (known !== undefined) return known;
  let schema: object;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8')) as object;
  } catch {
    throw new Error(`no published Teams ${kind} schema for manifestVersion '${manifestVersion}' (looked for ${file})`);
  }
  // The Teams schemas are draft-04 and their patterns are not valid Unicode-mode regexes.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const v = ajv.compile(schema);
  compiled.set(file, v);
  return v;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(top level)' : e.instancePath;
  const extra =
    e.keyword === 'additionalProperties'
      ? ` ('${String((e.params as { additionalProperty: string }).additionalProperty)}')`
      : e.keyword === 'enum'
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
        : '';
  return `${at} ${e.message ?? e.keyword}${extra}`;
}

/** Problems with `document` against the schema of `manifestVersion`; empty when valid. */
export function schemaProblems(kind: SchemaKind, manifestVersion: string, document: unknown): string[] {
  const v = validator(kind, manifestVersion);
  return v(document) ? [] : (v.errors ?? []).map(describe);
}
