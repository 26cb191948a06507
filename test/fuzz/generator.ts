/**
 * Hostile and malformed requests, generated from a seed (the same seed gives the same cases, so
 * a failure can be replayed). Each case is one HTTP request: an activity for /api/messages with
 * wrong types, missing fields, huge or deep JSON, prototype-pollution keys, script payloads or
 * hostile attachment URLs; raw bytes (invalid UTF-8, truncated JSON); a Direct Line / agent
 * API call with bad tokens, ids and bodies; and, on every route of `routes.ts`, compressed
 * bodies (valid, corrupt, bombs), multipart bodies, 50,000-deep JSON and odd methods; plus forged
 * Bot Framework tokens for a kefu with app credentials whose key endpoint is unreachable.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { ROUTES, type Route } from './routes.js';

export interface FuzzCase {
  /** Short description of what the case tries, for the report. */
  kind: string;
  method: Route['method'];
  /**
   * Path, with `{conv}` and `{token}` filled in by the runner from a live Direct Line
   * conversation, `{agent}` and `{lead}` with valid tokens, `{forged}` with a forged JWT.
   */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The request must be refused (4xx): it targets the canary conversation with a broken shape. */
  mustRefuse?: boolean;
  /** `auth`: the kefu with app credentials (and an unreachable signing key endpoint). */
  target?: 'auth';
}

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SCRIPT_PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '"><svg onload=window.__xss=1>',
  'javascript:window.__xss=1',
  '<iframe srcdoc="<script>parent.__xss=1</script>">',
  '{{constructor.constructor("window.__xss=1")()}}',
];

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e反转',
  '🥛💥'.repeat(50),
  'a'.repeat(5000),
  '牛奶过期了',
  '转人工',
  '删除我的数据',
  '我的数据',
  '是',
  '../../etc/passwd',
  '%00',
  '\\u0000',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '284716350192837465',
  '\ud800',
  '\udfff lone surrogate',
  ...SCRIPT_PAYLOADS,
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  NaN,
  [],
  {},
  [[]],
  { id: null },
  { id: 5 },
  'x',
  ['a', 1, null],
  { length: -1 },
];
const URLS = [
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  'https://127.0.0.1/',
  'https://[::1]/x',
  'https://[::ffff:7f00:1]/',
  'http://localhost:1/x',
  'gopher://x',
  'javascript:alert(1)',
  'data:',
  'data:image/png;base64,',
  'data:image/png;base64,@@@@',
  'data:text/html,<script>x</script>',
  'https://evil.example/a.png',
  '',
  'x'.repeat(3000),
];
const ACTIVITY_TYPES = [
  'message',
  'conversationUpdate',
  'event',
  'invoke',
  'typing',
  'endOfConversation',
  'messageReaction',
  'installationUpdate',
  'bogus',
  '',
];

/** 32 MB of spaces: 32 KB gzipped, twice the inflated body limit (made on first use). */
let bomb: Buffer | undefined;
const BOMB = (): Buffer => (bomb ??= gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20), { level: 9 }));
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const DEEP = (n: number) =>
  `{"type":"message","text":"deep","user":{"id":"u"},"channelData":${'['.repeat(n)}${']'.repeat(n)}}`;

