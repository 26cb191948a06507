/**
 * The HTTP edge: a restify server with the Bot Framework endpoint, a health check, and a
 * graceful shutdown that stops taking requests, lets in-flight turns finish, then closes.
 * Channels, the widget and the agent console mount their own routes on the same server.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from './log.js';
import { checkActivity, DEFAULT_GUARD_LIMITS, type GuardLimits } from './security/activityGuard.js';
import { TokenBuckets } from './security/rateLimit.js';
import { summarizeActivity } from './security/logSafe.js';
import { bodyGate } from './security/bodyGate.js';
import { DEFAULT_BODY_LIMITS, type BodyLimits } from './config.js';
import { sendHttpError, sendRefusal } from './httpErrors.js';

export interface ServerOptions {
  adapter: CloudAdapter;
  /** The bot's turn logic. */
  onTurn: (context: TurnContext) => Promise<void>;
  log: Logger;
  /** Largest request body (bytes, after inflating) and whether compressed bodies are inflated. */
  bodies?: Partial<BodyLimits>;
  /** Routes that stream multipart uploads themselves, after authentication; every other route refuses multipart. */
  multipartPaths?: RegExp[];
  /** Routes that read an XML body themselves (the WeCom callback); every other route refuses XML. */
  xmlPaths?: RegExp[];
  /** Extra facts for /healthz (e.g. the rule table hash). */
  health?: () => Record<string, unknown>;
  /** Readiness for /readyz: 503 unless `ready` (a store does not answer, no rule table). */
  readiness?: () => Promise<{ ready: boolean } & Record<string, unknown>>;
  /** Shape limits of activities (attachments per message, text length, nesting). */
  guard?: Partial<GuardLimits>;
  /**
   * Messages per minute per conversation (on /api/messages) and POSTs per minute per client
   * address (every route); 0: unlimited. Loopback is never limited by address: it is our own
   * Direct Line relaying, or a local proxy (set `trustProxy` so its clients are told apart).
   */
  limits?: { perConversation: number; perAddress: number; trustProxy?: boolean };
  clock?: () => number;
  /** The polite reply when a conversation sends too fast (from data/responses.yaml). */
  slowDownText?: string;
}

