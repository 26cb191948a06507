/**
 * Test harness: a tiny echo bot (CloudAdapter in local anonymous mode) and the embedded Direct
 * Line on one restify server on an ephemeral port, the way kefu runs them. The bot echoes text,
 * describes attachments it reads through `resolveAttachment`, greets on conversationUpdate, and
 * on `burst N` sends N numbered proactive messages after a delay (via continueConversationAsync).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TurnContext,
  type ConversationReference,
} from 'botbuilder';
import restify from 'restify';
import { createLogger } from '../../bot/log.js';
import { mountDirectLine, type DirectLine, type DirectLineOptions } from '../../bot/directline/index.js';

export interface Harness {
  baseUrl: string;
  server: restify.Server;
  directLine: DirectLine;
  /** Every activity the bot received, in order. */
  received: Record<string, unknown>[];
  /** Resolves a pending `burst`; tests control when proactive messages go out. */
  releaseBurst(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<DirectLineOptions> = {},
  mount?: (server: restify.Server, directLine: DirectLine) => void,
  /** Parse bodies for every route, as an app's server may (kefu's does). */
  globalBodyParser = false,
): Promise<Harness> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kefu-dl-'));
  const server = restify.createServer({ handleUncaughtExceptions: false } as restify.ServerOptions);
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const received: Record<string, unknown>[] = [];
  let pendingBurst: { ref: Partial<ConversationReference>; count: number } | undefined;
  const log = createLogger('silent');
  if (globalBodyParser) server.use(restify.plugins.bodyParser({ mapParams: false, mapFiles: false }));
  const directLine = mountDirectLine(server, {
    botUrl: '/api/messages',
    secret: '',
    dataDir,
    maxUploadBytes: 1024 * 1024,
    tokenTtlSeconds: 600,
    log,
    ...overrides,
  });

  class EchoBot extends ActivityHandler {
    constructor() {
      super();
      this.onMembersAdded(async (ctx, next) => {
        const others = (ctx.activity.membersAdded ?? []).filter((m) => m.id !== ctx.activity.recipient.id);
        if (others.length > 0) await ctx.sendActivity(`welcome ${others.map((m) => m.id).join(',')}`);
        await next();
      });
      this.onMessage(async (ctx, next) => {
        received.push(JSON.parse(JSON.stringify(ctx.activity)) as Record<string, unknown>);
        const text = ctx.activity.text ?? '';
        const attachments = ctx.activity.attachments ?? [];
        if (attachments.length > 0) {
          const seen = [];
          for (const a of attachments) {
            const file = await directLine.resolveAttachment(a.contentUrl ?? '');
            seen.push(
              file === undefined ? `${a.name}:unreadable` : `${a.name}:${file.contentType}:${file.data.length}`,
            );
          }
          await ctx.sendActivity(`got ${seen.join(' ')}`);
        } else if (/^burst \d+$/.test(text)) {
          pendingBurst = { ref: TurnContext.getConversationReference(ctx.activity), count: Number(text.split(' ')[1]) };
          await ctx.sendActivity('burst armed');
        } else {
          await ctx.sendActivity(`echo: ${text}`);
        }
        await next();
      });
    }
  }
  const bot = new EchoBot();
  // Body parsing on the bot's route only: the Direct Line reads its own (multipart) bodies.
  server.post('/api/messages', ...(globalBodyParser ? [] : [restify.plugins.bodyParser()]), async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  mount?.(server, directLine);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    server,
    directLine,
    received,
    async releaseBurst() {
      const burst = pendingBurst;
      if (burst === undefined) throw new Error('no burst armed');
      pendingBurst = undefined;
      await adapter.continueConversationAsync('', burst.ref, async (ctx) => {
        for (let i = 1; i <= burst.count; i++) await ctx.sendActivity(`proactive ${i}`);
      });
    },
    async close() {
      await directLine.close();
      server.close();
      server.server.closeAllConnections();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
