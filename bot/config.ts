/**
 * Configuration from the environment, parsed once into a typed value. A bad value stops start-up
 * with a message naming the variable, what came and what was expected.
 */
import path from 'node:path';
import { DEFAULT_MEMORY_LIMITS, type MemoryStoreLimits } from './directline/store.js';
import { KefuError } from '../lib/errors.js';

export interface AgentCredential {
  /** Shown in the console and stored on cases the agent touches. */
  name: string;
  token: string;
}

export interface Config {
  port: number;
  /**
   * The address to listen on (`HOST`). Default: 127.0.0.1 in local anonymous mode (nothing else
   * on the network can reach an unauthenticated bot), 0.0.0.0 with app credentials.
   */
  host: string;
  /**
   * `ALLOW_ANONYMOUS_NETWORK=1`: anonymous mode may listen on a non-loopback `HOST`. Logged loudly
   * at start; for a trusted lab network only.
   */
  anonymousOnNetwork: boolean;
  /** `production` refuses to start without Bot Framework credentials. */
  env: 'development' | 'production' | 'test';
  microsoftAppId: string;
  microsoftAppPassword: string;
  microsoftAppType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  microsoftAppTenantId: string;
  /** Empty app id: Bot Framework authentication is off (local anonymous mode). */
  anonymous: boolean;
  rulesFile: string;
  ordersFile: string;
  dataDir: string;
  redisUrl?: string;
  databaseUrl?: string;
  /** PostgreSQL schema for cases and evidence (`DATABASE_SCHEMA`, default `kefu`). */
  databaseSchema?: string;
  /** Prefix of every Redis key (`REDIS_PREFIX`, default `kefu:`). */
  redisPrefix?: string;
  /** Where evidence files are kept (`EVIDENCE_STORE`): `dir` (default, under dataDir) or `postgres`. */
  evidenceStore?: 'dir' | 'postgres';
  /** Redis state not written for this long expires (`STATE_TTL_SECONDS`, default 30 days; 0: never). */
  stateTtlSeconds?: number;
  /** Secret a shop's page server uses to mint Direct Line tokens; empty: open (local mode). */
  directLineSecret: string;
  /**
   * How the bot reaches the embedded Direct Line's connector routes (`DIRECT_LINE_SERVICE_URL`);
   * default this instance on loopback. With several instances, point it at the load balancer so a
   * proactive message still arrives when the instance of the shopper's last turn is gone.
   */
  directLineServiceUrl?: string;
  /** Agents allowed into the console, from `AGENT_TOKENS=name:token,name:token`. */
  agents: AgentCredential[];
  /** Support leads (`LEAD_TOKENS=name:token,...`): analytics and rule activation at /lead. */
  leads?: AgentCredential[];
  logLevel: string;
  /** `BotOpenIdMetadata`: where channel signing keys are looked up (default: the public Bot Framework). */
  botOpenIdMetadata?: string;
  /** `ATTACHMENT_HOSTS`: host names (and their subdomains) channel attachment URLs may come from. */
  attachmentHosts?: string[];
  /** `RETENTION_DAYS`: closed cases and their files are purged this long after their last change (0: keep). */
  retentionDays?: number;
  /** `RATE_LIMIT_CONVERSATION` / `RATE_LIMIT_ADDRESS`: messages per minute (0: unlimited). */
  rateLimits?: { perConversation: number; perAddress: number };
  /** `TRUST_PROXY=1`: the client address is the last hop of X-Forwarded-For (behind our own proxy). */
  trustProxy?: boolean;
  /** Timeouts, the outbox to channels and activity idempotency (docs/operations.md). */
  resilience?: Resilience;
  /** Request body limits (docs/security.md, "Request limits"). */
  bodies?: BodyLimits;
  /**
   * Bounds of the in-memory Direct Line store (one instance; Redis has its own TTLs):
   * `DIRECT_LINE_MAX_ACTIVITIES` per conversation, `DIRECT_LINE_MAX_MEMORY_MB` for all.
   */
  directLineMemory?: MemoryStoreLimits;
  /** The WeCom 微信客服 channel (docs/wecom.md); absent: off. */
  wecom?: WeComSettings;
}

