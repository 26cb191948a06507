/**
 * Ctrl-C with a widget and the agent console open: the real `kefu serve` closes the widget's
 * Direct Line WebSocket and the console's event stream with a reason, and exits within 5 s.
 */
import { expect } from 'chai';
import WebSocket from 'ws';
import { startKefuProcess, type KefuProcess } from '../support/kefuProcess.js';

const AGENT = 'agent-shutdown-token-0123456789';

describe('graceful shutdown with open streams', function () {
  this.timeout(90_000);
  let kefu: KefuProcess | undefined;
  afterEach(async () => kefu?.close());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`closes the widget's stream and the console's events with a reason and exits within 5 s of ${signal}`, async () => {
      kefu = await startKefuProcess({ AGENT_TOKENS: `li:${AGENT}` });
      const minted = await fetch(`${kefu.url}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: 'u-shutdown' } }),
      });
      const { token } = (await minted.json()) as { token: string };
      const started = (await (
        await fetch(`${kefu.url}/v3/directline/conversations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { conversationId: string; streamUrl: string; token: string };
      const ws = new WebSocket(started.streamUrl);
      await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
      const wsClosed = new Promise<{ code: number; reason: string }>((resolve) =>
        ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
      );

      const events = await fetch(`${kefu.url}/api/agent/events`, { headers: { authorization: `Bearer ${AGENT}` } });
      expect(events.status).to.equal(200);
      const reader = events.body!.getReader();
      let sse = '';
      const sseEnded = (async () => {
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done) return sse;
          sse += Buffer.from(value!).toString();
        }
      })();
      // Both streams are live before the signal.
      for (let i = 0; i < 50 && !sse.includes('hello'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(sse).to.contain('event: hello');

      const exited = new Promise<number>((resolve) => kefu!.child.once('exit', () => resolve(Date.now())));
      const sent = Date.now();
      kefu.child.kill(signal);
      const gone = await Promise.race([
        exited,
        new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), 15_000)),
      ]);
      console.log(`      ${signal} → exit: ${gone - sent} ms`);
      expect(gone - sent, kefu.output()).to.be.below(5000);
      expect(await wsClosed).to.deep.equal({ code: 1001, reason: 'kefu is shutting down' });
      expect(await sseEnded)
        .to.contain('event: bye')
        .and.contain('kefu is shutting down');
      expect(kefu.exited()).to.equal('0');
    });
  }
});
