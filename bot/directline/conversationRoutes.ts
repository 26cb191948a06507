/**
 * Direct Line 3.0 routes that hand out tokens and conversations: `tokens/generate` (a shop's
 * server, with the secret), `tokens/refresh`, start a conversation, and reconnect to one
 * (a fresh `streamUrl` that resumes after the client's watermark).
 */
import { randomBytes } from 'node:crypto';
import type { Request, Server } from 'restify';
import { authorizeConversation, identify, requireSecret, type Caller } from './auth.js';
import { isLoopback } from '../security/addresses.js';
import { parseJsonObject, readBody } from './bodies.js';
import { DirectLineError, sendJson } from './errors.js';
import { baseUrl, handler, param, query } from './http.js';
import type { DirectLineContext } from './types.js';

const USER_ID = /^[\p{L}\p{N}._@:-]{1,64}$/u;

interface StartRequest {
  userId?: string;
  userName?: string;
  locale?: string;
}

function parseStart(body: Record<string, unknown>): StartRequest {
  const start: StartRequest = {};
  const user = body.user;
  if (user !== undefined) {
    if (typeof user !== 'object' || user === null)
      throw new DirectLineError(400, 'BadArgument', '\'user\' must be an object like { "id": "u-zhang" }');
    const { id, name } = user as Record<string, unknown>;
    if (id !== undefined) {
      if (typeof id !== 'string' || !USER_ID.test(id))
        throw new DirectLineError(400, 'BadArgument', "'user.id' must be 1-64 letters, digits or . _ @ : -");
      start.userId = id;
    }
    if (typeof name === 'string' && name.length <= 100) start.userName = name;
  }
  if (typeof body.locale === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(body.locale))
    start.locale = body.locale;
  return start;
}

async function readStart(req: Request): Promise<StartRequest> {
  return parseStart(parseJsonObject(await readBody(req, 16 * 1024, 'the request'), 'the request body'));
}

const newId = (): string => randomBytes(16).toString('base64url');

/**
 * The user of a new token or conversation. With the secret, the shop's server names its
 * signed-in shopper. Without one (open mode), a chosen id is honored only for a
 * caller on this machine (the demo page's shopper picker on a developer's loopback-only kefu);
 * anyone else gets a fresh random id, so a token's user is always someone nobody could pick.
 */
function newUserId(req: Request, caller: Caller, requested: string | undefined): string {
  const local = isLoopback(req.socket.remoteAddress ?? '') && req.headers['x-forwarded-for'] === undefined;
  if (requested !== undefined && (caller.kind === 'secret' || local)) return requested;
  return `dl_${newId()}`;
}

interface Participant {
  userId: string;
  userName?: string;
  locale?: string;
}

async function conversationResponse(
  ctx: DirectLineContext,
  req: Request,
  conversationId: string,
  who: Participant,
  watermark?: string,
) {
  const ttl = ctx.options.tokenTtlSeconds;
  const { userId, userName, locale } = who;
  const { token } = await ctx.signer.sign({ conversationId, userId, userName, locale, scope: 'conv' }, ttl);
  const stream = await ctx.signer.sign({ conversationId, userId, scope: 'stream' }, Math.min(ttl, 300));
  const ws = baseUrl(ctx, req).replace(/^http/, 'ws');
  const mark = watermark !== undefined && /^\d+$/.test(watermark) ? `watermark=${watermark}&` : '';
  return {
    conversationId,
    token,
    expires_in: ttl,
    streamUrl: `${ws}/v3/directline/conversations/${encodeURIComponent(conversationId)}/stream?${mark}t=${stream.token}`,
  };
}

export function mountConversationRoutes(server: Server, ctx: DirectLineContext): void {
  server.post(
    '/v3/directline/tokens/generate',
    handler(ctx, 'tokens/generate', async (req, res) => {
      await requireSecret(ctx, req.headers);
      const caller = await identify(ctx, req.headers);
      const start = await readStart(req);
      const conversationId = newId();
      const { token, expiresIn } = await ctx.signer.sign(
        {
          conversationId,
          userId: newUserId(req, caller, start.userId),
          userName: start.userName,
          locale: start.locale,
          scope: 'conv',
        },
        ctx.options.tokenTtlSeconds,
      );
      sendJson(res, 200, { conversationId, token, expires_in: expiresIn });
    }),
  );

  server.post(
    '/v3/directline/tokens/refresh',
    handler(ctx, 'tokens/refresh', async (req, res) => {
      const caller = await identify(ctx, req.headers);
      if (caller.kind !== 'token')
        throw new DirectLineError(403, 'Forbidden', 'tokens/refresh needs Authorization: Bearer <token>');
      const { conversationId, userId, userName, locale } = caller.claims;
      const { token, expiresIn } = await ctx.signer.sign(
        { conversationId, userId, userName, locale, scope: 'conv' },
        ctx.options.tokenTtlSeconds,
      );
      sendJson(res, 200, { conversationId, token, expires_in: expiresIn });
    }),
  );

  server.post(
    '/v3/directline/conversations',
    handler(ctx, 'conversations/start', async (req, res) => {
      const caller = await identify(ctx, req.headers);
      const start = await readStart(req);
      // A token fixes conversation and user; the secret (or open mode) starts a new one.
      const conversationId = caller.kind === 'token' ? caller.claims.conversationId : newId();
      const userId = caller.kind === 'token' ? caller.claims.userId : newUserId(req, caller, start.userId);
      const userName = caller.kind === 'token' ? caller.claims.userName : start.userName;
      // Web Chat starts the conversation with an empty body: the locale comes from the token.
      const locale = (caller.kind === 'token' ? caller.claims.locale : undefined) ?? start.locale;
      const existing = await ctx.store.getConversation(conversationId);
      if (existing === undefined) {
        await ctx.store.createConversation({
          id: conversationId,
          userId,
          userName,
          locale,
          createdAt: new Date().toISOString(),
        });
        void ctx.bot
          .deliver({
            type: 'conversationUpdate',
            id: `${conversationId}|start`,
            channelId: ctx.options.channelId,
            conversation: { id: conversationId },
            from: { id: userId, name: userName, role: 'user' },
            recipient: { id: ctx.options.botId, name: ctx.options.botName, role: 'bot' },
            membersAdded: [
              { id: ctx.options.botId, name: ctx.options.botName },
              { id: userId, name: userName },
            ],
            locale,
            timestamp: new Date().toISOString(),
          })
          .catch((err: unknown) =>
            ctx.log.warn({ err, conversationId }, 'directline: the bot refused conversationUpdate'),
          );
      }
      sendJson(
        res,
        existing === undefined ? 201 : 200,
        await conversationResponse(ctx, req, conversationId, { userId, userName, locale: existing?.locale ?? locale }),
      );
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId',
    handler(ctx, 'conversations/reconnect', async (req, res) => {
      const conversationId = param(req, 'conversationId');
      const { userId, userName } = await authorizeConversation(ctx, req.headers, conversationId);
      const locale = (await ctx.store.getConversation(conversationId))?.locale;
      sendJson(
        res,
        200,
        await conversationResponse(
          ctx,
          req,
          conversationId,
          { userId, userName, locale },
          query(req).get('watermark') ?? undefined,
        ),
      );
    }),
  );
}