/** `WECOM_CORP_ID`, `WECOM_KF_SECRET`, `WECOM_TOKEN`, `WECOM_ENCODING_AES_KEY`, `WECOM_API_BASE`. */
export interface WeComSettings {
  corpId: string;
  /** The 微信客服 Secret (gettoken's corpsecret). */
  secret: string;
  /** The callback Token (signatures). */
  token: string;
  /** The callback EncodingAESKey: 43 letters and digits. */
  aesKey: string;
  /** Default https://qyapi.weixin.qq.com; tests point it at a stand-in. */
  apiBase: string;
}

/** How kefu bounds its waits on dependencies and channels. Every time is in milliseconds. */
export interface Resilience {
  /** `STORE_CONNECT_TIMEOUT_MS`: opening a Redis or PostgreSQL connection. */
  connectTimeoutMs: number;
  /** `STORE_TIMEOUT_MS`: one Redis command or PostgreSQL query. */
  storeTimeoutMs: number;
  /** `READY_TIMEOUT_MS`: each store probe of `/readyz`. */
  readyTimeoutMs: number;
  outbox: {
    /** `OUTBOX_MAX`: messages waiting for channels; a new one is dropped (and logged) when full. */
    max: number;
    /** `OUTBOX_TIMEOUT_MS`: one delivery attempt to a channel's serviceUrl. */
    timeoutMs: number;
    /** `OUTBOX_ATTEMPTS`: tries per message before it is dropped (and logged). */
    attempts: number;
    /** `OUTBOX_BACKOFF_MS`: wait before the first retry, doubled for each next one. */
    backoffMs: number;
  };
  /** `ACTIVITY_DEDUPE_SECONDS`: how long a handled activity id and its replies are remembered. */
  dedupeSeconds: number;
  /** `SHUTDOWN_TIMEOUT_MS`: the longest SIGTERM waits for in-flight work before it closes anyway. */
  shutdownMs: number;
}

export const DEFAULT_RESILIENCE: Resilience = {
  connectTimeoutMs: 3000,
  storeTimeoutMs: 3000,
  readyTimeoutMs: 1000,
  outbox: { max: 1000, timeoutMs: 10_000, attempts: 5, backoffMs: 1000 },
  dedupeSeconds: 3600,
  shutdownMs: 15_000,
};

export interface BodyLimits {
  /** `MAX_BODY_BYTES`: largest request body, counted after inflating (default 16 MB). */
  maxBytes: number;
  /** `ACCEPT_COMPRESSED_BODIES=true`: inflate gzip/deflate/br bodies; otherwise they get 415. */
  compressed: boolean;
}

/** Inline `data:` attachments up to the 10 MB evidence limit are ~13.4 MB of base64. */
export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 16 * 1024 * 1024, compressed: false };

