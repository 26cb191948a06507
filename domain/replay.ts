/**
 * Stored cases as replayable facts: each case's facts parsed at the edge (stored JSON is
 * untrusted), with the defaults a new conversation starts with. Cases whose facts never became
 * complete (the shopper left before saying what or how much) cannot be replayed and are counted.
 */
import { parseFacts } from '../rules/factsInput.js';
import type { ReplayCase } from '../rules/diff.js';
import type { CaseRecord, CaseStore } from './cases.js';

export interface ReplaySet {
  cases: ReplayCase[];
  skipped: number;
}

export function replaySet(records: readonly CaseRecord[]): ReplaySet {
  const cases: ReplayCase[] = [];
  let skipped = 0;
  for (const c of records) {
    const parsed = parseFacts(c.facts);
    if (parsed.ok) cases.push({ id: c.id, facts: parsed.facts });
    else skipped += 1;
  }
  return { cases, skipped };
}

export async function loadReplaySet(store: CaseStore): Promise<ReplaySet> {
  return replaySet(await store.list());
}
