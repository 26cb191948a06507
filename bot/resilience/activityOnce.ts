/**
 * Exactly once per activity id: a turn first claims its activity (channel, conversation and
 * activity id) in the shared ledger. A redelivery of a handled activity gets the replies the
 * first one got, and nothing runs again (no second case, photo, transcript line or answer). A
 * redelivery that arrives while another instance is still handling it waits for that result.
 * The claim is a lease, renewed while the turn runs, so a claim of a crashed instance frees
 * itself; a failed turn gives its claim up at once, so a redelivery is handled afresh.
 */
import { hash as digest, randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { ActivityLedger } from '../store/types.js';
import { sleep } from './deadline.js';

export interface ActivityOnceOptions {
  ledger: ActivityLedger;
  /** How long a handled activity (and its replies) is remembered; 0: never deduplicate. */
  ttlSeconds: number;
  /** Lease of a running turn; renewed every third of it. */
  leaseMs?: number;
  /** Pause between looks at a claim another turn holds. */
  pollMs?: number;
}

/** What a turn may do with its activity. */
export type Claim =
  | { kind: 'replay'; replies: Partial<Activity>[] }
  | {
      kind: 'run';
      /**
       * Marks the activity handled in the same transaction as the next write of `state`, where
       * the ledger and the state share a database (the embedded store); `finish` then only
       * stops the renewals. Call it right before saving, with the replies the turn will send.
       */
      finishAlong(state: object, replies: Partial<Activity>[]): void;
      finish(replies: Partial<Activity>[]): Promise<void>;
      abandon(): Promise<void>;
    };

const hash = (text: string) => digest('sha256', text, 'hex').slice(0, 32);

/**
 * `<conversation hash>:<activity hash>`: fixed length whatever the ids, and every entry of one
 * conversation shares a prefix, so erasing a conversation can find them (`LIKE`, `SCAN MATCH`).
 */
export function activityKey(channelId: string, conversationId: string, activityId: string): string {
  return `${conversationScope(channelId, conversationId)}:${hash(activityId)}`;
}

/** The prefix every ledger entry of one conversation shares (see `ActivityLedger.forget`). */
export function conversationScope(channelId: string, conversationId: string): string {
  return hash(`${channelId}\n${conversationId}`);
}

const UNTRACKED: Claim = {
  kind: 'run',
  finishAlong: () => undefined,
  finish: async () => undefined,
  abandon: async () => undefined,
};

export class ActivityOnce {
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: ActivityOnceOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.pollMs = options.pollMs ?? 200;
  }

  /** Claims the activity, waiting (at most two leases) while another turn holds it. */
  async claim(activity: Partial<Activity>): Promise<Claim> {
    const conversation = activity.conversation?.id;
    if (this.options.ttlSeconds === 0 || !activity.id || !conversation) return UNTRACKED;
    const key = activityKey(activity.channelId ?? '', conversation, activity.id);
    const owner = randomUUID();
    const { ledger } = this.options;
    const giveUpAt = Date.now() + 2 * this.leaseMs;
    for (;;) {
      const entry = await ledger.begin(key, owner, this.leaseMs);
      if (entry.state === 'done') return { kind: 'replay', replies: entry.replies as Partial<Activity>[] };
      if (entry.state === 'new') break;
      if (Date.now() >= giveUpAt)
        throw new Error(`activity ${activity.id} is still being handled elsewhere after ${2 * this.leaseMs} ms`);
      await sleep(this.pollMs);
    }
    // Renewals are best effort: a store that stops answering also stops the turn itself.
    const renew = setInterval(
      () => void ledger.renew(key, owner, this.leaseMs).catch(() => undefined),
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    let writtenAlong = () => false;
    return {
      kind: 'run',
      finishAlong: (state, replies) => {
        if (ledger.finishAlong) writtenAlong = ledger.finishAlong(state, key, replies, this.options.ttlSeconds);
      },
      finish: async (replies) => {
        clearInterval(renew);
        if (!writtenAlong()) await ledger.finish(key, replies, this.options.ttlSeconds);
      },
      abandon: async () => {
        clearInterval(renew);
        await ledger.abandon(key, owner);
      },
    };
  }
}
