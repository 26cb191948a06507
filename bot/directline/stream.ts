/**
 * The Direct Line WebSocket stream: `GET /v3/directline/conversations/:id/stream?t=&watermark=`
 * upgraded on the restify server's own HTTP server. Each frame is `{ activities, watermark }`.
 * A (re)connecting client first gets everything after its watermark, then every later append,
 * with no gap and no duplicate: we subscribe before reading the backlog and drop buffered
 * appends the backlog already covered. Other upgrade paths are left to their own listeners.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { DirectLineError } from './errors.js';
import type { AppendedActivity } from './store.js';
import type { DirectLineContext } from './types.js';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/?]+)\/stream$/;
const HEARTBEAT_MS = 30_000;

export interface StreamHub {
  disconnect(conversationId?: string): number;
  /**
   * Stops taking streams and closes the open ones with 1001 "going away" and `reason`, so a
   * widget knows kefu is restarting; a socket that does not finish the close handshake within
   * `graceMs` is dropped. Open WebSockets are not HTTP requests: nothing else would end them,
   * and they would hold the process open after SIGTERM.
   */
  close(reason?: string, graceMs?: number): Promise<void>;
}

export const SHUTDOWN_REASON = 'kefu is shutting down';

export function mountStreams(http: HttpServer, ctx: DirectLineContext): StreamHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Map<WebSocket, string>();
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (match === null) return;
    const conversationId = decodeURIComponent(match[1]!);
    void authorize(ctx, conversationId, url.searchParams.get('t') ?? '').then(
      () =>
        wss.handleUpgrade(
          req,
          socket,
          head,
          (ws) => void attach(ws, conversationId, url.searchParams.get('watermark') ?? ''),
        ),
      (err: unknown) => {
        const e = err instanceof DirectLineError ? err : new DirectLineError(500, 'ServiceError', 'internal error');
        socket.end(
          `HTTP/1.1 ${e.status} ${e.code}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${e.message}\n`,
        );
        ctx.log.info({ status: e.status, reason: e.message }, 'directline: stream refused');
      },
    );
  };

  async function attach(ws: WebSocket, conversationId: string, mark: string): Promise<void> {
    sockets.set(ws, conversationId);
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    // The client pings with empty messages; there is nothing to answer.
    ws.on('message', () => alive.add(ws));
    const pending: AppendedActivity[] = [];
    let live = false;
    let sentUpTo = /^\d+$/.test(mark) ? Number(mark) : 0;
    const send = (a: AppendedActivity): void => {
      if (a.watermark <= sentUpTo || ws.readyState !== ws.OPEN) return;
      sentUpTo = a.watermark;
      ws.send(JSON.stringify({ activities: [a.activity], watermark: String(a.watermark) }));
    };
    const unsubscribe = ctx.store.subscribe(conversationId, (a) => (live ? send(a) : pending.push(a)));
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
    try {
      const backlog = await ctx.store.activitiesSince(conversationId, sentUpTo);
      if (backlog.activities.length > 0 && ws.readyState === ws.OPEN) {
        ws.send(JSON.stringify({ activities: backlog.activities, watermark: String(backlog.watermark) }));
      }
      sentUpTo = Math.max(sentUpTo, backlog.watermark);
      for (const a of pending) send(a);
      live = true;
    } catch (err) {
      ctx.log.error({ err, conversationId }, 'directline: stream backlog failed');
      ws.close(1011, 'backlog failed');
    }
  }

  const heartbeat = setInterval(() => {
    for (const ws of sockets.keys()) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  http.on('upgrade', onUpgrade);
  return {
    disconnect(conversationId) {
      let n = 0;
      for (const [ws, id] of sockets) {
        if (conversationId === undefined || id === conversationId) {
          ws.terminate();
          n++;
        }
      }
      return n;
    },
    async close(reason = SHUTDOWN_REASON, graceMs = 1000) {
      clearInterval(heartbeat);
      http.off('upgrade', onUpgrade);
      const open = [...sockets.keys()];
      const closed = open.map(
        (ws) =>
          new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))),
      );
      for (const ws of open) ws.close(1001, reason);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
    },
  };
}

async function authorize(ctx: DirectLineContext, conversationId: string, token: string): Promise<void> {
  const claims = await ctx.signer.verify(token, 'stream');
  if (claims.conversationId !== conversationId)
    throw new DirectLineError(403, 'Forbidden', 'this stream token belongs to another conversation');
  if ((await ctx.store.getConversation(conversationId)) === undefined)
    throw new DirectLineError(404, 'NotFound', 'no such conversation');
}
