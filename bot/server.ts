/**
 * The HTTP edge: a restify server with the Bot Framework endpoint, a health check, and a
 * graceful shutdown that stops taking requests, lets in-flight turns finish, then closes.
 * Channels, the widget and the agent console mount their own routes on the same server.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from './log.js';

export interface ServerOptions {
  adapter: CloudAdapter;
  /** The bot's turn logic. */
  onTurn: (context: TurnContext) => Promise<void>;
  log: Logger;
  /** Largest request body accepted on /api/messages (bytes). */
  maxBodyBytes?: number;
  /** Extra facts for /healthz (e.g. the rule table hash). */
  health?: () => Record<string, unknown>;
}

export interface KefuServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, waits for in-flight requests (at most `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
  inFlight(): number;
}

export function createServer(options: ServerOptions): KefuServer {
  const { adapter, onTurn, log } = options;
  // Inline `data:` attachments up to the 10 MB evidence limit are ~13.4 MB of base64; anything
  // bigger than this is refused with 413 before it is parsed.
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const server = restify.createServer({ name: 'kefu', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;

  server.pre((req: Request, res: Response, next) => {
    if (draining) {
      res.setHeader('Connection', 'close');
      res.send(503, { error: 'shutting_down', message: 'kefu is restarting; retry shortly' });
      return next(false);
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    });
    return next();
  });

  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false, mapFiles: false }));

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok', ...(options.health?.() ?? {}) });
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'bad_activity', message: 'expected a JSON Bot Framework activity with a string "type"' });
      return;
    }
    await adapter.process(req, res, onTurn);
  });

  // restify answers malformed JSON and oversized bodies itself; keep those 4xx and log once.
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
    if ((err.statusCode ?? 500) >= 500) log.error({ err, path: req.path() }, 'request failed');
    else log.debug({ path: req.path(), status: err.statusCode, reason: err.message }, 'request refused');
    cb();
  });

  return {
    server,
    inFlight: () => inFlight,
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
