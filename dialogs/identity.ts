/**
 * Who a turn's shopper provably is. The edge sets it only when a verified token says so: the
 * embedded Direct Line's token (its activities reach the bot in-process, never over HTTP, so an
 * outside caller cannot pretend to be it) or a channel's Bot Framework JWT checked with the app's
 * credentials. A bare `from.id` on an anonymous request is a claim, not an identity: reading or
 * deleting a shopper's data waits for this.
 */
import type { TurnContext } from 'botbuilder';

export interface VerifiedShopper {
  id: string;
  channelId: string;
  /** `directline`: the embedded Direct Line's token; `channel`: a verified Bot Framework request. */
  via: 'directline' | 'channel';
}

// A symbol, not a string: nothing parsed from a request can name it.
const VERIFIED = Symbol('kefu.verifiedShopper');

export function setVerifiedShopper(context: TurnContext, shopper: VerifiedShopper): void {
  context.turnState.set(VERIFIED, shopper);
}

/** The turn's shopper when proven (and the activity is theirs), else undefined. */
export function verifiedShopper(context: TurnContext): VerifiedShopper | undefined {
  const shopper = context.turnState.get(VERIFIED) as VerifiedShopper | undefined;
  if (shopper === undefined) return undefined;
  const { from, channelId } = context.activity;
  return shopper.id === from?.id && shopper.channelId === channelId ? shopper : undefined;
}
