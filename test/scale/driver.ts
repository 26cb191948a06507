/**
 * A shopper driven by the bot's `channelData.prompt` (the way an automated driver answers):
 * the leaking-shampoo complaint to the end, whatever instance answers and whatever turn a
 * failure made it repeat. A turn that fails on one instance is sent again to the next, as a
 * load balancer retries, so a conversation survives instances dying under it.
 */
import { FIXTURES } from '../dialogs/transcriptRunner.js';
import type { Reply } from '../support/kefuHarness.js';
import { show } from './cluster.js';

export const ORDER_ID = '284716350192837465';

/** Said when a complaint joins the case another conversation has open for the item (`case.joined`). */
const JOINED = /已有进行中的工单|already an open case/;

/**
 * What the shopper answers to each prompt of story 1; 'done' once the remedy is accepted, or
 * when the complaint joined the case another of the same shopper's conversations has with the
 * rules or a person (kefu adds it to that case, and this conversation ends there).
 */
export function answerFor(replies: Reply[]): Record<string, unknown> | 'done' {
  if (replies.some((r) => (r.text ?? '').includes('方案已确认') || JOINED.test(r.text ?? ''))) return 'done';
  const slot = [...replies].reverse().find((r) => r.channelData?.prompt)?.channelData?.prompt?.slot as
    | string
    | undefined;
  switch (slot) {
    case 'order_id':
      return { text: ORDER_ID };
    case 'photo_item':
      return { attachments: [FIXTURES['photo.jpg']()] };
    case 'photo_package':
      return { attachments: [FIXTURES['photo.png']()] };
    case 'affected_ratio':
      return { text: '跳过' };
    case 'merchant_response':
      return { text: '还没联系商家' };
    case 'accept_remedy':
      return { text: '接受' };
    default:
      throw new Error(`no answer for these replies:\n${show(replies)}`);
  }
}

export interface DriveResult {
  turns: number;
  /** Turns that failed on one instance and were sent again to another. */
  retries: number;
  errors: string[];
}

/**
 * Runs one conversation to its end. `pick(turn)` chooses the instance of each turn; `say` may
 * throw (instance dead, store down), and the turn is then retried after `retryDelayMs`.
 */
export async function driveStory(
  conversation: string,
  say: (instance: number, body: Record<string, unknown>) => Promise<Reply[]>,
  pick: (turn: number, attempt: number) => number,
  opts: { maxTurns?: number; maxAttempts?: number; retryDelayMs?: number; betweenTurns?: () => Promise<void> } = {},
): Promise<DriveResult> {
  const result: DriveResult = { turns: 0, retries: 0, errors: [] };
  // Every driven conversation is the same shopper's complaint about the same item. With the order
  // in the first message, each opens its own case at once; a conversation that lagged behind
  // (turns retried after a fault) and named the order later would join a case another one had
  // brought to a proposal, as kefu does with a shopper's second complaint about one item.
  let body: Record<string, unknown> = { text: `洗发水瓶子破了，漏了一箱 ${ORDER_ID}` };
  for (let turn = 0; turn < (opts.maxTurns ?? 20); turn++) {
    let replies: Reply[] | undefined;
    for (let attempt = 0; replies === undefined; attempt++) {
      try {
        // A channel redelivers a failed activity with the same id; kefu uses it to stay idempotent.
        replies = await say(pick(turn, attempt), { id: `${conversation}-turn-${turn}`, ...body });
        // "Not saved, please send it again" (a store failed or was slow): the shopper sends it again.
        if (replies.some((r) => r.channelData?.refused === 'not_saved')) {
          replies = undefined;
          throw new Error('turn not saved');
        }
      } catch (err) {
        result.errors.push((err as Error).message);
        if (attempt + 1 >= (opts.maxAttempts ?? 40))
          throw new Error(`${conversation}: turn ${turn} failed ${attempt + 1} times: ${(err as Error).message}`);
        result.retries += 1;
        await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 50));
      }
    }
    result.turns += 1;
    const next = answerFor(replies);
    if (next === 'done') return result;
    body = next;
    await opts.betweenTurns?.();
  }
  throw new Error(`${conversation}: not finished after ${opts.maxTurns ?? 20} turns`);
}
