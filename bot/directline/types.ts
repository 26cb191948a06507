/**
 * Options and the public face of the embedded Direct Line, plus the context its route modules
 * share. Kept apart from `index.ts` so those modules do not import the wiring.
 */
import type { Logger } from '../log.js';
import type { ActivityJson, DirectLineStore, MemoryStoreLimits } from './store.js';
import type { TokenSigner } from './tokens.js';
import type { UploadStore } from './uploads.js';
import type { BotClient } from './botClient.js';

export interface DirectLineOptions {
  /**
   * Where the bot takes activities, e.g. `http://127.0.0.1:3978/api/messages`; a path such as
   * `/api/messages` means this same server (resolved like `serviceBaseUrl`).
   */
  botUrl: string;
  /**
   * Runs the bot's turn in-process (kefu does): the turn can then trust that the activity's user
   * is the one its Direct Line token named. Without it, activities are POSTed to `botUrl`.
   */
  deliver?: (activity: ActivityJson) => Promise<void>;
  /** How browsers reach this server (`https://shop.example/kefu`); default: from each request's Host. */
  publicBaseUrl?: string;
  /** How the bot reaches this server's connector routes; default `http://127.0.0.1:<listening port>`. */
  serviceBaseUrl?: string;
  /** Bearer secret for minting tokens; empty: open (local mode) and a random per-process token key. */
  secret: string;
  /** Uploads go under `<dataDir>/directline-uploads/`. */
  dataDir: string;
  /** Per uploaded file; one upload request may carry up to `maxUploadFiles` files. */
  maxUploadBytes: number;
  maxUploadFiles?: number;
  tokenTtlSeconds: number;
  log: Logger;
  /** `directline` (default) or `webchat`: the `channelId` the bot sees. */
  channelId?: string;
  botId?: string;
  botName?: string;
  /** How long a posted activity waits for the bot before the client gets a 502. Default 15 s. */
  botTimeoutMs?: number;
  /** Default: in memory, within `memory`. */
  store?: DirectLineStore;
  /** Bounds of the default in-memory store. */
  memory?: Partial<MemoryStoreLimits>;
  /**
   * With an empty `secret`: key material shared by every instance (from Redis), so a token or
   * connector URL made by one instance is accepted by the others. Default: random per process.
   */
  sharedKey?: string;
}

export interface DirectLine {
  /**
   * The bytes of an upload this server issued the URL for; undefined for any other URL. Lets the
   * bot read evidence without an HTTP round trip and without fetching arbitrary URLs.
   */
  resolveAttachment(url: string): Promise<{ data: Buffer; contentType: string } | undefined>;
  /** The `serviceUrl` the bot is given (includes the connector key: do not show it to users). */
  serviceUrl(): string;
  /** Closes the open streams of one conversation (or all); clients reconnect with their watermark. */
  disconnectStreams(conversationId?: string): number;
  readonly store: DirectLineStore;
  /** Deletes the files `userId` uploaded; returns how many. */
  eraseUploads(userId: string): Promise<number>;
  /** Deletes uploads made before `before`, and leftovers of interrupted uploads; returns how many. */
  sweepUploads(before: Date): Promise<number>;
  /** Closes the open WebSocket streams with `reason` (shutdown); new ones are refused. */
  closeStreams(reason?: string): Promise<void>;
  close(): Promise<void>;
}

export interface DirectLineContext {
  options: Required<
    Pick<
      DirectLineOptions,
      'secret' | 'maxUploadBytes' | 'maxUploadFiles' | 'tokenTtlSeconds' | 'channelId' | 'botId' | 'botName'
    >
  > &
    Pick<DirectLineOptions, 'publicBaseUrl'>;
  log: Logger;
  store: DirectLineStore;
  signer: TokenSigner;
  uploads: UploadStore;
  bot: BotClient;
  /** Secret path segment of the connector routes. */
  connectorKey: string;
}
