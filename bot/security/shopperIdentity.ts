/**
 * How a turn learns who its shopper provably is (see `dialogs/identity.ts`), from the two proofs
 * kefu accepts:
 * - the embedded Direct Line: its token check ran before the activity was stored, and the
 *   activity reaches the bot in-process through `directLineDelivery`, never over HTTP, so no
 *   outside request can pass for it;
 * - a Bot Framework channel's JWT, verified by CloudAdapter with the app's credentials (anonymous
 *   mode verifies nothing, so there a request to `/api/messages` proves no identity at all).
 */
import { ClaimsIdentity, type ConnectorFactory } from 'botframework-connector';
import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type CloudAdapter,
  type TurnContext,
} from 'botbuilder';
import { setVerifiedShopper, verifiedShopper } from '../../dialogs/identity.js';
import { DirectLineError } from '../directline/errors.js';
import type { ActivityJson } from '../directline/store.js';
import { checkActivity, DEFAULT_GUARD_LIMITS } from './activityGuard.js';
import type { Logger } from '../log.js';

/** Marks the shopper of an HTTP turn as verified when the adapter checked a channel's JWT. */
export function markChannelShopper(context: TurnContext, anonymous: boolean): void {
  if (anonymous || verifiedShopper(context) !== undefined) return;
  const identity = context.turnState.get(context.adapter.BotIdentityKey) as ClaimsIdentity | undefined;
  const { from, channelId } = context.activity;
  // An unauthenticated (anonymous) identity has no claims; a checked JWT always has some.
  if (identity?.isAuthenticated !== true || identity.claims.length === 0 || !from?.id) return;
  setVerifiedShopper(context, { id: from.id, channelId, via: 'channel' });
}

/**
 * The embedded Direct Line's way into the bot: runs the turn in this process, with the user the
 * Direct Line's token named marked as verified. Replies go to the Direct Line's own connector
 * routes (whose secret URL is the proof there), so the outbound client needs no credentials.
 */
export function directLineDelivery(
  adapter: CloudAdapter,
  turn: (context: TurnContext) => Promise<void>,
  appId: string,
  log: Logger,
): (activity: ActivityJson) => Promise<void> {
  // Credential-free, like the Emulator's: the connector routes are on this server.
  const connectors: ConnectorFactory = new ConfigurationBotFrameworkAuthentication({}).createConnectorFactory(
    new ClaimsIdentity([]),
  );
  return async (json) => {
    const refusal = checkActivity(json, DEFAULT_GUARD_LIMITS);
    if (refusal) throw new DirectLineError(refusal.status, 'BadArgument', refusal.message);
    // Replies must go to the connector, not back in a response nobody reads.
    const { deliveryMode: _mode, ...rest } = json;
    const activity = {
      ...rest,
      timestamp: typeof rest.timestamp === 'string' ? new Date(rest.timestamp) : new Date(),
    } as unknown as Activity;
    const userId = activity.from?.id;
    // The bot's own identity, as for a proactive turn (botbuilder builds its user-token client from it).
    const claimsIdentity = new ClaimsIdentity(
      appId
        ? [
            { type: 'aud', value: appId },
            { type: 'appid', value: appId },
          ]
        : [],
      true,
    );
    try {
      await adapter.processActivityDirect(
        { claimsIdentity, connectorFactory: connectors, audience: '', callerId: undefined },
        activity,
        async (context) => {
          if (userId) setVerifiedShopper(context, { id: userId, channelId: activity.channelId, via: 'directline' });
          await turn(context);
        },
      );
    } catch (err) {
      // Turn errors are the adapter's (onTurnError); this is the adapter failing to start one.
      log.error({ err, conversation: activity.conversation?.id }, 'directline: the bot could not take the activity');
      throw err;
    }
  };
}
