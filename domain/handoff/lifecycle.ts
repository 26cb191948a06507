/**
 * The handoff lifecycle as a state machine (docs/handoff.md, "Lifecycle"). The state is derived
 * from what is already stored (the case's status and history, its queue entry, the transcript),
 * so no store needs a new column and a restart cannot disagree with itself. Every move the
 * service makes is checked against `MOVES`: who may take the case from where to where.
 */
import type { CaseRecord } from '../cases.js';
import { HandoffError } from './errors.js';
import type { QueueEntry } from './types.js';

export const HANDOFF_STATES = [
  'queued',
  'assigned',
  'waiting_for_shopper',
  'shopper_left',
  'resolved',
  'cancelled',
] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

export type Actor = 'shopper' | 'agent' | 'system';
export type Move = 'claim' | 'release' | 'agent_writes' | 'shopper_writes' | 'shopper_leaves' | 'close' | 'take_back';

/** The note written into the case history when a shopper leaves a case an agent holds. */
export const SHOPPER_LEFT_NOTE = 'shopper left; the case stays with the agent';

/** From each state, the moves allowed, who may make them, and where they lead. */
export const MOVES: Readonly<Record<HandoffState, Partial<Record<Move, { by: Actor; to: HandoffState }>>>> = {
  queued: {
    claim: { by: 'agent', to: 'assigned' },
    shopper_writes: { by: 'shopper', to: 'queued' },
    shopper_leaves: { by: 'shopper', to: 'cancelled' },
  },
  assigned: {
    agent_writes: { by: 'agent', to: 'waiting_for_shopper' },
    shopper_writes: { by: 'shopper', to: 'assigned' },
    shopper_leaves: { by: 'shopper', to: 'shopper_left' },
    release: { by: 'agent', to: 'queued' },
    take_back: { by: 'system', to: 'queued' },
    close: { by: 'agent', to: 'resolved' },
  },
  waiting_for_shopper: {
    agent_writes: { by: 'agent', to: 'waiting_for_shopper' },
    shopper_writes: { by: 'shopper', to: 'assigned' },
    shopper_leaves: { by: 'shopper', to: 'shopper_left' },
    release: { by: 'agent', to: 'queued' },
    take_back: { by: 'system', to: 'queued' },
    close: { by: 'agent', to: 'resolved' },
  },
  shopper_left: {
    agent_writes: { by: 'agent', to: 'shopper_left' },
    release: { by: 'agent', to: 'queued' },
    take_back: { by: 'system', to: 'queued' },
    close: { by: 'agent', to: 'resolved' },
  },
  resolved: {},
  cancelled: {},
};

/** The lifecycle state of a handed-off case, from the case and its queue entry (if any). */
export function handoffState(c: CaseRecord, entry: QueueEntry | undefined): HandoffState {
  if (entry === undefined) return c.status === 'resolved' ? 'resolved' : 'cancelled';
  if (entry.state === 'waiting') return 'queued';
  const assignedAt = lastIndex(c.history, (h) => h.status === 'assigned' && h.by.startsWith('agent:'));
  const leftAt = lastIndex(c.history, (h) => h.by === 'shopper' && h.note === SHOPPER_LEFT_NOTE);
  if (leftAt > assignedAt) return 'shopper_left';
  const last = c.transcript.at(-1);
  return last?.from === 'agent' ? 'waiting_for_shopper' : 'assigned';
}

/** Where `move` by `actor` leads from `state`; a HandoffError (409/403) when it is not allowed. */
export function nextState(state: HandoffState, move: Move, actor: Actor, caseId: string): HandoffState {
  const allowed = MOVES[state][move];
  if (allowed === undefined)
    throw new HandoffError(
      'conflict',
      `case ${caseId} is ${state.replace(/_/g, ' ')}; cannot ${move.replace(/_/g, ' ')}`,
    );
  if (allowed.by !== actor)
    throw new HandoffError('forbidden', `only the ${allowed.by} may ${move.replace(/_/g, ' ')} case ${caseId}`);
  return allowed.to;
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
