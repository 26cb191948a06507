/**
 * The agent HTTP API (docs/api.md) and the console page, mounted on the
 * bot's restify server. Every `/api/agent/*` route needs an agent's bearer token (401 without
 * one), so a shopper can never read a case through it. Bodies are parsed here, once, into typed
 * values; HandoffError codes map to HTTP statuses in one place.
 */
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../log.js';
import type { AgentCredential } from '../config.js';
import type { EvidenceStore } from '../../domain/cases.js';
import { agentAuthenticator } from './agentAuth.js';
import { parseCloseDecision } from '../../domain/handoff/closeDecision.js';
import { consoleFiles } from './consoleFiles.js';
import { HandoffError } from '../../domain/handoff/errors.js';
import { refusal, sendHttpError } from '../httpErrors.js';
import { teamsOf } from '../../domain/handoff/routing.js';
import type { HandoffService } from './service.js';

export interface AgentApiDeps {
  service: HandoffService;
  evidence: EvidenceStore;
  agents: AgentCredential[];
  log: Logger;
  /** Why the console is off (no agents configured): its page says so instead of asking for a token. */
  consoleOff?: string;
}

/** Content types shown inline; anything else is served as a download so it cannot run as a page. */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'video/webm']);

const API_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

type Handler = (req: Request, res: Response, agent: AgentCredential) => Promise<void>;

export function mountAgentApi(server: Server, deps: AgentApiDeps): void {
  const { service, evidence, log } = deps;
  const authenticate = agentAuthenticator(deps.agents);
  const answers = {
    log,
    what: 'agent API',
    headers: API_HEADERS,
    internal: { code: 'internal', message: 'something went wrong; the case was not changed' },
  };

  const guarded =
    (handler: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      const agent = authenticate(req.header('authorization'));
      if (agent === undefined) {
        res.header('WWW-Authenticate', 'Bearer realm="kefu-agents"');
        const missing = refusal('unauthorized', 'an agent token is required: Authorization: Bearer <token>');
        sendHttpError(req, res, missing, answers);
        return;
      }
      try {
        await handler(req, res, agent);
      } catch (err) {
        sendHttpError(req, res, err, answers);
      }
    };
  const json = (res: Response, status: number, body: unknown) => res.send(status, body, API_HEADERS);
  const id = (req: Request): string => String(req.params.id ?? '');

  server.get(
    '/api/agent/me',
    guarded(async (_req, res, agent) =>
      json(res, 200, { name: agent.name, teams: teamsOf(agent.name, service.settings) ?? null }),
    ),
  );
  server.get(
    '/api/agent/queue',
    guarded(async (_req, res, agent) =>
      json(res, 200, { now: service.iso(), items: await service.queueView(agent.name) }),
    ),
  );
  server.get(
    '/api/agent/cases/:id',
    guarded(async (req, res, agent) => json(res, 200, await service.caseFile(id(req), agent.name))),
  );
  // ID and card numbers are masked in case files and live messages; this shows them, and records it.
  server.post(
    '/api/agent/cases/:id/reveal',
    guarded(async (req, res, agent) => json(res, 200, await service.reveal(id(req), agent.name))),
  );
  server.post(
    '/api/agent/cases/:id/claim',
    guarded(async (req, res, agent) => json(res, 200, await service.claim(id(req), agent.name))),
  );
  server.post(
    '/api/agent/cases/:id/release',
    guarded(async (req, res, agent) => {
      await service.release(id(req), agent.name);
      json(res, 200, { released: id(req) });
    }),
  );
  server.post(
    '/api/agent/cases/:id/messages',
    guarded(async (req, res, agent) => {
      const body = await readJson(req);
      const text = (body as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string') throw new HandoffError('bad_request', 'expected a JSON body { "text": "..." }');
      json(res, 201, await service.send(id(req), agent.name, text));
    }),
  );
  server.post(
    '/api/agent/cases/:id/close',
    guarded(async (req, res, agent) => {
      const decision = parseCloseDecision(await readJson(req));
      const c = await service.close(id(req), agent.name, decision);
      json(res, 200, { caseId: c.id, status: c.status, resolution: c.resolution });
    }),
  );

  server.get(
    '/api/agent/cases/:id/evidence/:evidenceId',
    guarded(async (req, res, agent) => {
      const file = await service.caseFile(id(req), agent.name);
      const item = file.case.evidence.find((e) => e.id === req.params.evidenceId);
      const stored = item && (await evidence.get(item.storageKey));
      if (item === undefined || stored === undefined)
        throw new HandoffError('not_found', `no evidence ${String(req.params.evidenceId)} on case ${file.case.id}`);
      const type = stored.contentType.toLowerCase();
      const inline = INLINE_TYPES.has(type);
      res.writeHead(200, {
        ...API_HEADERS,
        'Content-Type': inline ? type : 'application/octet-stream',
        'Content-Length': stored.data.length,
        'Content-Disposition': inline ? 'inline' : 'attachment',
        'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
        'Cross-Origin-Resource-Policy': 'same-origin',
      });
      res.end(stored.data);
    }),
  );

  // Server-sent events: the console reads this with fetch (EventSource cannot send a bearer token).
  server.get(
    '/api/agent/events',
    guarded(async (req, res, agent) => {
      res.writeHead(200, {
        ...API_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write(`event: hello\ndata: ${JSON.stringify({ agent: agent.name })}\n\n`);
      const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
      const done = new Promise<void>((resolve) => {
        const finish = () => {
          clearInterval(ping);
          unsubscribe();
          resolve();
        };
        const unsubscribe = service.events.subscribe(
          agent.name,
          teamsOf(agent.name, service.settings),
          (event) => res.write(`data: ${JSON.stringify(event)}\n\n`),
          () => {
            // Tells the console why the stream ends (it reconnects once kefu is back).
            res.end(`event: bye\ndata: ${JSON.stringify({ reason: 'kefu is shutting down' })}\n\n`);
            finish();
          },
        );
        req.once('close', finish);
      });
      await done;
    }),
  );

  if (deps.consoleOff !== undefined) {
    const off = `kefu: ${deps.consoleOff}\n`;
    const refuse = async (_req: Request, res: Response) => {
      res.writeHead(503, {
        ...API_HEADERS,
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(off),
      });
      res.end(off);
    };
    for (const file of consoleFiles()) for (const route of file.routes) server.get(route, refuse);
    return;
  }
  for (const file of consoleFiles()) {
    const send = async (_req: Request, res: Response) => {
      res.writeHead(200, { ...file.headers, 'Content-Length': file.body.length });
      res.end(file.body);
    };
    for (const route of file.routes) server.get(route, send);
  }
}

/** The parsed JSON body, whether or not a body parser ran before us. */
async function readJson(req: Request): Promise<unknown> {
  const parsed: unknown = req.body;
  if (parsed !== undefined && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) return parsed;
  let text: string;
  if (typeof parsed === 'string') text = parsed;
  else if (Buffer.isBuffer(parsed)) text = parsed.toString('utf8');
  else {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 64 * 1024) throw new HandoffError('bad_request', 'request body over 64 KB');
      chunks.push(chunk);
    }
    text = Buffer.concat(chunks).toString('utf8');
  }
  try {
    return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    throw new HandoffError('bad_request', 'request body is not valid JSON');
  }
}
