/**
 * The handoff service: everything from "this case needs a person" to the shopper's satisfaction
 * rating. It keeps the case (CaseStore) and the queue (HandoffQueue) in step, tells the shopper
 * through the bot's ShopperNotifier and the agents through AgentEvents. The case is written
 * before anyone is told, so a restart never loses what a shopper or agent was promised.
 */
import type { Logger } from '../log.js';
import type { AgentCredential } from '../config.js';
import type { CaseEvent, CaseRecord, CaseStatus, CaseStore, TranscriptEntry } from '../../domain/cases.js';
import { AgentEvents } from './agentEvents.js';
import { toResolution, type CloseDecision } from '../../domain/handoff/closeDecision.js';
import { HandoffError } from '../../domain/handoff/errors.js';
import { etaSeconds, queueEntryFor, teamsOf } from '../../domain/handoff/routing.js';
import { DEFAULT_SETTINGS, type HandoffSettings } from '../../domain/handoff/settings.js';
import type {
  HandoffQueue,
  HandoffReason,
  QueueEntry,
  ShopperEvent,
  ShopperNotifier,
} from '../../domain/handoff/types.js';
import { caseFile, queueItem, type CaseFile, type QueueItem } from '../../domain/handoff/views.js';
import { maskSensitive } from '../../domain/handoff/sensitive.js';
import { handoffState, nextState, SHOPPER_LEFT_NOTE, type HandoffState } from '../../domain/handoff/lifecycle.js';
import { requeueOrphans, runUpkeep } from './upkeep.js';

export interface HandoffServiceDeps {
  cases: CaseStore;
  queue: HandoffQueue;
  notifier: ShopperNotifier;
  agents: AgentCredential[];
  settings?: Partial<HandoffSettings>;
  /** Epoch milliseconds; injected by tests. */
  clock?: () => number;
  log: Logger;
}

const MAX_TEXT = 4000;

export class HandoffService {
  readonly settings: HandoffSettings;
  readonly events = new AgentEvents();
  readonly cases: CaseStore;
  readonly queue: HandoffQueue;
  readonly now: () => number;
  readonly log: Logger;
  private readonly notifier: ShopperNotifier;
  private readonly agentNames: Set<string>;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(deps: HandoffServiceDeps) {
    this.cases = deps.cases;
    this.queue = deps.queue;
    this.notifier = deps.notifier;
    this.agentNames = new Set(deps.agents.map((a) => a.name));
    this.settings = { ...DEFAULT_SETTINGS, ...deps.settings };
    this.now = deps.clock ?? Date.now;
    this.log = deps.log;
  }

  // ---- shopper side (called by the bot) ----

  async escalate(caseId: string, reason: HandoffReason): Promise<{ position: number; etaSeconds: number }> {
    const existing = await this.queue.get(caseId);
    if (existing !== undefined) {
      const position = (await this.queue.position(caseId)) ?? 0;
      return { position, etaSeconds: etaSeconds(position, this.settings) };
    }
    const c = await this.update(caseId, (cur) => withStatus(cur, 'escalated', 'bot', `handoff: ${reason}`, this.iso()));
    const entry = await this.queue.enqueue(queueEntryFor(c, reason, this.now(), this.settings));
    const position = (await this.queue.position(caseId)) ?? 1;
    await this.queue.setLastPosition(caseId, position);
    const eta = etaSeconds(position, this.settings);
    this.log.info({ caseId, reason, team: entry.team, priority: entry.priority, position }, 'case escalated');
    this.events.toTeam(entry, {
      type: 'case_queued',
      caseId,
      team: entry.team,
      priority: entry.priority,
      complaint: c.complaint,
      reason,
    });
    await this.tell(c, { type: 'queued', reason, position, etaSeconds: eta });
    return { position, etaSeconds: eta };
  }

  /**
   * Relays a shopper's turn to the owning agent (or keeps it for whoever claims the case). Throws
   * HandoffError `not_found` when the case is no longer in the queue (closed or cancelled elsewhere):
   * the one answer on which the bot takes the conversation back.
   */
  async shopperMessage(caseId: string, text: string, evidenceIds?: string[]): Promise<void> {
    const entry = await this.queue.get(caseId);
    if (entry === undefined) throw new HandoffError('not_found', `case ${caseId} is not with a person`);
    const at = this.iso();
    const line: TranscriptEntry = {
      at,
      from: 'shopper',
      text: text.slice(0, MAX_TEXT),
      ...(evidenceIds?.length ? { evidence: evidenceIds } : {}),
    };
    await this.update(caseId, (cur) => ({ ...cur, transcript: [...cur.transcript, line] }));
    if (entry.agent !== undefined) {
      // Live like in the case file: ID and card numbers masked until revealed.
      const c = await this.cases.get(caseId);
      const text = maskSensitive(line.text, c?.orderId ? [c.orderId] : []).text;
      this.events.toAgent(entry.agent, { type: 'shopper_message', caseId, text, at, evidence: line.evidence });
    }
  }

