/**
 * The periodic pass of the handoff service: take back claims nobody answered, flag SLA breaches
 * once each, and tell waiting shoppers their new place; on start, re-queue escalated cases a
 * crash left out of the queue. Every step reads durable state, so a pass after a restart finds all of it.
 */
import { etaSeconds, queueEntryFor } from '../../domain/handoff/routing.js';
import { HANDOFF_REASONS } from '../../domain/handoff/types.js';
import type { HandoffService } from './service.js';

export async function runUpkeep(s: HandoffService): Promise<void> {
  const now = s.now();
  try {
    for (const entry of await s.queue.unanswered(now - s.settings.reassignAfterSeconds * 1000)) {
      s.log.warn({ caseId: entry.caseId, agent: entry.agent }, 'claim not answered in time: offering the case again');
      await s.takeBack(
        entry.caseId,
        'bot',
        `taken back from agent:${entry.agent}: no reply in ${s.settings.reassignAfterSeconds}s`,
      );
    }
    for (const { entry, kind } of await s.queue.dueBreaches(now)) {
      await s.queue.markBreach(entry.caseId, kind);
      s.log.warn({ caseId: entry.caseId, kind, team: entry.team }, 'SLA breached');
      s.events.toTeam(entry, { type: 'sla_breach', caseId: entry.caseId, kind, team: entry.team });
    }
    for (const p of await s.queue.positions()) {
      if (p.position === p.lastPosition) continue;
      await s.queue.setLastPosition(p.caseId, p.position);
      const c = await s.cases.get(p.caseId);
      if (c !== undefined)
        await s.tell(c, { type: 'position', position: p.position, etaSeconds: etaSeconds(p.position, s.settings) });
    }
  } catch (err) {
    s.log.error({ err }, 'handoff upkeep failed; retrying on the next tick');
  }
}

/**
 * Puts back in the queue any escalated case that is missing from it (the process stopped
 * between writing the case and enqueuing it). Runs once on start.
 */
export async function requeueOrphans(s: HandoffService): Promise<number> {
  let count = 0;
  for (const c of await s.cases.list({ status: ['escalated'] })) {
    if ((await s.queue.get(c.id)) !== undefined) continue;
    const note = [...c.history]
      .reverse()
      .find((h) => h.status === 'escalated' && h.note?.startsWith('handoff: '))?.note;
    const reason = HANDOFF_REASONS.find((r) => note === `handoff: ${r}`) ?? 'rule';
    await s.queue.enqueue(queueEntryFor(c, reason, Date.parse(c.updatedAt) || s.now(), s.settings));
    count += 1;
  }
  if (count > 0) s.log.warn({ count }, 're-queued escalated cases missing from the queue');
  return count;
}
