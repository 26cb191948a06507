/**
 * The shape check every request to `/api/messages` passes before botbuilder sees it. botbuilder
 * trusts the activity's fields; a missing conversation, a number where text belongs, JSON nested
 * thousands deep (recursive code later overflows its stack) or a `__proto__` key (copied into
 * state by spreads) would turn into 500s or worse. Each refusal names what was expected.
 */
export interface Refusal {
  status: 400 | 413;
  error: string;
  message: string;
}

export interface GuardLimits {
  /** Most attachments one message may carry. */
  maxAttachments: number;
  /** Longest text accepted at the edge (the bot itself shortens long text politely). */
  maxTextChars: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = { maxAttachments: 5, maxTextChars: 100_000, maxDepth: 32 };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function refuse(error: string, message: string, status: 400 | 413 = 400): Refusal {
  return { status, error, message };
}

/** Walks the value without recursion, so a hostile depth cannot overflow this check either. */
export function checkNesting(value: unknown, maxDepth: number = DEFAULT_GUARD_LIMITS.maxDepth): Refusal | undefined {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return refuse('too_deep', `JSON nested more than ${maxDepth} levels deep`);
    if (Array.isArray(v)) {
      for (const item of v) stack.push({ v: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key))
        return refuse('forbidden_key', `the key "${key}" is not accepted anywhere in an activity`);
      stack.push({ v: (v as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const shortString = (v: unknown, max = 1024): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Undefined when the body may go to the bot; otherwise why not. */
export function checkActivity(body: unknown, limits: GuardLimits = DEFAULT_GUARD_LIMITS): Refusal | undefined {
  if (!isRecord(body) || typeof body.type !== 'string') {
    return refuse('bad_activity', 'expected a JSON Bot Framework activity with a string "type"');
  }
  const deep = checkNesting(body, limits.maxDepth);
  if (deep) return deep;
  return checkRouting(body, limits);
}

/** The fields botbuilder routes on: present, strings, short, well-formed. */
function checkRouting(body: Record<string, unknown>, limits: GuardLimits): Refusal | undefined {
  if (!shortString(body.type, 64)) return refuse('bad_activity', '"type" must be a string of 1..64 characters');
  if (!isRecord(body.conversation) || !shortString(body.conversation.id, 512)) {
    return refuse('bad_activity', 'expected "conversation": { "id": string of 1..512 characters }');
  }
  // Conversation state is keyed by channel and conversation; replies go from the recipient to the sender.
  if (!shortString(body.channelId, 256))
    return refuse('bad_activity', 'expected "channelId": string of 1..256 characters');
  if (!isRecord(body.from) || !shortString(body.from.id, 512))
    return refuse('bad_activity', 'expected "from": { "id": string of 1..512 characters }');
  if (!isRecord(body.recipient) || !shortString(body.recipient.id, 512))
    return refuse('bad_activity', 'expected "recipient": { "id": string of 1..512 characters }');
  for (const party of [body.from, body.recipient]) {
    if (party.name !== undefined && party.name !== null && typeof party.name !== 'string')
      return refuse('bad_activity', 'expected "from.name" and "recipient.name" to be strings');
  }
  for (const field of [
    'serviceUrl',
    'id',
    'locale',
    'deliveryMode',
    'name',
    'timestamp',
    'localTimestamp',
    'replyToId',
    'textFormat',
    'inputHint',
  ] as const) {
    if (body[field] !== undefined && !shortString(body[field], 2048))
      return refuse('bad_activity', `expected "${field}" to be a string of 1..2048 characters`);
  }
  // Replies go to serviceUrl (without it the SDK falls back to the public Bot Framework service).
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(body.serviceUrl))
    return refuse('bad_activity', 'expected "serviceUrl" to be an http(s) URL');
  // Ids end up percent-encoded in reply URLs, which throws on a lone UTF-16 surrogate.
  const ids = [
    body.conversation.id,
    body.from.id,
    body.recipient.id,
    body.channelId,
    body.serviceUrl,
    body.id,
    body.replyToId,
  ];
  for (const id of ids) {
    if (typeof id === 'string' && LONE_SURROGATE.test(id))
      return refuse('bad_activity', 'ids and URLs must be well-formed Unicode');
  }
  return checkFields(body, limits);
}

/**
 * What a client may put in an activity whatever carries it (the Direct Line fills in the routing
 * fields itself): nesting, forbidden keys, text, attachments, members and entities.
 */
export function checkContent(
  body: Record<string, unknown>,
  limits: GuardLimits = DEFAULT_GUARD_LIMITS,
): Refusal | undefined {
  return checkNesting(body, limits.maxDepth) ?? checkFields(body, limits);
}

function checkFields(body: Record<string, unknown>, limits: GuardLimits): Refusal | undefined {
  if (body.text !== undefined && body.text !== null && typeof body.text !== 'string')
    return refuse('bad_activity', 'expected "text" to be a string');
  if (typeof body.text === 'string' && body.text.length > limits.maxTextChars) {
    return refuse(
      'text_too_long',
      `text is ${body.text.length} characters; at most ${limits.maxTextChars} are accepted`,
      413,
    );
  }
  if (body.attachments !== undefined && body.attachments !== null) {
    if (!Array.isArray(body.attachments) || !body.attachments.every(isRecord))
      return refuse('bad_activity', 'expected "attachments" to be an array of objects');
    if (body.attachments.length > limits.maxAttachments) {
      return refuse(
        'too_many_attachments',
        `${body.attachments.length} attachments in one message; at most ${limits.maxAttachments} are accepted`,
        413,
      );
    }
    for (const a of body.attachments) {
      if (a.contentUrl !== undefined && typeof a.contentUrl !== 'string')
        return refuse('bad_activity', 'expected attachment "contentUrl" to be a string');
      if (a.contentType !== undefined && typeof a.contentType !== 'string')
        return refuse('bad_activity', 'expected attachment "contentType" to be a string');
      if (a.name !== undefined && a.name !== null && typeof a.name !== 'string')
        return refuse('bad_activity', 'expected attachment "name" to be a string');
    }
  }
  if (
    body.membersAdded !== undefined &&
    (!Array.isArray(body.membersAdded) || !body.membersAdded.every((m) => isRecord(m) && shortString(m.id, 512)))
  ) {
    return refuse('bad_activity', 'expected "membersAdded" to be an array of { "id": string }');
  }
  if (body.entities !== undefined && !Array.isArray(body.entities))
    return refuse('bad_activity', 'expected "entities" to be an array');
  return undefined;
}
