/**
 * Test client for the Direct Line 3.0 wire protocol: the calls `botframework-directlinejs`
 * makes, plus a WebSocket reader that collects `{ activities, watermark }` frames.
 */
import WebSocket from 'ws';

export interface Conversation {
  conversationId: string;
  token: string;
  streamUrl: string;
  expires_in: number;
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; token?: string; json?: unknown; body?: FormData } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
  let body: string | FormData | undefined = init.body;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

export async function startConversation(base: string, userId: string, secret?: string): Promise<Conversation> {
  const generated = await call<{ token: string }>(`${base}/v3/directline/tokens/generate`, {
    method: 'POST',
    token: secret,
    json: { user: { id: userId } },
  });
  if (generated.status !== 200) throw new Error(`generate: ${generated.status} ${JSON.stringify(generated.body)}`);
  const started = await call<Conversation>(`${base}/v3/directline/conversations`, {
    method: 'POST',
    token: generated.body.token,
  });
  if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body;
}

export type StreamedActivity = {
  id: string;
  type: string;
  text?: string;
  from: { id: string; role?: string };
  [k: string]: unknown;
};

export class StreamReader {
  readonly activities: StreamedActivity[] = [];
  watermark = '';
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      if (data.length === 0) return;
      const frame = JSON.parse(data.toString()) as { activities: StreamedActivity[]; watermark?: string };
      this.activities.push(...frame.activities);
      if (frame.watermark !== undefined) this.watermark = frame.watermark;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string): Promise<StreamReader> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new StreamReader(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`stream refused: HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  texts(): string[] {
    return this.activities.filter((a) => a.type === 'message').map((a) => a.text ?? '');
  }

  /** Waits until `predicate` holds; fails after `ms` so a broken feature fails the test instead of hanging it. */
  async until(predicate: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`stream: condition not met; got ${JSON.stringify(this.texts())}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  closed(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.close();
  }
}
