/**
 * The rule table's view of the one YAML loader (lib/yamlSource.ts): the same parsing and
 * positions, with syntax problems turned into the table's diagnostics (which add severities and
 * rule ids, and are collected rather than thrown so `kefu rules check` can list them all).
 */
import { parseYaml as parseWithPositions, type DataProblem, type YamlSource } from '../lib/yamlSource.js';
import type { Diagnostic } from './types.js';

export { keyAt, nodeAt, nodePos, offsetPos, posAt, type PathSeg, type YamlSource } from '../lib/yamlSource.js';

export function toDiagnostic(p: DataProblem, ruleId?: string): Diagnostic {
  return {
    file: p.file,
    line: p.line,
    column: p.column,
    ...(ruleId === undefined ? {} : { ruleId }),
    severity: 'error',
    code: p.code,
    message: p.message,
  };
}

export function parseYaml(text: string, file: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const { source, problems } = parseWithPositions(text, file);
  return { source, diagnostics: problems.map((p) => toDiagnostic(p)) };
}
