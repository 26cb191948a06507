/**
 * The one error type of the embedded Direct Line; bot/httpErrors.ts turns it into an HTTP answer.
 * The body follows Direct Line 3.0's error shape (`{ error: { code, message } }`) so
 * `botframework-directlinejs` and people reading a failed request both see what went wrong.
 * Status codes matter to the client: 403 means "token expired or not yours" and makes it
 * refresh or give up, 404 means "conversation ended", other 4xx are not retried.
 */
import type { Response } from 'restify';
import { errorBody, httpAnswer, type HttpErrorAnswer } from '../httpErrors.js';
import { KefuError } from '../../lib/errors.js';

export class DirectLineError extends KefuError {
  declare readonly status: number;

  /** Direct Line's own codes (BadArgument, TokenExpired …) and the status its clients act on. */
  constructor(status: number, code: string, message: string) {
    super(code, message, { status });
  }
}

export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

const INTERNAL = { code: 'ServiceError', message: 'internal error in the Direct Line service' };

/** Answers `err` through the one mapping (bot/httpErrors.ts), in Direct Line's body shape. */
export function sendError(res: Response, err: unknown): HttpErrorAnswer {
  const a = httpAnswer(err, INTERNAL);
  sendJson(res, a.status, errorBody(a, 'directline'));
  return a;
}
