/**
 * Starts the real kefu (server, stores, rules, classifier, handoff) on an ephemeral port with a
 * fresh data directory, and talks to it the way a channel does: POST /api/messages with
 * `expectReplies`. A small capture server stands in for the channel's serviceUrl, so proactive
 * messages (queue updates, agent replies) can be read too.
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

export interface Reply {
  type: string;
  text?: string;
  name?: string;
  channelData?: Record<string, any>;
  suggestedActions?: { actions: { title: string; value: unknown }[] };
  attachments?: { contentType: string; content?: unknown }[];
  value?: unknown;
}

export interface Harness {
  app: App;
  dataDir: string;
  /** Activities the bot sent proactively to the channel, by conversation id. */
  proactive: Map<string, Reply[]>;
  say(conversation: string, user: string, body: Partial<Record<string, unknown>>): Promise<Reply[]>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, options: AppOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-test-'));
  const { proactive, serviceUrl, close: closeChannel } = await startChannelStub();
  const config = () => loadConfig({ PORT: '0', KEFU_DATA_DIR: dataDir, AGENT_TOKENS: `li:${AGENT_TOKEN}`, ...env }, ROOT);
  const open = () => startApp(config(), { log: createLogger('silent'), host: '127.0.0.1', timers: false, ...options });
  let seq = 0;
  const harness: Harness = {
    app: await open(),
    dataDir,
    proactive,
    say: (conversation, user, body) => postActivity(harness.app.url, { id: `act-${++seq}`, serviceUrl, conversation, user, body }),
    async restart() {
      await harness.app.close();
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
export async function startChannelStub(): Promise<{ proactive: Map<string, Reply[]>; serviceUrl: string; close(): Promise<void> }> {
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
  const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  if (res.status !== 200) throw new Error(`${baseUrl}: POST /api/messages answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { activities: Reply[] }).activities;
}

/** A tiny but real PNG (1x1), and other fixtures, as `data:` URL attachments. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
export function dataUrlAttachment(data: Buffer, contentType: string, name = 'file') {
  return { contentType, contentUrl: `data:${contentType};base64,${data.toString('base64')}`, name };
}
