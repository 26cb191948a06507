/** The remedy rule table: load, check, evaluate and hot-reload `data/rules.yaml`. Re-exports only. */
export { RuleTableError, formatDiagnostic } from './types.js';
export type { Diagnostic, TableModel, Row, Cond, InputDecl } from './types.js';
export { parseTable, loadTable } from './table.js';
export type { CompiledTable, Explanation, RowTrace, Mentions, ParseOptions } from './table.js';
export { watchTable, loadVerifiedTable } from './watch.js';
export type { TableWatch, WatchLog } from './watch.js';
export { runTableTests, parseTests, loadTestsFor, testsFileFor, testFailures } from './tableTests.js';
export type { TableTest, TestResult } from './tableTests.js';
export { parseFacts, FACT_DEFAULTS } from './factsInput.js';
export { compensationAmount } from './decision.js';
export { FACT_SPECS, FACT_NAMES } from './vocabulary.js';
export type { Decision, Facts, Outcome, FactName, EvidenceKind } from './facts.js';
