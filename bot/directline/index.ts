/**
 * The embedded Direct Line 3.0 service: a Bot Framework channel inside the bot's own restify
 * server, so Microsoft's unmodified Web Chat talks to kefu with no cloud account. This file only
 * wires the parts together; see the modules for the protocol.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { mountActivityRoutes } from './activityRoutes.js';
import { BotClient } from './botClient.js';
import { CONNECTOR_PREFIX, connectorKey, mountConnectorRoutes } from './connectorRoutes.js';
import { mountConversationRoutes } from './conversationRoutes.js';
import { MemoryDirectLineStore } from './store.js';
import { mountStreams } from './stream.js';
import { TokenSigner } from './tokens.js';
import type { DirectLine, DirectLineContext, DirectLineOptions } from './types.js';
import { UploadStore } from './uploads.js';

export type { DirectLine, DirectLineOptions } from './types.js';
export type { DirectLineStore, ConversationRecord, ActivityJson, AppendedActivity } from './store.js';
export { MemoryDirectLineStore, type MemoryStoreLimits } from './store.js';
export { UPLOAD_PATH } from './activityRoutes.js';
export { RedisDirectLineStore, sharedDirectLineKey } from './redisStore.js';
export { ALLOWED_TYPES } from './fileTypes.js';

export function mountDirectLine(server: Server, options: DirectLineOptions): DirectLine {
  const keySeed = options.secret !== '' ? options.secret : (options.sharedKey ?? '');
  const key = connectorKey(keySeed);
  const localBase = (): string => {
    if (options.serviceBaseUrl !== undefined) return options.serviceBaseUrl.replace(/\/+$/, '');
    const address = server.server.address() as AddressInfo | null;
    if (address === null || typeof address === 'string')
      throw new Error('mountDirectLine: the server is not listening yet and no serviceBaseUrl was given');
    return `http://127.0.0.1:${address.port}`;
  };
  const serviceUrl = (): string => `${localBase()}${CONNECTOR_PREFIX}/${key}`;
  const botUrl = (): string => (options.botUrl.startsWith('/') ? `${localBase()}${options.botUrl}` : options.botUrl);
  const store = options.store ?? new MemoryDirectLineStore(options.memory);
  const signer = new TokenSigner(keySeed);
  const uploads = new UploadStore(options.dataDir, (conversationId, fileId) =>
    signer.fileSignature(conversationId, fileId),
  );
  const ctx: DirectLineContext = {
    options: {
      secret: options.secret,
      maxUploadBytes: options.maxUploadBytes,
      maxUploadFiles: options.maxUploadFiles ?? 5,
      tokenTtlSeconds: options.tokenTtlSeconds,
      channelId: options.channelId ?? 'directline',
      botId: options.botId ?? 'kefu',
      botName: options.botName ?? 'kefu',
      publicBaseUrl: options.publicBaseUrl,
    },
    log: options.log,
    store,
    signer,
    uploads,
    bot: new BotClient({
      botUrl,
      timeoutMs: options.botTimeoutMs ?? 15_000,
      serviceUrl,
      ...(options.deliver ? { inProcess: options.deliver } : {}),
    }),
    connectorKey: key,
  };
  mountConversationRoutes(server, ctx);
  mountActivityRoutes(server, ctx);
  mountConnectorRoutes(server, ctx);
  const streams = mountStreams(server.server, ctx);

  return {
    store,
    serviceUrl,
    resolveAttachment: (url) => uploads.resolve(url),
    disconnectStreams: (conversationId) => streams.disconnect(conversationId),
    eraseUploads: (userId) => uploads.sweep((meta) => meta.userId === userId),
    sweepUploads: (before) => uploads.sweep((meta) => (meta.createdAt ?? '') < before.toISOString()),
    closeStreams: (reason) => streams.close(reason),
    async close() {
      await streams.close();
      await store.close();
    },
  };
}