export class ConfigError extends KefuError {
  constructor(message: string) {
    super('config', message);
  }
}

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
const ENVS = ['development', 'production', 'test'] as const;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name}='${value}' is not valid (expected one of ${allowed.join(', ')})`);
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`${name}='${value}' is not valid (expected a port number 0..65535)`);
  }
  return n;
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`${name}='${value}' is not valid (expected whole seconds ≥ 0)`);
  return n;
}

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`${name}='${value}' is not valid (expected a whole number ≥ 0)`);
  return n;
}

function millis(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 600_000)
    throw new ConfigError(`${name}='${value}' is not valid (expected whole milliseconds 1..600000)`);
  return n;
}

function resilience(env: NodeJS.ProcessEnv): Resilience {
  const d = DEFAULT_RESILIENCE;
  const attempts = count('OUTBOX_ATTEMPTS', env.OUTBOX_ATTEMPTS, d.outbox.attempts);
  if (attempts < 1)
    throw new ConfigError(`OUTBOX_ATTEMPTS='${env.OUTBOX_ATTEMPTS}' is not valid (expected a whole number ≥ 1)`);
  return {
    connectTimeoutMs: millis('STORE_CONNECT_TIMEOUT_MS', env.STORE_CONNECT_TIMEOUT_MS, d.connectTimeoutMs),
    storeTimeoutMs: millis('STORE_TIMEOUT_MS', env.STORE_TIMEOUT_MS, d.storeTimeoutMs),
    readyTimeoutMs: millis('READY_TIMEOUT_MS', env.READY_TIMEOUT_MS, d.readyTimeoutMs),
    outbox: {
      max: count('OUTBOX_MAX', env.OUTBOX_MAX, d.outbox.max),
      timeoutMs: millis('OUTBOX_TIMEOUT_MS', env.OUTBOX_TIMEOUT_MS, d.outbox.timeoutMs),
      attempts,
      backoffMs: millis('OUTBOX_BACKOFF_MS', env.OUTBOX_BACKOFF_MS, d.outbox.backoffMs),
    },
    dedupeSeconds: seconds('ACTIVITY_DEDUPE_SECONDS', env.ACTIVITY_DEDUPE_SECONDS, d.dedupeSeconds),
    shutdownMs: millis('SHUTDOWN_TIMEOUT_MS', env.SHUTDOWN_TIMEOUT_MS, d.shutdownMs),
  };
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name}='${value}' is not valid (expected a whole number ≥ 1)`);
  return n;
}

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new ConfigError(`${name}='${value}' is not valid (expected true or false)`);
}

function agents(value: string | undefined, variable = 'AGENT_TOKENS'): AgentCredential[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((pair, i) => {
    const at = pair.indexOf(':');
    const name = pair.slice(0, at).trim();
    const token = pair.slice(at + 1).trim();
    if (at < 1 || token.length < 16) {
      throw new ConfigError(
        `${variable} entry ${i + 1} is not valid (expected name:token with a token of 16 or more characters)`,
      );
    }
    return { name, token };
  });
}

const WECOM_VARS = ['WECOM_CORP_ID', 'WECOM_KF_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

function wecom(env: NodeJS.ProcessEnv): WeComSettings | undefined {
  const [corpId, secret, token, aesKey] = WECOM_VARS.map((name) => env[name]?.trim() ?? '');
  const missing = WECOM_VARS.filter((name) => (env[name]?.trim() ?? '') === '');
  if (missing.length === WECOM_VARS.length) return undefined;
  if (missing.length > 0)
    throw new ConfigError(`the WeCom channel needs ${WECOM_VARS.join(', ')}; missing: ${missing.join(', ')}`);
  if (!/^[A-Za-z0-9]{43}$/.test(aesKey!))
    throw new ConfigError(
      `WECOM_ENCODING_AES_KEY is not valid (expected the 43 letters and digits of the EncodingAESKey, got ${aesKey!.length} characters)`,
    );
  return {
    corpId: corpId!,
    secret: secret!,
    token: token!,
    aesKey: aesKey!,
    apiBase: httpUrl('WECOM_API_BASE', env.WECOM_API_BASE) ?? 'https://qyapi.weixin.qq.com',
  };
}

function httpUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/i.test(value.trim())) {
    throw new ConfigError(`${name}='${value}' is not valid (expected an http(s) URL such as http://10.0.0.5:3978)`);
  }
  return value.trim().replace(/\/+$/, '');
}

