/**
 * Where a case waits and how soon it is served: its team from the complaint, its priority from
 * urgency alone (1 is the most urgent, as in the rule table and the console), and its SLA due
 * times from the member tier. The queue serves priority first, then the earliest deadline, so a
 * tier breaks ties between equally urgent cases but never outranks urgency. Pure functions.
 */
import type { CaseRecord } from '../cases.js';
import { MAX_PRIORITY, type HandoffSettings, type SlaTarget } from './settings.js';
import type { HandoffReason, NewQueueEntry } from './types.js';

export function teamFor(c: Pick<CaseRecord, 'complaint'>, settings: HandoffSettings): string {
  for (const [team, complaints] of Object.entries(settings.teams)) {
    if ((complaints as readonly string[]).includes(c.complaint)) return team;
  }
  return settings.defaultTeam;
}

/** The most urgent of the rule's priority and the reason's; illness or injury is always 1. */
export function priorityFor(
  c: Pick<CaseRecord, 'facts' | 'decision'>,
  reason: HandoffReason,
  settings: HandoffSettings,
): number {
  if (c.facts.health_harm === true) return 1;
  const ruled = c.decision?.escalate ? c.decision.priority : undefined;
  const byReason = settings.reasonPriority[reason];
  const p = typeof ruled === 'number' && Number.isFinite(ruled) ? Math.min(ruled, byReason) : byReason;
  return Math.max(1, Math.min(MAX_PRIORITY, Math.round(p)));
}

/** The tier's targets, tightened by the priority's when the settings declare one. */
export function slaFor(priority: number, tier: keyof HandoffSettings['sla'], settings: HandoffSettings): SlaTarget {
  const base = settings.sla[tier] ?? settings.sla.regular;
  const urgent = settings.prioritySla[priority];
  if (urgent === undefined) return base;
  return {
    firstResponseSeconds: Math.min(base.firstResponseSeconds, urgent.firstResponseSeconds),
    resolutionSeconds: Math.min(base.resolutionSeconds, urgent.resolutionSeconds),
  };
}

export function queueEntryFor(
  c: CaseRecord,
  reason: HandoffReason,
  now: number,
  settings: HandoffSettings,
): NewQueueEntry {
  const priority = priorityFor(c, reason, settings);
  const sla = slaFor(priority, c.facts.member_tier ?? 'regular', settings);
  return {
    caseId: c.id,
    team: teamFor(c, settings),
    priority,
    reason,
    enqueuedAt: now,
    firstResponseDue: now + sla.firstResponseSeconds * 1000,
    resolutionDue: now + sla.resolutionSeconds * 1000,
  };
}

/** Teams an agent serves; undefined means all of them. */
export function teamsOf(agent: string, settings: HandoffSettings): string[] | undefined {
  return settings.agentTeams[agent];
}

export function etaSeconds(position: number, settings: HandoffSettings): number {
  return Math.round(position * settings.etaSecondsPerPosition);
}
