/**
 * What agents see: a queue row (priority, team, SLA clocks) and the whole case file (transcript,
 * facts, evidence list, the rule's proposal and why). The conversation reference stays server-side.
 */
import type { CaseRecord } from '../store/types.js';
import type { QueueEntry } from './types.js';

export interface QueueItem {
  caseId: string;
  team: string;
  priority: number;
  reason: QueueEntry['reason'];
  state: QueueEntry['state'];
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
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function queueItem(entry: QueueEntry, c: CaseRecord | undefined, position?: number): QueueItem {
  return {
    caseId: entry.caseId,
    team: entry.team,
    priority: entry.priority,
    reason: entry.reason,
    state: entry.state,
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

export function caseFile(c: CaseRecord, item?: QueueItem): CaseFile {
  const { conversationRef: _hidden, ...rest } = c;
  return { case: rest, queue: item };
}