export interface KefuServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, waits for in-flight requests (at most `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
  inFlight(): number;
  /**
   * Runs a turn the way `/api/messages` does (per-conversation rate limit included), for
   * activities that arrive in-process (the embedded Direct Line).
   */
  turn(context: TurnContext): Promise<void>;
}

export function createServer(options: ServerOptions): KefuServer {
  const { adapter, onTurn, log } = options;
  const bodies: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...options.bodies };
  const server = restify.createServer({ name: 'kefu', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;
  const guard: GuardLimits = { ...DEFAULT_GUARD_LIMITS, ...options.guard };
  const limits = options.limits ?? { perConversation: 0, perAddress: 0 };
  const byConversation = new TokenBuckets(limits.perConversation, options.clock);
  const byAddress = new TokenBuckets(limits.perAddress, options.clock);
  // One log line per limited key until it is allowed again, so a flood cannot flood the log.
  const limited = new Set<string>();
  const tooMany = (res: Response, key: string): void => {
    if (!limited.has(key)) {
      if (limited.size > 10_000) limited.clear();
      limited.add(key);
      log.warn(
        { limit: 'address', address: key },
        'rate limit reached (client address); refusing with 429 until it refills',
      );
    }
    const wait = Math.max(1, byAddress.retryAfter(key));
    res.setHeader('Retry-After', String(wait));
    sendRefusal(res, 'rate_limited', `too many requests from this address; retry after ${wait} s`);
  };
  // Counted after authentication (inside the turn), so nobody can use up another conversation's
  // allowance with unsigned requests. The first refused message gets a polite reply; the rest of
  // a flood is dropped quietly.
  const limitedTurn = async (context: TurnContext): Promise<void> => {
    if (context.activity.type !== 'message') return onTurn(context);
    const key = `conversation:${context.activity.conversation.id}`;
    if (byConversation.take(key)) {
      limited.delete(key);
      return onTurn(context);
    }
    if (limited.has(key)) return;
    limited.add(key);
    log.warn(
      { limit: 'conversation', conversation: context.activity.conversation.id },
      'rate limit reached (conversation); messages are dropped until it refills',
    );
    await context.sendActivity({
      type: 'message',
      text: options.slowDownText ?? 'Too many messages; please wait a moment.',
      channelData: { refused: 'rate_limited', retryAfterSeconds: byConversation.retryAfter(key) },
    });
  };
  const clientAddress = (req: Request): string => {
    const socket = req.socket.remoteAddress ?? '';
    const forwarded = req.headers['x-forwarded-for'];
    if (limits.trustProxy && typeof forwarded === 'string' && forwarded.trim() !== '')
      return forwarded.split(',').at(-1)!.trim();
    return socket;
  };

  server.pre((req: Request, res: Response, next) => {
    if (draining) {
      res.setHeader('Connection', 'close');
      sendRefusal(res, 'shutting_down', 'kefu is restarting; retry shortly');
      return next(false);
    }
    if (req.method === 'POST' && limits.perAddress > 0) {
      const address = clientAddress(req);
      const loopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
      if (!loopback) {
        const key = `address:${address}`;
        if (!byAddress.take(key)) {
          tooMany(res, key);
          return next(false);
        }
        limited.delete(key);
      }
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    });
    return next();
  });
  server.pre(
    bodyGate(
      { ...bodies, multipartPaths: options.multipartPaths ?? [], xmlPaths: options.xmlPaths ?? [] },
      (req, refusal) =>
        log.info({ path: req.getPath(), status: refusal.status, reason: refusal.error }, 'request body refused'),
    ),
  );

  server.use(restify.plugins.queryParser());
  // Multipart never gets here (refused above, or marked as read by its upload route), so
  // restify's multipart parser, which writes to the system temp directory, never runs.
  server.use(restify.plugins.bodyParser({ maxBodySize: bodies.maxBytes, mapParams: false, mapFiles: false }));

  // Liveness: the process answers. It says nothing about the stores (that is /readyz), so an
  // orchestrator restarts kefu only when kefu itself is stuck, not during a database outage.
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok', ...(options.health?.() ?? {}) });
  });
  // Readiness: whether this instance can serve turns now; a balancer sends traffic elsewhere on 503.
  server.get('/readyz', async (_req: Request, res: Response) => {
    const { ready, ...facts } = (await options.readiness?.()) ?? { ready: true };
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', ...facts }, { 'Cache-Control': 'no-store' });
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const body: unknown = req.body;
    const refusal = checkActivity(body, guard);
    if (refusal) {
      log.info({ path: '/api/messages', status: refusal.status, reason: refusal.error }, 'activity refused');
      sendRefusal(res, refusal.error, refusal.message, refusal.status);
      return;
    }
    // Summarising (and masking) the activity costs more than the rest of the edge: only when it is logged.
    if (log.isLevelEnabled('debug'))
      log.debug({ activity: summarizeActivity(body as Record<string, unknown>) }, 'activity in');
    await adapter.process(req, res, limitedTurn);
  });

  // restify answers malformed JSON and oversized bodies itself; keep those 4xx and log once. Any
  // other error a route let through is answered by the one mapping, so its text never reaches the
  // caller (restify's default would send it as the message of a 500).
  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
    if (typeof err.statusCode !== 'number') {
      sendHttpError(req, res, err, { log, what: 'request' });
    } else if (err.statusCode >= 500) log.error({ err, path: req.path() }, 'request failed');
    else log.debug({ path: req.path(), status: err.statusCode, reason: err.message }, 'request refused');
    cb();
  });

  return {
    server,
    inFlight: () => inFlight,
    turn: limitedTurn,
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address !== null ? address.port : port);
        });
      });
    },
    async close(graceMs = 10_000) {
      draining = true;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          idle = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold the close open; in-flight requests are done by now.
        server.server.closeAllConnections();
      });
    },
  };
}
