/**
 * Reading request bodies at the edge: JSON activities with a size cap enforced while reading,
 * parsed once into typed values and checked before anything stores them. Uploads are streamed
 * by `multipart.ts`.
 */
import type { Request } from 'restify';
import { checkContent, checkNesting, DEFAULT_GUARD_LIMITS, type GuardLimits } from '../security/activityGuard.js';
import { DirectLineError } from './errors.js';
import type { ActivityJson } from './store.js';

/**
 * The raw body, whether or not the app's body parser read it first (restify keeps the text it
 * parsed as `rawBody`; re-serializing a parsed body would overflow the stack on deep JSON).
 */
export async function readBody(req: Request, limit: number, what: string): Promise<Buffer> {
  const parsed = req as { files?: unknown; body?: unknown; rawBody?: unknown };
  if (parsed.files !== undefined) {
    throw new DirectLineError(415, 'UnsupportedMediaType', 'multipart bodies are accepted only by the upload route');
  }
  for (const already of [parsed.rawBody, parsed.body]) {
    if (Buffer.isBuffer(already)) return already;
    if (typeof already === 'string') return Buffer.from(already);
  }
  if (parsed.body !== undefined && parsed.body !== null) {
    try {
      return Buffer.from(JSON.stringify(parsed.body));
    } catch {
      throw new DirectLineError(400, 'BadArgument', `${what} could not be read back as JSON (nested too deep?)`);
    }
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(what, declared, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  // Stopping early leaves the rest to Node, which reads and drops it, so the client gets the 413.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(what, size, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(what: string, size: number, limit: number): DirectLineError {
  return new DirectLineError(
    413,
    'MessageSizeTooBig',
    `${what} is larger than the limit of ${formatBytes(limit)} (got at least ${formatBytes(size)})`,
  );
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

export function parseJsonObject(body: Buffer, what: string): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new DirectLineError(400, 'BadArgument', `${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DirectLineError(400, 'BadArgument', `${what} must be a JSON object`);
  }
  const refusal = checkNesting(value);
  if (refusal !== undefined) throw new DirectLineError(400, 'BadArgument', `${what} was refused: ${refusal.message}`);
  return value as Record<string, unknown>;
}

/** The bot's own replies may carry carousels and long cards, but are bounded all the same. */
export const BOT_LIMITS: GuardLimits = { maxAttachments: 50, maxTextChars: 1_000_000, maxDepth: 64 };

/**
 * Parses and checks an activity before anything stores it: shape, nesting, text and attachments
 * (a shopper's activity within the limits /api/messages applies).
 */
export function parseActivity(body: Buffer, limits: GuardLimits = DEFAULT_GUARD_LIMITS): ActivityJson {
  const activity = parseJsonObject(body, 'the activity');
  if (typeof activity.type !== 'string' || activity.type === '' || activity.type.length > 64) {
    throw new DirectLineError(
      400,
      'BadArgument',
      'the activity has no \'type\' (expected a short string such as "message")',
    );
  }
  const refusal = checkContent(activity, limits);
  if (refusal !== undefined)
    throw new DirectLineError(
      refusal.status,
      refusal.status === 413 ? 'MessageSizeTooBig' : 'BadArgument',
      `the activity was refused: ${refusal.message}`,
    );
  return activity as ActivityJson;
}