  /**
   * The shopper ends the chat or leaves the queue. Still waiting: the case is cancelled. An agent
   * holds it: the case stays with the agent (who may still write and close it) and is marked
   * "shopper left"; closing it later offers the shopper the rating proactively.
   */
  async shopperLeaves(caseId: string): Promise<HandoffState | undefined> {
    const entry = await this.queue.get(caseId);
    if (entry === undefined) return undefined;
    const current = await this.cases.get(caseId);
    if (current === undefined) return undefined;
    const to = nextState(handoffState(current, entry), 'shopper_leaves', 'shopper', caseId);
    if (to === 'shopper_left') {
      const c = await this.update(caseId, (cur) =>
        withStatus(cur, cur.status, 'shopper', SHOPPER_LEFT_NOTE, this.iso()),
      );
      this.events.toTeam(entry, { type: 'queue_changed', caseId, change: 'shopper_left', agent: entry.agent });
      await this.tell(c, { type: 'shopper_left' });
      return to;
    }
    const c = await this.update(caseId, (cur) => withStatus(cur, 'cancelled', 'shopper', 'left the queue', this.iso()));
    await this.queue.remove(caseId);
    this.events.toTeam(entry, { type: 'queue_changed', caseId, change: 'left', agent: entry.agent });
    await this.tell(c, { type: 'cancelled' });
    return to;
  }

  async recordCsat(caseId: string, score: number): Promise<void> {
    if (!Number.isInteger(score) || score < 1 || score > 5)
      throw new HandoffError('bad_request', `CSAT score must be an integer 1..5, got ${score}`);
    await this.update(caseId, (cur) => {
      if (cur.status !== 'resolved')
        throw new HandoffError('conflict', `case ${caseId} is ${cur.status}, not resolved`);
      return { ...cur, csat: { score, at: this.iso() } };
    });
  }

  // ---- agent side (called by the agent API) ----

  async queueView(agent: string): Promise<QueueItem[]> {
    const teams = teamsOf(agent, this.settings);
    const entries = (await this.queue.list()).filter(
      (e) => teams === undefined || teams.includes(e.team) || e.agent === agent,
    );
    const positions = new Map((await this.queue.positions()).map((p) => [p.caseId, p.position]));
    return Promise.all(entries.map(async (e) => queueItem(e, await this.cases.get(e.caseId), positions.get(e.caseId))));
  }

  async caseFile(caseId: string, agent: string): Promise<CaseFile> {
    const c = await this.cases.get(caseId);
    const entry = await this.queue.get(caseId);
    if (c === undefined || (entry === undefined && !c.history.some((h) => h.status === 'escalated'))) {
      throw new HandoffError('not_found', `no handed-off case ${caseId}`);
    }
    if (entry !== undefined) this.mayServe(agent, entry);
    return caseFile(c, entry && queueItem(entry, c, await this.queue.position(caseId)));
  }

  /**
   * The case file with ID and card numbers shown, for an agent who may see the case; the reveal is
   * recorded in the case's history (who, when), so it can be audited.
   */
  async reveal(caseId: string, agent: string): Promise<CaseFile> {
    await this.caseFile(caseId, agent);
    const c = await this.update(caseId, (cur) => ({
      ...cur,
      history: [
        ...cur.history,
        { at: this.iso(), status: cur.status, by: `agent:${agent}`, note: 'revealed ID and card numbers' },
      ],
    }));
    const entry = await this.queue.get(caseId);
    return caseFile(c, entry && queueItem(entry, c, await this.queue.position(caseId)), true);
  }

  async claim(caseId: string, agent: string): Promise<CaseFile> {
    this.known(agent);
    const before = await this.queue.get(caseId);
    if (before === undefined) throw new HandoffError('not_found', `case ${caseId} is not in the queue`);
    this.mayServe(agent, before);
    const entry = await this.queue.claim(caseId, agent, this.now());
    if (entry === undefined)
      throw new HandoffError('conflict', `case ${caseId} is already taken by ${before.agent ?? 'another agent'}`);
    const c = await this.update(caseId, (cur) => withStatus(cur, 'assigned', `agent:${agent}`, undefined, this.iso()));
    this.events.toTeam(entry, { type: 'queue_changed', caseId, change: 'claimed', agent });
    await this.tell(c, { type: 'assigned', agent });
    this.kick();
    return caseFile(c, queueItem(entry, c));
  }

