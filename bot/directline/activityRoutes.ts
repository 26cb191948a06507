/**
 * Direct Line 3.0 routes a client uses inside its conversation: post an activity, poll for
 * activities after a watermark, upload files with an optional message, and fetch an uploaded
 * file. A shopper's activity is stored (and so streamed back to the widget, which needs the
 * echo) before it goes to the bot, so the transcript order is always shopper, then bot reply.
 */
import type { Request, Response, Server } from 'restify';
import { authorizeConversation, identify } from './auth.js';
import { parseActivity, readBody } from './bodies.js';
import { DirectLineError, sendJson } from './errors.js';
import { checkFileType } from './fileTypes.js';
import { baseUrl, handler, param, query } from './http.js';
import type { ActivityJson } from './store.js';
import type { DirectLineContext } from './types.js';
import { ATTACHMENT_PATH } from './uploads.js';
import { receiveMultipart, type ReceivedUpload } from './multipart.js';
import { discardBody } from '../security/bodyGate.js';

const MAX_ACTIVITY_BYTES = 256 * 1024;

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The shopper's activity as stored: identity and routing fields are ours, never the client's. */
function fromShopper(
  ctx: DirectLineContext,
  conversationId: string,
  userId: string,
  userName: string | undefined,
  activity: ActivityJson,
): ActivityJson {
  const { id: _id, serviceUrl: _serviceUrl, ...rest } = activity;
  const from = asRecord(activity.from);
  return {
    ...rest,
    channelId: ctx.options.channelId,
    conversation: { id: conversationId },
    from: { id: userId, name: userName ?? (typeof from.name === 'string' ? from.name : undefined), role: 'user' },
    recipient: { id: ctx.options.botId, name: ctx.options.botName, role: 'bot' },
    timestamp: new Date().toISOString(),
  };
}

async function postToConversation(
  ctx: DirectLineContext,
  conversationId: string,
  activity: ActivityJson,
): Promise<string> {
  const { activity: stored } = await ctx.store.append(conversationId, activity);
  await ctx.bot.deliver(stored);
  return stored.id;
}

/** Checks every file before keeping any, so a refused upload leaves nothing behind. */
async function keepUpload(
  ctx: DirectLineContext,
  req: Request,
  res: Response,
  conversationId: string,
  userId: string,
  userName: string | undefined,
  upload: ReceivedUpload,
): Promise<void> {
  if (upload.files.length === 0)
    throw new DirectLineError(400, 'BadArgument', "the upload has no files (expected one or more 'file' parts)");
  const activity = upload.activity === undefined ? undefined : parseActivity(upload.activity);
  const typed = upload.files.map((file) => {
    const type = checkFileType(file.head, file.declaredType, file.name);
    if (typeof type === 'string') throw new DirectLineError(415, 'UnsupportedMediaType', type);
    return { file, type };
  });
  const base = baseUrl(ctx, req);
  const attachments = [];
  for (const { file, type } of typed) {
    const stored = await ctx.uploads.keep(file.path, file.bytes, type.contentType, file.name, base, {
      conversationId,
      userId,
    });
    // Web Chat shows a shopper's own attachment as a picture only when it has a thumbnail.
    const thumbnail = stored.contentType.startsWith('image/') ? { thumbnailUrl: stored.url } : {};
    attachments.push({ contentType: stored.contentType, contentUrl: stored.url, name: stored.name, ...thumbnail });
  }
  const message: ActivityJson = { ...(activity ?? { type: 'message' }), type: 'message', attachments };
  const id = await postToConversation(ctx, conversationId, fromShopper(ctx, conversationId, userId, userName, message));
  sendJson(res, 200, { id });
}

/** The upload route, the one route that takes multipart bodies. */
export const UPLOAD_PATH = /^\/v3\/directline\/conversations\/[^/]+\/upload(\?|$)/;

