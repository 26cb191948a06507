/**
 * Push to signed-in agents: the console subscribes once per tab and receives queue changes, new
 * cases (only for teams the agent serves), the shopper's messages (only the owner) and SLA
 * breaches. Subscribers on this instance hear an event at once; once `connect`ed to a bus, the
 * event is also published there and every other instance hands it to its own subscribers, so an
 * agent's console hears about a case whichever instance the shopper's turn ran on.
 */
import type { Bus } from '../bus/index.js';
import type { QueueEntry, SlaKind } from '../../domain/handoff/types.js';

export type AgentEvent =
  | { type: 'case_queued'; caseId: string; team: string; priority: number; complaint: string; reason: string }
  | {
      type: 'queue_changed';
      caseId: string;
      change: 'claimed' | 'released' | 'closed' | 'left' | 'shopper_left';
      agent?: string;
    }
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

/** Who should hear an event: the team of an entry (and its owner), or one agent. */
type Route = { to: 'team'; team: string; agent?: string } | { to: 'agent'; agent: string };

const CHANNEL = 'agent-events';

function parseRemote(message: string): { origin: string; route: Route; event: AgentEvent } | undefined {
  try {
    const value = JSON.parse(message) as { o?: unknown; r?: Route; e?: AgentEvent };
    if (typeof value.o !== 'string' || typeof value.r?.to !== 'string' || typeof value.e?.type !== 'string')
      return undefined;
    return { origin: value.o, route: value.r, event: value.e };
  } catch {
    return undefined;
  }
}

export class AgentEvents {
  private readonly subscribers = new Set<Subscriber>();
  private bus?: Bus;
  private offBus?: () => void;
  private onBusError: (err: unknown) => void = () => undefined;

  /** Shares events with the other instances on `bus`; `onError` hears failed publishes. */
  async connect(bus: Bus, onError?: (err: unknown) => void): Promise<void> {
    if (onError !== undefined) this.onBusError = onError;
    this.offBus = await bus.subscribe(CHANNEL, (message) => {
      const remote = parseRemote(message);
      if (remote !== undefined && remote.origin !== bus.origin) this.deliver(remote.route, remote.event);
    });
    this.bus = bus;
  }

  subscribe(agent: string, teams: string[] | undefined, listener: AgentListener, onEnd?: () => void): () => void {
    const sub: Subscriber = { agent, teams, listener, onEnd };
    this.subscribers.add(sub);
    return () => this.subscribers.delete(sub);
  }

  /** Everyone who serves the entry's team, plus its owner. */
  toTeam(entry: Pick<QueueEntry, 'team' | 'agent'>, event: AgentEvent): void {
    this.route({ to: 'team', team: entry.team, ...(entry.agent !== undefined ? { agent: entry.agent } : {}) }, event);
  }

  toAgent(agent: string, event: AgentEvent): void {
    this.route({ to: 'agent', agent }, event);
  }

  /** Ends every subscription (service stop). */
  end(): void {
    this.offBus?.();
    this.offBus = undefined;
    this.bus = undefined;
    this.hangUp();
  }

  /** Ends the subscribers' streams (shutdown starts), still hearing the bus meanwhile. */
  hangUp(): void {
    for (const s of [...this.subscribers]) {
      this.subscribers.delete(s);
      s.onEnd?.();
    }
  }

  count(): number {
    return this.subscribers.size;
  }

  private route(route: Route, event: AgentEvent): void {
    this.deliver(route, event);
    const bus = this.bus;
    if (bus !== undefined)
      void bus.publish(CHANNEL, JSON.stringify({ o: bus.origin, r: route, e: event })).catch(this.onBusError);
  }

  private deliver(route: Route, event: AgentEvent): void {
    if (route.to === 'agent') this.publish(event, (s) => s.agent === route.agent);
    else this.publish(event, (s) => s.teams === undefined || s.teams.includes(route.team) || s.agent === route.agent);
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
