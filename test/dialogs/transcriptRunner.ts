/**
 * Runs conversation transcripts written as data (`transcripts/*.yaml`) against the real bot over
 * HTTP. Each step sends what the shopper says (text, a file, a card value) and checks that the
 * bot's replies contain the expected ones, in order; the end checks the stored case.
 */
import { DataFileError, problemAt, readYamlSource, validated } from '../../lib/dataFile.js';
import { dataUrlAttachment, PNG_1X1, type Harness, type Reply, type Via } from '../support/kefuHarness.js';

export interface Matcher {
  text?: string;
  prompt?: Record<string, unknown>;
  triage?: Record<string, unknown>;
  handoff?: Record<string, unknown>;
  event?: string;
  buttons?: string[];
}

export interface Step {
  user?: string;
  file?: keyof typeof FIXTURES;
  value?: Record<string, unknown>;
  restart?: true;
  bot?: Matcher[];
  /** Text that must not appear in any reply of this step. */
  not?: string[];
}

export interface Transcript {
  title: string;
  shopper: string;
  locale?: string;
  /** `directline`: the shopper is signed in (the widget's token), as reading their cases needs. */
  via?: Via;
  steps: Step[];
  /** The stored case at the end (fields it must have), or `none`: the conversation opened no case. */
  case?: 'none' | (Record<string, unknown> & { evidence_kinds?: string[] });
  /** The case's entry in the handoff queue at the end (fields it must have). */
  queue?: Record<string, unknown>;
}

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
export const FIXTURES = {
  'photo.png': () => dataUrlAttachment(PNG_1X1, 'image/png', 'photo.png'),
  'photo.jpg': () => dataUrlAttachment(JPEG, 'image/jpeg', 'photo.jpg'),
  'notes.txt': () => dataUrlAttachment(Buffer.from('not a photo'), 'text/plain', 'notes.txt'),
  'fake.png': () => dataUrlAttachment(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png', 'fake.png'),
  'huge.png': () =>
    dataUrlAttachment(Buffer.concat([PNG_1X1, Buffer.alloc(11 * 1024 * 1024)]), 'image/png', 'huge.png'),
};

/**
 * What a transcript file may say. Every object is closed (`additionalProperties: false`): a
 * misspelt key such as `promt:` would otherwise be ignored, and a matcher that checks nothing
 * matches any reply, so the test would pass without testing anything. The matchers' inner
 * objects (`prompt`, `triage`, `handoff`, `case`, `queue`) need no list of their own: each key there is
 * compared with the reply, the stored case or its queue entry, so a misspelt one fails the comparison.
 */
const closed = (properties: Record<string, object>, extra: object = {}) => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...extra,
});
const partial = { type: 'object' };
const MATCHER = closed(
  {
    text: { type: 'string' },
    prompt: partial,
    triage: partial,
    handoff: partial,
    event: { type: 'string' },
    buttons: { type: 'array', items: { type: 'string' } },
  },
  { minProperties: 1 },
);
const STEP = closed(
  {
    user: { type: 'string' },
    file: { enum: Object.keys(FIXTURES) },
    value: partial,
    restart: { const: true },
    bot: { type: 'array', items: MATCHER },
    not: { type: 'array', items: { type: 'string' } },
  },
  { minProperties: 1 },
);
export const TRANSCRIPT_SCHEMA = closed(
  {
    title: { type: 'string', minLength: 1 },
    shopper: { type: 'string', minLength: 1 },
    locale: { type: 'string' },
    via: { enum: ['api', 'directline'] satisfies Via[] },
    steps: { type: 'array', minItems: 1, items: STEP },
    case: {
      anyOf: [
        { const: 'none' },
        { type: 'object', properties: { evidence_kinds: { type: 'array', items: { type: 'string' } } } },
      ],
    },
    queue: partial,
  },
  { required: ['title', 'shopper', 'steps'] },
);

