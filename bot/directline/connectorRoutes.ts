/**
 * The Bot Connector routes the bot calls (through botbuilder's ConnectorClient, relative to the
 * `serviceUrl` we gave it) to reply and to send proactive messages: queue updates and agent
 * replies reach the widget this way. They live under `/directline/connector/<key>/`, where the
 * key is random per process (or derived from the Direct Line secret, so several instances
 * agree): in local anonymous mode the SDK sends no credentials, so knowing the URL is the proof.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'restify';
import { BOT_LIMITS, parseActivity, readBody } from './bodies.js';
import { DirectLineError, sendJson } from './errors.js';
import { handler, param } from './http.js';
import type { ActivityJson } from './store.js';
import type { DirectLineContext } from './types.js';

export const CONNECTOR_PREFIX = '/directline/connector';

export function connectorKey(secret: string): string {
  return secret === ''
    ? randomBytes(24).toString('base64url')
    : createHmac('sha256', secret).update('kefu directline connector key').digest('base64url');
}

function checkKey(ctx: DirectLineContext, given: string): void {
  const a = createHmac('sha256', 'cmp').update(given).digest();
  const b = createHmac('sha256', 'cmp').update(ctx.connectorKey).digest();
  if (!timingSafeEqual(a, b)) throw new DirectLineError(401, 'Unauthorized', 'unknown connector key');
}

/** The bot's activity as stored: never carries the serviceUrl (it holds the key) to clients. */
function fromBot(
  ctx: DirectLineContext,
  conversationId: string,
  activity: ActivityJson,
  replyToId?: string,
): ActivityJson {
  const { id: _id, serviceUrl: _serviceUrl, ...rest } = activity;
  const from =
    typeof activity.from === 'object' && activity.from !== null ? (activity.from as Record<string, unknown>) : {};
  return {
    ...rest,
    channelId: ctx.options.channelId,
    conversation: { id: conversationId },
    from: {
      ...from,
      id: typeof from.id === 'string' && from.id !== '' ? from.id : ctx.options.botId,
      name: typeof from.name === 'string' ? from.name : ctx.options.botName,
      role: 'bot',
    },
    timestamp: new Date().toISOString(),
    ...(replyToId !== undefined ? { replyToId } : {}),
  };
}

export function mountConnectorRoutes(server: Server, ctx: DirectLineContext): void {
  const base = `${CONNECTOR_PREFIX}/:key/v3/conversations/:conversationId/activities`;

  const send = (withReplyTo: boolean) =>
    handler(ctx, 'connector/send', async (req, res) => {
      checkKey(ctx, param(req, 'key'));
      const conversationId = param(req, 'conversationId');
      if ((await ctx.store.getConversation(conversationId)) === undefined) {
        throw new DirectLineError(404, 'ConversationNotFound', `conversation '${conversationId}' does not exist`);
      }
      const activity = parseActivity(await readBody(req, 1024 * 1024, "the bot's activity"), BOT_LIMITS);
      const { activity: stored } = await ctx.store.append(
        conversationId,
        fromBot(ctx, conversationId, activity, withReplyTo ? param(req, 'activityId') : undefined),
      );
      sendJson(res, 200, { id: stored.id });
    });

  server.post(base, send(false));
  server.post(`${base}/:activityId`, send(true));

  const unsupported = handler(ctx, 'connector/unsupported', async (req) => {
    checkKey(ctx, param(req, 'key'));
    throw new DirectLineError(405, 'NotSupported', 'Direct Line does not support updating or deleting activities');
  });
  server.put(`${base}/:activityId`, unsupported);
  server.del(`${base}/:activityId`, unsupported);

  server.get(
    `${CONNECTOR_PREFIX}/:key/v3/conversations/:conversationId/members`,
    handler(ctx, 'connector/members', async (req, res) => {
      checkKey(ctx, param(req, 'key'));
      const conversation = await ctx.store.getConversation(param(req, 'conversationId'));
      if (conversation === undefined) throw new DirectLineError(404, 'ConversationNotFound', 'no such conversation');
      sendJson(res, 200, [{ id: conversation.userId, name: conversation.userName, role: 'user' }]);
    }),
  );
}
