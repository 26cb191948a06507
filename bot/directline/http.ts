/**
 * Small helpers the Direct Line routes share: the async handler wrapper (CORS headers, one error
 * path, logging), the base URL a browser used to reach us, and query parsing without plugins
 * (the bot's server may or may not use restify's queryParser).
 */
import type { Request, Response } from 'restify';
import { sendError } from './errors.js';
import type { DirectLineContext } from './types.js';

/** Token-authenticated and cookie-free, so any shop page may call these routes. */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Max-Age': '600',
};

export function handler(ctx: DirectLineContext, route: string, fn: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response): Promise<void> => {
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    try {
      await fn(req, res);
    } catch (err) {
      const e = sendError(res, err);
      if (e.status >= 500) ctx.log.error({ err, route }, 'directline: request failed');
      else ctx.log.info({ route, status: e.status, code: e.code, reason: e.message }, 'directline: request refused');
    }
  };
}

export function query(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

/** How the caller reached us, for URLs we hand back (stream and attachment URLs). */
export function baseUrl(ctx: DirectLineContext, req: Request): string {
  if (ctx.options.publicBaseUrl !== undefined) return ctx.options.publicBaseUrl.replace(/\/+$/, '');
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]!
    .trim();
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = forwarded === 'https' || forwarded === 'http' ? forwarded : secure ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}

export function param(req: Request, name: string): string {
  const value: unknown = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
