/**
 * What agents see: a queue row (priority, team, SLA clocks) and the whole case file (transcript,
 * facts, evidence list, the rule's proposal and why). The conversation reference stays server-side,
 * and ID and bank-card numbers are masked until the agent reveals them (see `sensitive.ts`).
 */
import type { CaseRecord } from '../cases.js';
import type { QueueEntry } from './types.js';
import { maskCase } from './sensitive.js';
import { handoffState, type HandoffState } from './lifecycle.js';

export interface QueueItem {
  caseId: string;
  team: string;
  priority: number;
  reason: QueueEntry['reason'];
  state: QueueEntry['state'];
  /** Where the case stands in the handoff lifecycle (docs/handoff.md). */
  lifecycle: HandoffState;
  agent?: string;
  /** Among waiting cases of its team; absent once assigned. */
  position?: number;
  complaint: string;
  memberTier: string;
  enqueuedAt: string;
  firstResponseDue: string;
  resolutionDue: string;
  firstResponseAt?: string;
  breaches: QueueEntry['breaches'];
  reassignments: number;
}

export interface CaseFile {
  case: Omit<CaseRecord, 'conversationRef'>;
  queue?: QueueItem;
  /** How many ID and card numbers are masked in this view (0 when revealed or none). */
  masked: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function queueItem(entry: QueueEntry, c: CaseRecord | undefined, position?: number): QueueItem {
  return {
    caseId: entry.caseId,
    team: entry.team,
    priority: entry.priority,
    reason: entry.reason,
    state: entry.state,
    lifecycle: c === undefined ? (entry.state === 'waiting' ? 'queued' : 'assigned') : handoffState(c, entry),
    agent: entry.agent,
    position,
    complaint: c?.complaint ?? 'unknown',
    memberTier: c?.facts.member_tier ?? 'regular',
    enqueuedAt: iso(entry.enqueuedAt),
    firstResponseDue: iso(entry.firstResponseDue),
    resolutionDue: iso(entry.resolutionDue),
    firstResponseAt: entry.firstResponseAt === undefined ? undefined : iso(entry.firstResponseAt),
    breaches: entry.breaches,
    reassignments: entry.reassignments,
  };
}

/** `revealed`: the agent asked to see ID and card numbers (and that was recorded in the case). */
export function caseFile(c: CaseRecord, item?: QueueItem, revealed = false): CaseFile {
  const { conversationRef: _hidden, ...rest } = c;
  if (revealed) return { case: rest, queue: item, masked: 0 };
  const view = maskCase(rest);
  return { case: view.case, queue: item, masked: view.masked };
}