  async release(caseId: string, agent: string): Promise<void> {
    await this.owned(caseId, agent);
    await this.takeBack(caseId, `agent:${agent}`, 'given back by the agent');
  }

  async send(caseId: string, agent: string, text: string): Promise<TranscriptEntry> {
    const body = text.trim();
    if (body.length === 0 || body.length > MAX_TEXT)
      throw new HandoffError('bad_request', `message must be 1 to ${MAX_TEXT} characters`);
    await this.owned(caseId, agent);
    const line: TranscriptEntry = { at: this.iso(), from: 'agent', agent, text: body };
    const c = await this.update(caseId, (cur) => ({ ...cur, transcript: [...cur.transcript, line] }));
    await this.queue.markAnswered(caseId, this.now());
    this.events.toAgent(agent, { type: 'agent_message', caseId, agent, text: body, at: line.at });
    await this.tell(c, { type: 'agent_message', agent, text: body });
    return line;
  }

  async close(caseId: string, agent: string, decision: CloseDecision): Promise<CaseRecord> {
    const entry = await this.owned(caseId, agent);
    const at = this.iso();
    const c = await this.update(caseId, (cur) => {
      const resolution = toResolution(decision, cur.decision, agent, at);
      return { ...withStatus(cur, 'resolved', `agent:${agent}`, `${decision.kind}: ${decision.note}`, at), resolution };
    });
    await this.queue.remove(caseId);
    this.log.info({ caseId, kind: decision.kind, remedy: c.resolution?.remedy }, 'case resolved by agent');
    this.events.toTeam(entry, { type: 'queue_changed', caseId, change: 'closed', agent });
    await this.tell(c, { type: 'resolved', resolution: c.resolution! });
    this.kick();
    return c;
  }

  // ---- timers ----

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), this.settings.tickSeconds * 1000);
    this.timer.unref();
    this.ticking = requeueOrphans(this)
      .catch((err: unknown) => this.log.error({ err }, 'could not re-queue escalated cases'))
      .then(() => runUpkeep(this))
      .finally(() => (this.ticking = undefined));
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.events.end();
    await this.ticking;
  }

  /** One pass of upkeep: take back unanswered claims, flag SLA breaches, update positions. */
  tick(): Promise<void> {
    this.ticking ??= runUpkeep(this).finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Returns a claimed case to the queue (agent gave it back, or did not answer in time). */
  async takeBack(caseId: string, by: string, note: string): Promise<QueueEntry | undefined> {
    const entry = await this.queue.release(caseId);
    if (entry === undefined) return undefined;
    await this.update(caseId, (cur) => withStatus(cur, 'escalated', by, note, this.iso()));
    this.events.toTeam(entry, { type: 'queue_changed', caseId, change: 'released' });
    this.kick();
    return entry;
  }

  /** Tells the shopper; a failed proactive message is logged, never undoes the queue change. */
  async tell(c: CaseRecord, event: ShopperEvent): Promise<void> {
    try {
      await this.notifier.notify(c, event);
    } catch (err) {
      this.log.warn({ err, caseId: c.id, event: event.type }, 'could not notify the shopper');
    }
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  update(caseId: string, change: (cur: CaseRecord) => CaseRecord): Promise<CaseRecord> {
    return this.cases.update(caseId, change);
  }

  /** Runs upkeep soon after a change when the timers are on (tests call `tick()` themselves). */
  private kick(): void {
    if (this.timer !== undefined) setImmediate(() => void this.tick());
  }

  private known(agent: string): void {
    if (!this.agentNames.has(agent)) throw new HandoffError('forbidden', `unknown agent ${agent}`);
  }

  private mayServe(agent: string, entry: QueueEntry): void {
    const teams = teamsOf(agent, this.settings);
    if (teams !== undefined && !teams.includes(entry.team) && entry.agent !== agent) {
      throw new HandoffError('forbidden', `agent ${agent} does not serve team ${entry.team}`);
    }
  }

  private async owned(caseId: string, agent: string): Promise<QueueEntry> {
    const entry = await this.queue.get(caseId);
    if (entry === undefined) throw new HandoffError('not_found', `case ${caseId} is not with a person`);
    if (entry.state !== 'assigned' || entry.agent !== agent)
      throw new HandoffError('forbidden', `case ${caseId} is not claimed by ${agent}`);
    return entry;
  }
}

function withStatus(c: CaseRecord, status: CaseStatus, by: string, note: string | undefined, at: string): CaseRecord {
  const event: CaseEvent = { at, status, by, ...(note === undefined ? {} : { note }) };
  return { ...c, status, history: [...c.history, event] };
}