const LOOPBACK_HOSTS = /^(127(\.\d{1,3}){3}|::1|localhost|::ffff:127(\.\d{1,3}){3})$/i;

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.test(host.replace(/^\[|\]$/g, ''));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = process.cwd()): Config {
  const appId = env.MicrosoftAppId?.trim() ?? '';
  const config: Config = {
    port: port('PORT', env.PORT, 3978),
    host: env.HOST?.trim() || (appId === '' ? '127.0.0.1' : '0.0.0.0'),
    anonymousOnNetwork: flag('ALLOW_ANONYMOUS_NETWORK', env.ALLOW_ANONYMOUS_NETWORK),
    env: oneOf('NODE_ENV', env.NODE_ENV, ENVS, 'development'),
    microsoftAppId: appId,
    microsoftAppPassword: env.MicrosoftAppPassword ?? '',
    microsoftAppType: oneOf('MicrosoftAppType', env.MicrosoftAppType, APP_TYPES, 'MultiTenant'),
    microsoftAppTenantId: env.MicrosoftAppTenantId ?? '',
    anonymous: appId === '',
    rulesFile: path.resolve(root, env.RULES_FILE || 'data/rules.yaml'),
    ordersFile: path.resolve(root, env.ORDERS_FILE || 'data/orders.yaml'),
    dataDir: path.resolve(root, env.KEFU_DATA_DIR || 'var'),
    redisUrl: env.REDIS_URL || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || 'kefu',
    redisPrefix: env.REDIS_PREFIX || 'kefu:',
    evidenceStore: oneOf('EVIDENCE_STORE', env.EVIDENCE_STORE, ['dir', 'postgres'] as const, 'dir'),
    stateTtlSeconds: seconds('STATE_TTL_SECONDS', env.STATE_TTL_SECONDS, 30 * 24 * 3600),
    directLineSecret: env.DIRECT_LINE_SECRET ?? '',
    directLineServiceUrl: httpUrl('DIRECT_LINE_SERVICE_URL', env.DIRECT_LINE_SERVICE_URL),
    agents: agents(env.AGENT_TOKENS),
    leads: agents(env.LEAD_TOKENS, 'LEAD_TOKENS'),
    logLevel: env.LOG_LEVEL || 'info',
    botOpenIdMetadata: env.BotOpenIdMetadata || undefined,
    attachmentHosts: env.ATTACHMENT_HOSTS
      ? env.ATTACHMENT_HOSTS.split(',')
          .map((h) => h.trim().toLowerCase())
          .filter((h) => h !== '')
      : undefined,
    retentionDays: count('RETENTION_DAYS', env.RETENTION_DAYS, 365),
    rateLimits: {
      perConversation: count('RATE_LIMIT_CONVERSATION', env.RATE_LIMIT_CONVERSATION, 30),
      perAddress: count('RATE_LIMIT_ADDRESS', env.RATE_LIMIT_ADDRESS, 600),
    },
    trustProxy: flag('TRUST_PROXY', env.TRUST_PROXY),
    resilience: resilience(env),
    bodies: {
      maxBytes: positive('MAX_BODY_BYTES', env.MAX_BODY_BYTES, DEFAULT_BODY_LIMITS.maxBytes),
      compressed: flag('ACCEPT_COMPRESSED_BODIES', env.ACCEPT_COMPRESSED_BODIES),
    },
    directLineMemory: {
      perConversation: positive(
        'DIRECT_LINE_MAX_ACTIVITIES',
        env.DIRECT_LINE_MAX_ACTIVITIES,
        DEFAULT_MEMORY_LIMITS.perConversation,
      ),
      totalBytes:
        positive(
          'DIRECT_LINE_MAX_MEMORY_MB',
          env.DIRECT_LINE_MAX_MEMORY_MB,
          DEFAULT_MEMORY_LIMITS.totalBytes / 1024 / 1024,
        ) *
        1024 *
        1024,
    },
    wecom: wecom(env),
  };
  if (config.env === 'production' && config.anonymous) {
    throw new ConfigError(
      'NODE_ENV=production needs MicrosoftAppId and MicrosoftAppPassword (anonymous mode is for local use only)',
    );
  }
  if (config.anonymous && !isLoopbackHost(config.host) && !config.anonymousOnNetwork) {
    throw new ConfigError(
      `HOST='${config.host}' is not valid in local anonymous mode (expected a loopback address such as 127.0.0.1): ` +
        'set MicrosoftAppId and MicrosoftAppPassword, or ALLOW_ANONYMOUS_NETWORK=1 to expose an unauthenticated bot on purpose',
    );
  }
  return config;
}
