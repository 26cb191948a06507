/**
 * A bounded outbox for messages kefu sends to channels on its own (queue updates, an agent's
 * claim and words, the closing note). Whoever pushes returns at once; a channel's serviceUrl
 * that is slow or never answers delays only its own conversation's messages.
 *
 * Invariants: messages of one conversation (`lane`) go out in the order pushed, one at a time;
 * at most `concurrency` lanes send at once; at most `max` messages wait or run (a new one is
 * dropped, and logged, when full); each attempt has `timeoutMs`; a failed one is retried after
 * `backoffMs`, doubled each time, up to `attempts` tries, then dropped and logged. Delivery is
 * at least once: an attempt that timed out may still have arrived.
 */
import type { Logger } from '../log.js';
import { withDeadline } from './deadline.js';

export interface OutboxOptions {
  max: number;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  concurrency?: number;
  log: Logger;
}

interface Job {
  what: string;
  send: () => Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;

export class Outbox {
  private readonly lanes = new Map<string, Job[]>();
  /** Lanes with messages, waiting for a free sender. */
  private readonly ready: string[] = [];
  private readonly busy = new Set<string>();
  private count = 0;
  private closing = false;
  /** Past the grace period of `close`: nothing more is sent or retried. */
  private halted = false;
  private wake?: () => void;
  private readonly halt: Promise<void>;
  private readonly idlers: (() => void)[] = [];
  private readonly concurrency: number;

  constructor(private readonly options: OutboxOptions) {
    this.concurrency = options.concurrency ?? 16;
    this.halt = new Promise((resolve) => (this.wake = resolve));
  }

  /** Messages waiting or being sent. */
  size(): number {
    return this.count;
  }

  /** Queues a message for `lane` (a conversation); false when it was dropped. */
  push(lane: string, what: string, send: () => Promise<void>): boolean {
    if (this.closing || this.count >= this.options.max) {
      this.options.log.warn(
        { lane, what, queued: this.count, closing: this.closing },
        'outbox full or closing; message to the channel dropped',
      );
      return false;
    }
    this.count += 1;
    const jobs = this.lanes.get(lane);
    if (jobs) jobs.push({ what, send });
    else {
      this.lanes.set(lane, [{ what, send }]);
      this.ready.push(lane);
    }
    this.pump();
    return true;
  }

  /** Resolves once nothing waits or runs (tests, and a graceful shutdown). */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.idlers.push(resolve));
  }

  /**
   * Stops taking messages, lets those queued go out for at most `graceMs`, then drops the rest
   * (logged) and stops retrying. Always resolves within `graceMs`.
   */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.halted = true;
    this.wake?.();
    if (this.count > 0) this.options.log.warn({ dropped: this.count }, 'shutting down: messages to channels not sent');
  }

  private pump(): void {
    while (this.busy.size < this.concurrency && this.ready.length > 0) {
      const lane = this.ready.shift()!;
      this.busy.add(lane);
      void this.drain(lane);
    }
  }

  private async drain(lane: string): Promise<void> {
    const jobs = this.lanes.get(lane)!;
    while (jobs.length > 0) {
      if (!this.halted) await this.deliver(lane, jobs[0]!);
      jobs.shift();
      this.count -= 1;
    }
    this.lanes.delete(lane);
    this.busy.delete(lane);
    if (this.count === 0) for (const done of this.idlers.splice(0)) done();
    this.pump();
  }

  private async deliver(lane: string, job: Job): Promise<void> {
    const { attempts, timeoutMs, backoffMs, log } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        await withDeadline(job.send(), timeoutMs, `message to the channel (${job.what})`);
        return;
      } catch (err) {
        const stop = this.halted || attempt >= attempts;
        log.warn(
          { err, lane, what: job.what, attempt, of: attempts },
          stop ? 'message to the channel dropped after failing' : 'message to the channel failed; retrying',
        );
        if (stop) return;
      }
      const wait = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.halt, new Promise<void>((r) => (timer = setTimeout(r, wait)))]);
      clearTimeout(timer);
    }
  }
}
