/**
 * Starts the real kefu (server, stores, rules, classifier, handoff) on an ephemeral port with a
 * fresh data directory, and talks to it the way a channel does: POST /api/messages with
 * `expectReplies`. A small capture server stands in for the channel's serviceUrl, so proactive
 * messages (queue updates, agent replies) can be read too.
 *
 * `say(..., 'directline')` talks as a signed-in shopper instead: through the embedded Direct
 * Line with a token minted for the user, the way the shop's widget does. Only such a shopper
 * may read or delete their own data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';
import { startApp, type App, type AppOptions } from '../../bot/app.js';

export const AGENT_TOKEN = 'agent-li-token-0123456789';
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** Calls the agent API on `baseUrl` as the harness's agent: GET without a body, POST with one. */
export function agentApi(baseUrl: string, path: string, body?: unknown, token = AGENT_TOKEN): Promise<Response> {
  return fetch(`${baseUrl}/api/agent${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The parts of kefu's channelData the tests read: the machine-readable side of a reply. */
export interface ReplyChannelData {
  prompt?: { slot: string; kind: string; choices?: string[]; optional?: boolean };
  triage?: Record<string, unknown>;
  handoff?: { caseId: string; state: string; [detail: string]: unknown };
  refused?: string;
  [key: string]: unknown;
}

export interface Reply {
  type: string;
  text?: string;
  name?: string;
  channelData?: ReplyChannelData;
  suggestedActions?: { actions: { title: string; value: unknown }[] };
  attachments?: { contentType: string; content?: unknown }[];
  value?: unknown;
}

/** The case id of the handoff among `replies`; throws, saying so, when no reply hands off. */
export function handedOffCaseId(replies: readonly Reply[]): string {
  const caseId = replies.find((r) => r.channelData?.handoff)?.channelData?.handoff?.caseId;
  if (typeof caseId !== 'string') throw new Error(`no handoff with a case id among ${replies.length} replies`);
  return caseId;
}

export interface Harness {
  app: App;
  dataDir: string;
  /** Activities the bot sent proactively to the channel, by conversation id. */
  proactive: Map<string, Reply[]>;
  /** `via`: `api` (default), anonymous /api/messages; `directline`, the token-checked widget path. */
  say(conversation: string, user: string, body: Partial<Record<string, unknown>>, via?: Via): Promise<Reply[]>;
  /** The Direct Line conversation id behind a test conversation name said `via: 'directline'`. */
  directLineConversation(conversation: string, user: string): string | undefined;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export type Via = 'api' | 'directline';

export async function startHarness(env: Record<string, string> = {}, options: AppOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-test-'));
  const { proactive, serviceUrl, close: closeChannel } = await startChannelStub();
  const config = () =>
    loadConfig({ PORT: '0', KEFU_DATA_DIR: dataDir, AGENT_TOKENS: `li:${AGENT_TOKEN}`, ...env }, ROOT);
  const open = () => startApp(config(), { log: createLogger('silent'), host: '127.0.0.1', timers: false, ...options });
  let seq = 0;
  const widgets = new Map<string, DirectLineChat>();
  const widget = async (conversation: string, user: string): Promise<DirectLineChat> => {
    const key = `${conversation}\u0000${user}`;
    let chat = widgets.get(key);
    if (chat === undefined) {
      chat = await DirectLineChat.open(harness.app.url, user, (activity) =>
        proactive.set(conversation, [...(proactive.get(conversation) ?? []), activity]),
      );
      widgets.set(key, chat);
    }
    return chat;
  };
  const harness: Harness = {
    app: await open(),
    dataDir,
    proactive,
    say: async (conversation, user, body, via = 'api') =>
      via === 'directline'
        ? (await widget(conversation, user)).say(body)
        : postActivity(harness.app.url, { id: `act-${++seq}`, serviceUrl, conversation, user, body }),
    directLineConversation: (conversation, user) => widgets.get(`${conversation}\u0000${user}`)?.conversationId,
    async restart() {
      await harness.app.close();
      // The embedded Direct Line keeps conversations in memory: a restart starts new ones.
      widgets.clear();
      harness.app = await open();
    },
    async close() {
      await harness.app.close();
      await closeChannel();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * A stand-in for a channel's serviceUrl: records the activities the bot sends proactively
 * (queue updates, agent replies), by conversation id.
 */
export async function startChannelStub(): Promise<{
  proactive: Map<string, Reply[]>;
  serviceUrl: string;
  close(): Promise<void>;
}> {
  const proactive = new Map<string, Reply[]>();
  const channel = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (m) {
        const id = decodeURIComponent(m[1]!);
        proactive.set(id, [...(proactive.get(id) ?? []), JSON.parse(body) as Reply]);
      }
      // Not chained: restify, loaded in this process too, patches writeHead to return nothing.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"x"}');
    });
  });
  await new Promise<void>((r) => channel.listen(0, '127.0.0.1', r));
  return {
    proactive,
    serviceUrl: `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((r) => {
        channel.close(() => r());
        channel.closeAllConnections();
      }),
  };
}

