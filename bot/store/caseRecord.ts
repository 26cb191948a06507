/**
 * Case rules every CaseStore backend shares: how a new case is filled in, what an update may
 * change (never the id, the creation time or the version, which the store owns), the status
 * history kept on every status change, and parsing a stored case back at the edge. A case's
 * identity (id, shopper, conversation, creation time) never changes after it is created.
 */
import type { CaseEvent, CaseRecord, CaseStatus, NewCase } from '../../domain/cases.js';
import { StoredDataError } from './errors.js';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'open',
  'proposed',
  'accepted',
  'escalated',
  'assigned',
  'resolved',
  'cancelled',
];

/** Optimistic updates give up after this many lost races in a row. */
export const MAX_UPDATE_ATTEMPTS = 20;

export function buildCase(input: NewCase, id: string, now: Date): CaseRecord {
  const at = now.toISOString();
  const history: CaseEvent[] =
    input.history && input.history.length > 0 ? input.history : [{ at, status: input.status, by: 'bot' }];
  return { ...input, id, version: 1, history, transcript: input.transcript ?? [], createdAt: at, updatedAt: at };
}

/**
 * The next stored version of `current` after `change`, or undefined when `change` altered nothing
 * (then there is nothing to write). `current` must be the caller's own fresh copy, parsed from the
 * store: `change` may mutate it. `currentJson` is its JSON before the change. A status
 * change that `change` did not record itself gets a history event by `bot`, so the history never
 * misses a status.
 */
export function applyChange(
  current: CaseRecord,
  change: (c: CaseRecord) => CaseRecord,
  now: Date,
  currentJson: string,
): CaseRecord | undefined {
  const {
    id,
    shopperId,
    conversationId,
    createdAt,
    version,
    status,
    history: { length: events },
  } = current;
  const draft = change(current);
  if (JSON.stringify(draft) === currentJson) return undefined;
  const at = now.toISOString();
  const history =
    draft.status !== status && draft.history.length <= events
      ? [...draft.history, { at, status: draft.status, by: 'bot' }]
      : draft.history;
  return { ...draft, id, shopperId, conversationId, createdAt, version: version + 1, updatedAt: at, history };
}

/** The columns every backend keeps beside the JSON document, for queries and reports. */
export function caseColumns(c: CaseRecord) {
  return {
    id: c.id,
    version: c.version,
    shopperId: c.shopperId,
    conversationId: c.conversationId,
    status: c.status,
    complaint: c.complaint,
    orderId: c.orderId ?? null,
    ruleId: c.decision?.ruleId ?? null,
    tableHash: c.decision?.tableHash ?? null,
    csatScore: c.csat?.score ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks the fields every reader relies on; the rest was written by a CaseStore from typed values. */
export function parseCase(value: unknown, where: string): CaseRecord {
  const fail = (what: string): never => {
    throw new StoredDataError(where, what);
  };
  if (!isObject(value)) return fail('a case object');
  for (const field of [
    'id',
    'shopperId',
    'conversationId',
    'channelId',
    'locale',
    'complaint',
    'createdAt',
    'updatedAt',
  ] as const) {
    if (typeof value[field] !== 'string') fail(`'${field}' to be a string`);
  }
  if (!Number.isInteger(value.version)) fail("'version' to be an integer");
  if (!CASE_STATUSES.includes(value.status as CaseStatus)) fail(`'status' to be one of ${CASE_STATUSES.join(', ')}`);
  if (!isObject(value.facts)) fail("'facts' to be an object");
  for (const field of ['evidence', 'history', 'transcript'] as const) {
    if (!Array.isArray(value[field])) fail(`'${field}' to be an array`);
  }
  return value as unknown as CaseRecord;
}

export function parseCaseJson(json: string, where: string): CaseRecord {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new StoredDataError(where, 'JSON');
  }
  return parseCase(value, where);
}