export function mountActivityRoutes(server: Server, ctx: DirectLineContext): void {
  // restify's bodyParser, if the app uses it globally, would swallow multipart uploads (and keep
  // one file per field name); these flags are how restify marks a body as already handled.
  server.pre((req, _res, next) => {
    if (req.method === 'POST' && UPLOAD_PATH.test(req.url ?? ''))
      Object.assign(req, { _readBody: true, _parsedBody: true });
    return next();
  });
  server.post(
    '/v3/directline/conversations/:conversationId/activities',
    handler(ctx, 'activities/post', async (req, res) => {
      const conversationId = param(req, 'conversationId');
      const { userId, userName } = await authorizeConversation(ctx, req.headers, conversationId);
      const activity = parseActivity(await readBody(req, MAX_ACTIVITY_BYTES, 'the activity'));
      const id = await postToConversation(
        ctx,
        conversationId,
        fromShopper(ctx, conversationId, userId, userName, activity),
      );
      sendJson(res, 200, { id });
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId/activities',
    handler(ctx, 'activities/get', async (req, res) => {
      const conversationId = param(req, 'conversationId');
      await authorizeConversation(ctx, req.headers, conversationId);
      const mark = query(req).get('watermark') ?? '';
      const since = /^\d+$/.test(mark) ? Number(mark) : 0;
      const { activities, watermark } = await ctx.store.activitiesSince(conversationId, since);
      sendJson(res, 200, { activities, watermark: String(watermark) });
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/upload',
    handler(ctx, 'upload', async (req, res) => {
      const conversationId = param(req, 'conversationId');
      const { maxUploadBytes, maxUploadFiles } = ctx.options;
      const maxBytes = maxUploadBytes * maxUploadFiles + 64 * 1024;
      let who: { userId: string; userName?: string };
      let upload: ReceivedUpload;
      try {
        who = await authorizeConversation(ctx, req.headers, conversationId);
        await ctx.uploads.sweepIncoming();
        // Not destroyed when the reader stops early, so the rest can be discarded below.
        const body = req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
        const declared =
          req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
        upload = await receiveMultipart(
          body,
          String(req.headers['content-type'] ?? ''),
          {
            dir: ctx.uploads.incoming,
            maxFileBytes: maxUploadBytes,
            maxFiles: maxUploadFiles,
            maxBytes,
            maxFieldBytes: MAX_ACTIVITY_BYTES,
          },
          declared,
        );
      } catch (err) {
        // The client may still be sending: it gets the answer, not a reset.
        await discardBody(req, res, maxBytes);
        throw err;
      }
      try {
        await keepUpload(ctx, req, res, conversationId, who.userId, who.userName, upload);
      } finally {
        await upload.discard();
      }
    }),
  );

  server.get(
    `${ATTACHMENT_PATH}:id/:name`,
    handler(ctx, 'attachments/get', async (req, res) => {
      const found = await ctx.uploads.get(param(req, 'id'));
      if (found === undefined) throw new DirectLineError(404, 'NotFound', 'no such attachment');
      // The URL's own signature (what an <img> sends), or the conversation's token in the header.
      if (!ctx.uploads.signedFor(found.meta, query(req).get('t') ?? '')) {
        const caller = await identify(ctx, req.headers);
        const own =
          caller.kind === 'secret' ||
          (caller.kind === 'token' && caller.claims.conversationId === found.meta.conversationId);
        if (!own)
          throw new DirectLineError(
            403,
            'Forbidden',
            "this file needs its conversation's token (or the signed URL the conversation was given)",
          );
      }
      res.writeHead(200, {
        'Content-Type': found.meta.contentType,
        'Content-Length': found.data.length,
        'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(found.meta.name)}`,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, max-age=86400',
      });
      res.end(found.data);
    }),
  );

  server.opts(
    '/v3/directline/*',
    handler(ctx, 'preflight', async (_req, res) => {
      res.writeHead(204);
      res.end();
    }),
  );
}
