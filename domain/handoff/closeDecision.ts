/**
 * An agent's closing decision as it arrives from the API, parsed once into a typed value, and
 * turned into the case's `Resolution` (accepting the bot's proposal copies its remedy). Any kind
 * may carry `complaint`: the agent's correction of a complaint the bot misread, which the
 * learning loop (`kefu intents review`) offers as a training example.
 */
import { COMPLAINTS, type Complaint } from '../../intents/labels.js';
import { REMEDIES, type Decision, type Remedy } from '../../rules/facts.js';
import type { Resolution } from '../cases.js';
import { HandoffError } from './errors.js';

export type CloseDecision = (
  | { kind: 'accept_proposal'; note: string }
  | { kind: 'change'; remedy: Remedy; refund_pct?: number; compensation_amount?: number; note: string }
  | { kind: 'reject'; note: string }
) & { complaint?: Complaint };

const KINDS = ['accept_proposal', 'change', 'reject'] as const;

export function parseCloseDecision(body: unknown): CloseDecision {
  const bad = (what: string): never => {
    throw new HandoffError('bad_request', `close: ${what}`);
  };
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    bad('expected a JSON object { kind, note, ... }');
  const b = body as Record<string, unknown>;
  if (typeof b.kind !== 'string' || !(KINDS as readonly string[]).includes(b.kind))
    bad(`kind must be one of ${KINDS.join(', ')}`);
  const note = typeof b.note === 'string' ? b.note.trim() : bad('note must be a string');
  if (note.length === 0 || note.length > 2000) bad('note must be 1 to 2000 characters');
  let complaint: { complaint?: Complaint } = {};
  if (b.complaint !== undefined && b.complaint !== null && b.complaint !== '') {
    if (typeof b.complaint !== 'string' || !(COMPLAINTS as readonly string[]).includes(b.complaint))
      bad(`complaint must be one of ${COMPLAINTS.join(', ')}`);
    complaint = { complaint: b.complaint as Complaint };
  }
  if (b.kind !== 'change') return { kind: b.kind as 'accept_proposal' | 'reject', note, ...complaint };
  if (typeof b.remedy !== 'string' || !(REMEDIES as readonly string[]).includes(b.remedy))
    bad(`remedy must be one of ${REMEDIES.join(', ')}`);
  const optionalNumber = (name: string, max: number): number | undefined => {
    const v = b[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
      bad(`${name} must be a number from 0 to ${max}`);
    return v as number;
  };
  const refund_pct = optionalNumber('refund_pct', 100);
  const compensation_amount = optionalNumber('compensation_amount', 1_000_000);
  if (b.remedy === 'partial_refund' && refund_pct === undefined) bad('refund_pct is required with partial_refund');
  return { kind: 'change', remedy: b.remedy as Remedy, refund_pct, compensation_amount, note, ...complaint };
}

export function toResolution(d: CloseDecision, proposal: Decision | undefined, agent: string, at: string): Resolution {
  const resolution = baseResolution(d, proposal, agent, at);
  return d.complaint === undefined ? resolution : { ...resolution, complaint: d.complaint };
}

function baseResolution(d: CloseDecision, proposal: Decision | undefined, agent: string, at: string): Resolution {
  switch (d.kind) {
    case 'accept_proposal':
      if (proposal === undefined)
        throw new HandoffError('conflict', 'this case has no proposal to accept; change or reject it');
      return {
        kind: 'accept_proposal',
        remedy: proposal.remedy,
        refund_pct: proposal.refund_pct,
        compensation_amount: proposal.compensation_amount,
        note: d.note,
        agent,
        at,
      };
    case 'change':
      return {
        kind: 'change',
        remedy: d.remedy,
        refund_pct: d.refund_pct,
        compensation_amount: d.compensation_amount,
        note: d.note,
        agent,
        at,
      };
    case 'reject':
      return { kind: 'reject', remedy: 'reject', note: d.note, agent, at };
  }
}
