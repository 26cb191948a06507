/**
 * Push to signed-in agents: the console subscribes once per tab and receives queue changes, new
 * cases (only for teams the agent serves), the shopper's messages (only the owner) and SLA
 * breaches. In-process fan-out; with several bot instances a Redis channel would feed it.
 */
import type { QueueEntry, SlaKind } from './types.js';

export type AgentEvent =
  | { type: 'case_queued'; caseId: string; team: string; priority: number; complaint: string; reason: string }
  | { type: 'queue_changed'; caseId: string; change: 'claimed' | 'released' | 'closed' | 'left'; agent?: string }
  | { type: 'shopper_message'; caseId: string; text: string; at: string; evidence?: string[] }
  | { type: 'agent_message'; caseId: string; agent: string; text: string; at: string }
  | { type: 'sla_breach'; caseId: string; kind: SlaKind; team: string };

export type AgentListener = (event: AgentEvent) => void;

interface Subscriber {
  agent: string;
  /** Teams served; undefined: all. */
  teams?: string[];
  listener: AgentListener;
  /** Called when the service stops, so open streams can end and the server can drain. */
  onEnd?: () => void;
}

export class AgentEvents {
  private readonly subscribers = new Set<Subscriber>();

  subscribe(agent: string, teams: string[] | undefined, listener: AgentListener, onEnd?: () => void): () => void {
    const sub: Subscriber = { agent, teams, listener, onEnd };
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  /** Everyone who serves the entry's team, plus its owner. */
  toTeam(entry: Pick<QueueEntry, 'team' | 'agent'>, event: AgentEvent): void {
    this.publish(event, (s) => s.teams === undefined || s.teams.includes(entry.team) || s.agent === entry.agent);
  }

  toAgent(agent: string, event: AgentEvent): void {
    this.publish(event, (s) => s.agent === agent);
  }

  /** Ends every subscription (service stop). */
  end(): void {
    for (const s of [...this.subscribers]) {
      this.subscribers.delete(s);
      s.onEnd?.();
    }
  }

  count(): number {
    return this.subscribers.size;
  }

  private publish(event: AgentEvent, to: (s: Subscriber) => boolean): void {
    for (const s of this.subscribers) {
      // One broken connection must not stop the others from hearing about a case.
      if (to(s)) {
        try {
          s.listener(event);
        } catch {
          this.subscribers.delete(s);
        }
      }
    }
  }
}