export function createGenerator(seed: number, canary: string, serviceUrl: string) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const weird = (): unknown => (r() < 0.5 ? pick(WEIRD_STRINGS) : pick(WEIRD_VALUES));
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  // A lone surrogate cannot be percent-encoded; send the invalid UTF-8 it would be instead.
  const enc = (s: string) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return '%ED%A0%80';
    }
  };
  const headers = { 'content-type': 'application/json' };

  function base(conversation: string): Record<string, unknown> {
    return {
      type: 'message',
      id: `f${Math.floor(r() * 1e9)}`,
      channelId: 'fuzz',
      serviceUrl,
      deliveryMode: pick(['expectReplies', 'expectReplies', 'normal', 'x']),
      from: { id: `u-fuzz-${Math.floor(r() * 20)}`, name: pick(WEIRD_STRINGS) },
      recipient: { id: 'kefu' },
      conversation: { id: conversation },
      text: pick(WEIRD_STRINGS),
      locale: pick(['zh-CN', 'en-US', 'xx', '']),
    };
  }

  function deep(depth: number): string {
    const open = r() < 0.5 ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    return open.repeat(depth) + '1' + close.repeat(depth);
  }

  const message = (c: Partial<FuzzCase> & { kind: string; body?: Buffer }): FuzzCase => ({
    method: 'POST',
    path: '/api/messages',
    headers,
    ...c,
  });
  const fuzzConv = () => `fuzz-${Math.floor(r() * 50)}`;

  const makers: (() => FuzzCase)[] = [
    () => {
      const a = base(fuzzConv());
      a[pick(Object.keys(a))] = weird();
      return message({ kind: 'wrong type of a field', body: json(a) });
    },
    () => {
      const a = base(fuzzConv());
      for (const k of Object.keys(a)) if (r() < 0.4) delete a[k];
      return message({ kind: 'missing fields', body: json(a) });
    },
    () =>
      message({
        kind: 'script payloads in text, name and file name',
        body: json({
          ...base(fuzzConv()),
          text: `${pick(['牛奶过期了', '转人工', 'help'])} ${pick(SCRIPT_PAYLOADS)}`,
          from: { id: 'u-fuzz-x', name: pick(SCRIPT_PAYLOADS) },
          attachments: [
            { contentType: 'image/png', contentUrl: 'data:image/png;base64,iVBORw0KGgo=', name: pick(SCRIPT_PAYLOADS) },
          ],
        }),
      }),
    () =>
      message({
        kind: 'hostile attachment URL',
        body: json({
          ...base(fuzzConv()),
          attachments: [
            {
              contentType: pick(['image/png', 'text/html', '', 'application/x-msdownload']),
              contentUrl: pick(URLS),
              name: pick(WEIRD_STRINGS),
            },
          ],
        }),
      }),
    () =>
      message({
        kind: 'attachments of the wrong shape',
        body: json({
          ...base(fuzzConv()),
          attachments: pick<unknown>([
            {},
            'x',
            [null],
            [1, 2],
            [{ contentUrl: 5 }],
            Array(50).fill({ contentUrl: 'data:,' }),
          ]),
        }),
      }),
    () =>
      message({
        kind: 'other activity types with odd payloads',
        body: json({
          ...base(fuzzConv()),
          type: pick(ACTIVITY_TYPES),
          name: pick(['handoff.status', 'x', '']),
          value: weird(),
          membersAdded: pick<unknown>([[{ id: 'u' }], [{}], 'x', [null]]),
        }),
      }),
    () =>
      message({
        kind: 'card submit values',
        body: json({
          ...base(fuzzConv()),
          text: undefined,
          value: pick<unknown>([
            { complaint: weird() },
            { csat: weird() },
            { action: 'accept' },
            { accept_remedy: weird() },
            { confirm_delete: 'yes' },
            weird(),
          ]),
        }),
      }),
    () =>
      message({
        kind: 'deeply nested JSON',
        body: Buffer.from(
          `{"type":"message","conversation":{"id":"${canary}"},"channelData":${deep(50 + Math.floor(r() * 20000))}}`,
        ),
        mustRefuse: true,
      }),
    () =>
      message({
        kind: 'prototype-pollution keys',
        body: Buffer.from(
          `{"type":"message","conversation":{"id":"${canary}"},"from":{"id":"u"},"${pick(['__proto__', 'constructor', 'prototype'])}":{"polluted":true,"isAdmin":true},"text":"hi"}`,
        ),
        mustRefuse: true,
      }),
    () =>
      message({
        kind: 'nested prototype-pollution keys',
        body: Buffer.from(
          `{"type":"message","conversation":{"id":"${canary}"},"value":{"a":{"__proto__":{"polluted":true}}},"text":"hi"}`,
        ),
        mustRefuse: true,
      }),
    () =>
      message({
        kind: 'text of the wrong type at the canary',
        body: json({ ...base(canary), text: pick<unknown>([5, {}, [], true]) }),
        mustRefuse: true,
      }),
    () =>
      message({
        kind: 'invalid UTF-8',
        body: Buffer.concat([
          Buffer.from(`{"type":"message","conversation":{"id":"fuzz-utf8"},"from":{"id":"u"},"text":"`),
          Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xff, 0xfe]),
          Buffer.from('"}'),
        ]),
      }),
    () =>
      message({
        kind: 'malformed JSON',
        body: Buffer.from(
          pick([
            '{',
            '{"type":',
            'null',
            '[]',
            '"x"',
            '1',
            '{"type":"message"',
            '\u0000\u0001',
            '{"type":"message",}',
            '',
          ]),
        ),
        mustRefuse: true,
      }),
    () =>
      message({
        kind: 'wrong content type',
        headers: {
          'content-type': pick([
            'text/plain',
            'application/xml',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
          ]),
        },
        body: Buffer.from('type=message&conversation=x'),
        mustRefuse: true,
      }),
    () =>
      message({
        kind: 'huge text',
        body: json({ ...base(fuzzConv()), text: pick(['牛', 'a', '💥']).repeat(30_000 + Math.floor(r() * 200_000)) }),
      }),
    () =>
      message({
        kind: 'many keys',
        body: json({
          ...base(fuzzConv()),
          channelData: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])),
        }),
      }),
    () => ({
      kind: 'Direct Line: bad token',
      method: 'POST',
      path: '/v3/directline/conversations/{conv}/activities',
      headers: {
        ...headers,
        authorization: pick([
          'Bearer x',
          'Bearer ',
          'Basic abc',
          `Bearer ${'a'.repeat(5000)}`,
          'Bearer eyJhbGciOiJub25lIn0.eyJjb252Ijoie2NvbnZ9In0.',
        ]),
      },
      body: json({ type: 'message', text: 'hi' }),
    }),
    () => ({
      kind: 'Direct Line: odd conversation id',
      method: pick(['GET', 'POST'] as const),
      path: `/v3/directline/conversations/${enc(pick(['..%2f..', '../../etc', 'x'.repeat(2000), '%00', '{conv}x', '']))}/activities`,
      headers: { ...headers, authorization: 'Bearer {token}' },
      body: json({ type: 'message', text: 'hi' }),
    }),
    () => ({
      kind: 'Direct Line: hostile activity with a valid token',
      method: 'POST',
      path: '/v3/directline/conversations/{conv}/activities',
      headers: { ...headers, authorization: 'Bearer {token}' },
      body:
        r() < 0.3
          ? Buffer.from(pick(['{', 'null', '[]', '{"type":5}']))
          : json({
              ...base('ignored'),
              type: pick(ACTIVITY_TYPES),
              text: weird(),
              attachments: pick<unknown>([undefined, [{ contentUrl: pick(URLS) }], 'x']),
              from: weird(),
            }),
    }),
    () => ({
      kind: 'Direct Line: watermark garbage',
      method: 'GET',
      path: `/v3/directline/conversations/{conv}/activities?watermark=${enc(pick(['-1', 'abc', '1e99', '9'.repeat(400), '', '[]']))}`,
      headers: { authorization: 'Bearer {token}' },
    }),
    () => ({
      kind: 'Direct Line: upload garbage',
      method: 'POST',
      path: `/v3/directline/conversations/{conv}/upload?userId=${enc(pick(WEIRD_STRINGS))}`,
      headers: {
        authorization: 'Bearer {token}',
        'content-type': pick(['multipart/form-data; boundary=zz', 'image/png', 'application/json']),
      },
      body: Buffer.from(
        pick([
          '--zz\r\nContent-Disposition: form-data; name="file"; filename="<script>.png"\r\nContent-Type: image/png\r\n\r\nnotapng\r\n--zz--\r\n',
          '--zz',
          '{}',
          '',
        ]),
      ),
    }),
    () => ({
      kind: 'Direct Line: token endpoints',
      method: 'POST',
      path: pick(['/v3/directline/tokens/generate', '/v3/directline/tokens/refresh', '/v3/directline/conversations']),
      headers: { ...headers, authorization: pick(['Bearer {token}', 'Bearer nope', '']) },
      body: r() < 0.5 ? json({ user: weird(), conversationId: weird() }) : Buffer.from(pick(['{', '[]', 'null'])),
    }),
    () => ({
      kind: 'agent API without a valid token',
      method: pick(['GET', 'POST'] as const),
      path: pick([
        '/api/agent/queue',
        '/api/agent/me',
        '/api/agent/cases/x',
        '/api/agent/cases/../../etc/evidence/x',
        '/api/agent/cases/x/claim',
        '/api/agent/events',
      ]),
      headers: { ...headers, authorization: pick(['Bearer x', '', 'Bearer {token}']) },
      body: json({ text: pick(SCRIPT_PAYLOADS) }),
    }),
  ];

  /** A credential for a route: mostly the one that gets past its check, sometimes a wrong one. */
  const credential = (route: Route): Record<string, string> => {
    const valid = { directline: 'Bearer {token}', agent: 'Bearer {agent}', lead: 'Bearer {lead}' };
    if (route.auth === undefined || route.streams || r() < 0.3)
      return r() < 0.5 ? {} : { authorization: pick(['Bearer nope', 'Basic x', 'Bearer {token}']) };
    return { authorization: valid[route.auth] };
  };
  const anyRoute = () => pick(ROUTES);
  const activityBytes = () =>
    Buffer.from(JSON.stringify({ ...base(fuzzConv()), text: pick(['牛奶过期了', '你好', 'hi']) }));
  const multipart = (
    boundary: string,
    parts: { name: string; filename?: string; type?: string; data: Buffer }[],
    close = true,
  ): Buffer => {
    const chunks: Buffer[] = [];
    for (const p of parts) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
        ),
        p.data,
        Buffer.from('\r\n'),
      );
    }
    if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return Buffer.concat(chunks);
  };

  const everyRoute: (() => FuzzCase)[] = [
    () => {
      const route = anyRoute();
      const [encoding, body] = pick<[string, () => Buffer]>([
        ['gzip', () => gzipSync(activityBytes())],
        ['deflate', () => deflateSync(activityBytes())],
        ['br', () => brotliCompressSync(activityBytes())],
        ['gzip', () => Buffer.from('hello')],
        ['gzip', () => gzipSync(activityBytes()).subarray(0, 12)],
        ['gzip', BOMB],
        ['br', () => Buffer.from([0xff, 0xff, 0xff])],
        ['x-gzip', () => gzipSync(activityBytes())],
        ['compress', () => Buffer.from('x')],
        ['gzip, br', () => Buffer.from('x')],
        ['identity', () => activityBytes()],
      ]);
      return {
        kind: 'every route: compressed body',
        method: route.method,
        path: route.path,
        headers: { 'content-type': 'application/json', 'content-encoding': encoding, ...credential(route) },
        body: body(),
      };
    },
    () => {
      const route = r() < 0.3 ? ROUTES.find((x) => x.pattern.endsWith('/upload'))! : anyRoute();
      const boundary = pick(['zz', 'kefu-fuzz-boundary', '----WebKitFormBoundary7MA4YWxkTrZu0gW']);
      const body = pick<() => Buffer>([
        () => multipart(boundary, [{ name: 'file', filename: 'p.png', type: 'image/png', data: PNG }]),
        () =>
          multipart(boundary, [
            {
              name: 'activity',
              filename: 'blob',
              type: 'application/vnd.microsoft.activity',
              data: Buffer.from(DEEP(50_000)),
            },
            { name: 'file', filename: 'p.png', type: 'image/png', data: PNG },
          ]),
        () =>
          multipart(
            boundary,
            Array.from({ length: 7 }, (_, i) => ({ name: 'file', filename: `${i}.png`, type: 'image/png', data: PNG })),
          ),
        () =>
          multipart(boundary, [
            {
              name: 'file',
              filename: 'big.png',
              type: 'image/png',
              data: Buffer.concat([PNG, Buffer.alloc(1024 * 1024 * (1 + Math.floor(r() * 3)))]),
            },
          ]),
        () =>
          multipart(boundary, [
            {
              name: 'file',
              filename: '../../evil.exe',
              type: 'application/octet-stream',
              data: Buffer.from('MZ\x90\x00'),
            },
          ]),
        () => multipart(boundary, [{ name: 'file', filename: 'cut.png', type: 'image/png', data: PNG }], false),
        () => Buffer.from(`--${boundary}\r\n${'X-Header: y\r\n'.repeat(3000)}\r\n`),
        () => Buffer.from('not multipart at all'),
      ]);
      const type = pick([
        `multipart/form-data; boundary=${boundary}`,
        'multipart/form-data',
        `multipart/mixed; boundary=${boundary}`,
        `multipart/form-data; boundary="${boundary}"`,
      ]);
      return {
        kind: 'every route: multipart body',
        method: route.method,
        path: route.path,
        headers: { 'content-type': type, ...credential(route) },
        body: body(),
      };
    },
    () => {
      const route = anyRoute();
      return {
        kind: 'every route: 50,000-deep JSON',
        method: route.method,
        path: route.path,
        headers: { 'content-type': 'application/json', ...credential(route) },
        body: Buffer.from(DEEP(50_000)),
      };
    },
    () => {
      const route = anyRoute();
      const method = pick<FuzzCase['method']>(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']);
      const type = pick([
        'text/csv',
        'text/tab-separated-values',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        'application/merge-patch+json',
        'application/octet-stream',
        '',
      ]);
      const body = Buffer.from(
        pick(['a,b\n"c', '%E0%A4%A=x&&&', '{"text":"\ud800"}', '\u0000'.repeat(100), 'x'.repeat(70_000), '[]']),
      );
      const headers: Record<string, string> = { ...credential(route), ...(type ? { 'content-type': type } : {}) };
      if (r() < 0.2) headers['content-md5'] = 'AAAAAAAAAAAAAAAAAAAAAA==';
      return { kind: 'every route: odd method and content type', method, path: route.path, headers, body };
    },
    () => {
      const token = pick([
        'Bearer {forged}',
        'Bearer {forged}',
        'Bearer {forged}',
        'Bearer not.a.jwt',
        'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.',
        '',
      ]);
      const a = base(fuzzConv());
      return {
        kind: 'forged Bot Framework token, key endpoint unreachable',
        method: 'POST',
        path: '/api/messages',
        headers: { ...headers, ...(token ? { authorization: token } : {}) },
        body: json(a),
        target: 'auth',
      };
    },
  ];

  return (): FuzzCase => {
    // About a quarter of the cases go to every route; the rest probe the bot and the Direct Line.
    const c = r() < 0.28 ? pick(everyRoute)() : pick(makers)();
    // fetch sends no body with GET (and kefu reads none).
    if (c.method === 'GET') delete c.body;
    return c;
  };
}
