/**
 * The one place an error becomes an HTTP answer. A KefuError's stable `code` picks the status
 * (or the error carries one where a protocol fixes it, as Direct Line does); the message is for
 * the caller. Anything else is a bug or an outage: 500 with a generic message, and the error,
 * stack included, goes to the log, never to the caller.
 *
 * Bodies keep each API's documented shape, both built here: kefu's own APIs answer
 * `{ error: code, message, ...details }`; the embedded Direct Line answers Direct Line 3.0's
 * `{ error: { code, message } }`.
 */
import type { Request, Response } from 'restify';
import { KefuError } from '../lib/errors.js';
import type { Logger } from './log.js';

/** Codes a caller can act on, and their statuses. A code not listed here is answered as a 500. */
export const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  bad_request: 400,
  usage: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  case_not_found: 404,
  conflict: 409,
  etag_conflict: 409,
  case_update_conflict: 409,
  invalid_table: 422,
  rate_limited: 429,
  shutting_down: 503,
};

export interface HttpErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** Extra body fields (e.g. a rule table's diagnostics). */
  details?: Record<string, unknown>;
  /** True when the error was not one to show: the answer is the generic one. */
  internal: boolean;
}

export interface InternalAnswer {
  code: string;
  message: string;
}

export const DEFAULT_INTERNAL: InternalAnswer = { code: 'internal', message: 'something went wrong' };

export function httpAnswer(err: unknown, internal: InternalAnswer = DEFAULT_INTERNAL): HttpErrorAnswer {
  if (err instanceof KefuError) {
    const status = err.status ?? STATUS_OF_CODE[err.code];
    if (status !== undefined && status < 500) {
      const details = err.details();
      return { status, code: err.code, message: err.message, ...(details ? { details } : {}), internal: false };
    }
    // A 5xx a protocol asked for (Direct Line's BotError) keeps its code; its message is ours to write.
    if (status !== undefined) return { status, code: err.code, message: err.message, internal: false };
  }
  return { status: 500, ...internal, internal: true };
}

export type BodyShape = 'kefu' | 'directline';

export function errorBody(a: HttpErrorAnswer, shape: BodyShape = 'kefu'): Record<string, unknown> {
  if (shape === 'directline') return { error: { code: a.code, message: a.message } };
  return { error: a.code, message: a.message, ...a.details };
}

export interface SendErrorOptions {
  log: Logger;
  /** Names the failing API in the log line. */
  what: string;
  internal?: InternalAnswer;
  headers?: Record<string, string>;
}

/** Answers `err` on `res` in kefu's shape; logs unknown errors as errors and refusals at debug. */
export function sendHttpError(req: Request, res: Response, err: unknown, o: SendErrorOptions): HttpErrorAnswer {
  const a = httpAnswer(err, o.internal);
  if (a.internal) o.log.error({ err, path: req.path() }, `${o.what} failed`);
  else o.log.debug({ path: req.path(), status: a.status, code: a.code }, `${o.what} refused the request`);
  if (!res.headersSent) res.send(a.status, errorBody(a), o.headers);
  return a;
}

/** A refusal decided at the edge (no token, too many requests …), answered like any other error. */
export function refusal(code: string, message: string, status?: number): KefuError {
  return new KefuError(code, message, status === undefined ? undefined : { status });
}

/** Sends a refusal decided at the edge in kefu's shape; `status` only where the code's own does not fit. */
export function sendRefusal(res: Response, code: string, message: string, status?: number): void {
  const a = httpAnswer(refusal(code, message, status));
  res.send(a.status, errorBody(a));
}
