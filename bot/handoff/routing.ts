/**
 * Where a case waits and how soon it is served: its team from the complaint, its priority from
 * the member tier and the rule's urgency, and its SLA due times. Pure functions of the settings.
 */
import type { CaseRecord } from '../store/types.js';
import type { HandoffSettings, SlaTarget } from './settings.js';
import type { HandoffReason, NewQueueEntry } from './types.js';

/** Urgency is capped below the gap between tier weights, so tiers always come first. */
export const MAX_URGENCY = 9;

export function teamFor(c: Pick<CaseRecord, 'complaint'>, settings: HandoffSettings): string {
  for (const [team, complaints] of Object.entries(settings.teams)) {
    if ((complaints as readonly string[]).includes(c.complaint)) return team;
  }
  return settings.defaultTeam;
}

export function priorityFor(c: Pick<CaseRecord, 'facts' | 'decision'>, reason: HandoffReason, settings: HandoffSettings): number {
  const tier = settings.tierWeight[c.facts.member_tier ?? 'regular'] ?? 0;
  const ruled = c.decision?.priority;
  const urgency = typeof ruled === 'number' && Number.isFinite(ruled) ? ruled : settings.reasonUrgency[reason];
  return tier + Math.max(0, Math.min(MAX_URGENCY, Math.round(urgency)));
}

export function slaFor(priority: number, settings: HandoffSettings): SlaTarget {
  return settings.sla.find((s) => priority >= s.minPriority) ?? settings.sla[settings.sla.length - 1]!;
}

export function queueEntryFor(c: CaseRecord, reason: HandoffReason, now: number, settings: HandoffSettings): NewQueueEntry {
  const priority = priorityFor(c, reason, settings);
  const sla = slaFor(priority, settings);
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
