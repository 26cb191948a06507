/**
 * The first look at every request body, before routing and before any parser: restify's own
 * reader would gunzip without a limit on the inflated size and without handling a corrupt
 * stream (one 5-byte "gzip" body killed the process), and its multipart parser writes every file
 * to the system temp directory before any route has checked who is calling. So:
 * - a compressed body is refused with 415, unless compression is enabled; then it is inflated
 *   here with a limit on the inflated bytes, and a corrupt stream is a 400;
 * - a multipart body is refused with 415 on every route but the upload routes, whose handlers
 *   stream it to the data directory after authentication;
 * - a body of a type no route reads (CSV, XML, ...) is refused with 415.
 * Everything else goes on to the body parser unchanged.
 */
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Request, Response } from 'restify';
import type { BodyLimits } from '../config.js';
import { sendRefusal as sendHttpRefusal } from '../httpErrors.js';

export interface BodyGateOptions extends BodyLimits {
  /** Paths whose handlers read multipart bodies themselves (after authentication). */
  multipartPaths: readonly RegExp[];
  /** Paths that take an XML body (WeCom's signed callbacks); everywhere else XML is refused. */
  xmlPaths?: readonly RegExp[];
}

export interface BodyRefusal {
  status: 400 | 413 | 415;
  error: string;
  message: string;
}

/**
 * The body types any kefu route reads; anything else (restify would hand CSV to a parser whose
 * errors become 500s) is refused up front. Multipart is handled apart, above.
 */
const READABLE_TYPES = /^(application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|octet-stream)|text\/plain)?$/;

const INFLATERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

export function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** The codings applied to the body, outermost last; `identity` means none. */
export function contentCodings(req: Request): string[] {
  const header = req.headers['content-encoding'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
}

/** Why the body may not be read at all, before a byte of it is; undefined when it may. */
export function refuseBody(req: Request, options: BodyGateOptions): BodyRefusal | undefined {
  if (!hasBody(req)) return undefined;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const codings = contentCodings(req);
  if (type.startsWith('multipart/')) {
    const path = req.getPath();
    if (!options.multipartPaths.some((p) => p.test(path))) {
      return {
        status: 415,
        error: 'unsupported_media_type',
        message: `multipart bodies are accepted only by upload routes; ${path} takes application/json`,
      };
    }
    if (codings.length > 0)
      return {
        status: 415,
        error: 'unsupported_media_type',
        message: 'uploads must not be compressed (send Content-Encoding: identity)',
      };
    return undefined;
  }
  const media = type.split(';')[0]!.trim();
  const xml = /^(text|application)\/xml$/.test(media) && (options.xmlPaths ?? []).some((p) => p.test(req.getPath()));
  if (!xml && !READABLE_TYPES.test(media)) {
    return {
      status: 415,
      error: 'unsupported_media_type',
      message: `bodies of type '${media}' are not accepted (expected application/json)`,
    };
  }
  if (codings.length === 0) return undefined;
  if (!options.compressed) {
    return {
      status: 415,
      error: 'unsupported_media_type',
      message: `compressed request bodies (Content-Encoding: ${codings.join(', ')}) are not accepted; send the body uncompressed`,
    };
  }
  if (codings.length > 1 || INFLATERS[codings[0]!] === undefined) {
    return {
      status: 415,
      error: 'unsupported_media_type',
      message: `Content-Encoding '${codings.join(', ')}' is not supported (expected one of gzip, deflate, br)`,
    };
  }
  return undefined;
}

/**
 * Inflates a compressed body, stopping as soon as the compressed or the inflated size passes
 * `maxBytes` (so a gzip bomb costs at most `maxBytes` of memory). Never throws: a corrupt stream
 * is a 400 refusal.
 */
export function inflateBody(req: Request, maxBytes: number): Promise<Buffer | BodyRefusal> {
  const coding = contentCodings(req)[0]!;
  const inflater = INFLATERS[coding]!();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let inflated = 0;
    let settled = false;
    const finish = (result: Buffer | BodyRefusal): void => {
      if (settled) return;
      settled = true;
      req.unpipe(inflater);
      inflater.destroy();
      resolve(result);
    };
    const tooLarge = (what: string): BodyRefusal => ({
      status: 413,
      error: 'body_too_large',
      message: `the ${what} body is larger than the limit of ${maxBytes} bytes`,
    });
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) finish(tooLarge('compressed'));
    });
    inflater.on('data', (chunk: Buffer) => {
      inflated += chunk.length;
      if (inflated > maxBytes) return finish(tooLarge('inflated'));
      chunks.push(chunk);
    });
    inflater.on('end', () => finish(Buffer.concat(chunks)));
    inflater.on('error', () =>
      finish({ status: 400, error: 'bad_encoding', message: `the body is not valid ${coding} data` }),
    );
    req.on('error', () => finish({ status: 400, error: 'bad_request', message: 'the request body could not be read' }));
    req.pipe(inflater);
  });
}

/**
 * Reads and throws away a refused body of up to `maxBytes`, so a client still sending gets the
 * answer instead of a broken pipe; past that (or on a read error) it stops, and the connection
 * closes after the answer.
 */
export function discardBody(req: Request, res: Response, maxBytes: number): Promise<void> {
  if (req.readableEnded || !hasBody(req)) return Promise.resolve();
  if (req.destroyed) {
    res.setHeader('Connection', 'close');
    return Promise.resolve();
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  return new Promise((resolve) => {
    let seen = 0;
    let settled = false;
    const done = (keepAlive: boolean): void => {
      if (settled) return;
      settled = true;
      req.off('data', count);
      if (!keepAlive && !res.headersSent) res.setHeader('Connection', 'close');
      resolve();
    };
    const count = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) done(false);
    };
    if (declared > maxBytes) return done(false);
    req.on('data', count);
    req.once('end', () => done(true));
    req.once('error', () => done(false));
    req.once('close', () => done(false));
  });
}

/** Sends a refusal (after discarding the body, see above). */
export async function sendRefusal(req: Request, res: Response, refusal: BodyRefusal, maxBytes: number): Promise<void> {
  await discardBody(req, res, maxBytes);
  if (refusal.status === 415) res.setHeader('Accept-Encoding', 'identity');
  sendHttpRefusal(res, refusal.error, refusal.message, refusal.status);
}

/**
 * A restify `pre` handler applying the rules above. An inflated body is handed on as if it had
 * arrived uncompressed: restify's parser then only parses it (`_readBody` marks it as read).
 */
export function bodyGate(options: BodyGateOptions, onRefuse: (req: Request, refusal: BodyRefusal) => void) {
  return (req: Request, res: Response, next: (proceed?: boolean) => void): void => {
    const refusal = refuseBody(req, options);
    if (refusal !== undefined) {
      onRefuse(req, refusal);
      void sendRefusal(req, res, refusal, options.maxBytes).then(() => next(false));
      return;
    }
    if (!hasBody(req) || contentCodings(req).length === 0) {
      // `identity` only: restify's reader refuses any Content-Encoding header it does not inflate.
      delete req.headers['content-encoding'];
      next();
      return;
    }
    void inflateBody(req, options.maxBytes).then((result) => {
      if (!Buffer.isBuffer(result)) {
        onRefuse(req, result);
        return void sendRefusal(req, res, result, options.maxBytes).then(() => next(false));
      }
      delete req.headers['content-encoding'];
      Object.assign(req, { body: result.toString('utf8'), _readBody: true });
      return next();
    });
  };
}