/**
 * Posts one message activity to `/api/messages` with `expectReplies`, the way a channel would,
 * and returns the bot's replies; any status but 200 throws with the answer's text.
 */
export async function postActivity(
  baseUrl: string,
  a: { id: string; serviceUrl: string; conversation: string; user: string; body: Partial<Record<string, unknown>> },
): Promise<Reply[]> {
  const activity = {
    type: 'message',
    id: a.id,
    channelId: 'test',
    serviceUrl: a.serviceUrl,
    deliveryMode: 'expectReplies',
    from: { id: a.user, name: a.user },
    recipient: { id: 'kefu', name: 'kefu' },
    conversation: { id: a.conversation },
    timestamp: new Date().toISOString(),
    ...a.body,
  };
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  if (res.status !== 200) throw new Error(`${baseUrl}: POST /api/messages answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { activities: Reply[] }).activities;
}

/**
 * One shopper's widget on the embedded Direct Line: a token minted for the user (open mode, from
 * loopback: the chosen id is honored), a started conversation, and per message the bot's replies
 * to it (read back from the conversation after the turn; anything else the bot sent meanwhile,
 * such as the welcome or queue updates, goes to `other`).
 */
export class DirectLineChat {
  private watermark = 0;

  private constructor(
    private readonly base: string,
    readonly conversationId: string,
    readonly token: string,
    private readonly other: (activity: Reply) => void,
  ) {}

  static async open(
    base: string,
    userId: string,
    other: (activity: Reply) => void = () => undefined,
  ): Promise<DirectLineChat> {
    const minted = await fetch(`${base}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
    });
    if (minted.status !== 200) throw new Error(`tokens/generate answered ${minted.status}: ${await minted.text()}`);
    const { token } = (await minted.json()) as { token: string };
    const started = await fetch(`${base}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (started.status !== 201) throw new Error(`conversations answered ${started.status}: ${await started.text()}`);
    const { conversationId } = (await started.json()) as { conversationId: string };
    const chat = new DirectLineChat(base, conversationId, token, other);
    // The welcome arrives on its own; wait for it so it is not mistaken for a reply later.
    for (let i = 0; i < 100 && (await chat.read()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    return chat;
  }

  /** Everything the bot sent since the last read (replies and proactive messages alike). */
  async read(): Promise<(Reply & { replyToId?: string })[]> {
    const res = await fetch(
      `${this.base}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
      { headers: { authorization: `Bearer ${this.token}` } },
    );
    if (res.status !== 200) throw new Error(`activities answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as {
      activities: (Reply & { replyToId?: string; from?: { role?: string } })[];
      watermark: string;
    };
    this.watermark = Number(page.watermark);
    return page.activities.filter((a) => a.from?.role === 'bot' && a.name !== 'kefu.erased');
  }

  async say(body: Partial<Record<string, unknown>>): Promise<Reply[]> {
    return this.replies(
      await fetch(`${this.base}/v3/directline/conversations/${this.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', ...body }),
      }),
    );
  }

  /** Sends a file the way Web Chat does (the upload route), and returns the bot's replies. */
  async upload(data: Buffer, contentType: string, name: string): Promise<Reply[]> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)], { type: contentType }), name);
    return this.replies(
      await fetch(`${this.base}/v3/directline/conversations/${this.conversationId}/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}` },
        body: form,
      }),
    );
  }

  private async replies(res: Response): Promise<Reply[]> {
    if (res.status !== 200) throw new Error(`${res.url} answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const replies: Reply[] = [];
    for (const a of await this.read()) {
      if (a.replyToId === id) replies.push(a);
      else this.other(a);
    }
    return replies;
  }
}

/** A tiny but real PNG (1x1), and other fixtures, as `data:` URL attachments. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);
export function dataUrlAttachment(data: Buffer, contentType: string, name = 'file') {
  return { contentType, contentUrl: `data:${contentType};base64,${data.toString('base64')}`, name };
}