/** Reads and checks a transcript file; throws DataFileError naming the file, the place and what was expected. */
export function loadTranscript(file: string): Transcript {
  const source = readYamlSource(file);
  const t = validated<Transcript>(source, TRANSCRIPT_SCHEMA);
  const silent = t.steps.findIndex(
    (s) => s.user === undefined && s.file === undefined && s.value === undefined && !s.restart,
  );
  if (silent >= 0)
    throw new DataFileError(
      problemAt(source, ['steps', silent], `steps.${silent}: sends nothing (expected user, file, value or restart)`),
    );
  return t;
}

/** Why `actual` does not contain everything in `expected` (deep, arrays exact), or undefined. */
export function mismatch(actual: unknown, expected: unknown, at = ''): string | undefined {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object')
      return `${at || 'value'}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const m = mismatch((actual as Record<string, unknown>)[k], v, at ? `${at}.${k}` : k);
      if (m) return m;
    }
    return undefined;
  }
  return JSON.stringify(actual) === JSON.stringify(expected)
    ? undefined
    : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

function matches(reply: Reply, m: Matcher): boolean {
  if (m.text !== undefined) {
    // What the page shows: the text, or the text inside a card.
    const shown = `${reply.text ?? ''} ${JSON.stringify(reply.attachments?.map((a) => a.content) ?? [])}`;
    const ok = m.text.startsWith('/') ? new RegExp(m.text.slice(1, -1)).test(shown) : shown.includes(m.text);
    if (!ok) return false;
  }
  if (m.event !== undefined && !(reply.type === 'event' && reply.name === m.event)) return false;
  if (
    m.buttons !== undefined &&
    JSON.stringify(reply.suggestedActions?.actions.map((a) => a.title)) !== JSON.stringify(m.buttons)
  )
    return false;
  for (const key of ['prompt', 'triage', 'handoff'] as const) {
    if (m[key] !== undefined && mismatch(reply.channelData?.[key], m[key])) return false;
  }
  return true;
}

const show = (replies: Reply[]) =>
  replies.map((r) => `  [${r.type}] ${r.text ?? r.name ?? ''} ${JSON.stringify(r.channelData ?? {})}`).join('\n');

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * `{{date+3}}` / `{{date-2}}`: a date relative to today, so transcripts never go stale;
 * `{{md+3}}` (12月3日) and `{{mdEn+3}}` (December 3) write it without a year, as shoppers do.
 */
export function expand(text: string, now = new Date()): string {
  const day = (days: string) => new Date(now.getTime() + Number(days) * 86_400_000);
  return text
    .replace(/\{\{date([+-]\d+)\}\}/g, (_m, days: string) => day(days).toISOString().slice(0, 10))
    .replace(
      /\{\{md([+-]\d+)\}\}/g,
      (_m, days: string) => `${day(days).getUTCMonth() + 1}月${day(days).getUTCDate()}日`,
    )
    .replace(
      /\{\{mdEn([+-]\d+)\}\}/g,
      (_m, days: string) => `${MONTHS_EN[day(days).getUTCMonth()]} ${day(days).getUTCDate()}`,
    );
}

export async function runTranscript(h: Harness, t: Transcript, conversation: string): Promise<void> {
  for (const [i, step] of t.steps.entries()) {
    if (step.restart) {
      await h.restart();
      continue;
    }
    const body: Record<string, unknown> = { locale: t.locale ?? 'zh-CN' };
    if (step.user !== undefined) body.text = expand(step.user);
    if (step.file) body.attachments = [FIXTURES[step.file]()];
    if (step.value) body.value = step.value;
    const replies = await h.say(conversation, t.shopper, body, t.via);
    let from = 0;
    for (const raw of step.bot ?? []) {
      const m = raw.text === undefined ? raw : { ...raw, text: expand(raw.text) };
      const found = replies.slice(from).findIndex((r) => matches(r, m));
      if (found < 0)
        throw new Error(
          `step ${i + 1} (${step.user ?? step.file ?? 'value'}): no reply matches ${JSON.stringify(m)}\nreplies:\n${show(replies)}`,
        );
      from += found + 1;
    }
    for (const text of (step.not ?? []).map((t) => expand(t))) {
      if (replies.some((r) => (r.text ?? '').includes(text)))
        throw new Error(`step ${i + 1}: a reply contains '${text}'\nreplies:\n${show(replies)}`);
    }
  }
}
