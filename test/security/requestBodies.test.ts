/**
 * Request bodies with compression enabled (ACCEPT_COMPRESSED_BODIES=true): gzip, deflate and br
 * bodies are inflated with a limit on the inflated bytes, a corrupt stream is a 400 and a bomb a
 * 413, and memory stays flat. And Bot Framework tokens that cannot be verified (the signing key
 * endpoint refuses connections or never answers) are a 401, never a 500.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { SignJWT, generateKeyPair } from 'jose';
import { startHarness, type Harness } from '../support/kefuHarness.js';
import { ConfigError, loadConfig } from '../../bot/config.js';

const activity = (conversation: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'message',
    id: `r${Math.random()}`,
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:9/',
    deliveryMode: 'expectReplies',
    from: { id: 'u-bodies' },
    recipient: { id: 'kefu' },
    conversation: { id: conversation },
    text: '牛奶过期了',
    ...extra,
  });

describe('security: request bodies', function () {
  this.timeout(60_000);

  it('reads the limits from the environment, typed, and names a bad value', () => {
    const defaults = loadConfig({});
    expect(defaults.bodies).to.deep.equal({ maxBytes: 16 * 1024 * 1024, compressed: false });
    expect(defaults.directLineMemory).to.deep.equal({ perConversation: 500, totalBytes: 64 * 1024 * 1024 });
    const set = loadConfig({
      MAX_BODY_BYTES: '1000',
      ACCEPT_COMPRESSED_BODIES: 'true',
      DIRECT_LINE_MAX_ACTIVITIES: '20',
      DIRECT_LINE_MAX_MEMORY_MB: '8',
    });
    expect(set.bodies).to.deep.equal({ maxBytes: 1000, compressed: true });
    expect(set.directLineMemory).to.deep.equal({ perConversation: 20, totalBytes: 8 * 1024 * 1024 });
    expect(() => loadConfig({ ACCEPT_COMPRESSED_BODIES: 'yes' })).to.throw(
      ConfigError,
      "ACCEPT_COMPRESSED_BODIES='yes' is not valid (expected true or false)",
    );
    expect(() => loadConfig({ DIRECT_LINE_MAX_MEMORY_MB: '0' })).to.throw(
      ConfigError,
      /DIRECT_LINE_MAX_MEMORY_MB='0' is not valid \(expected a whole number ≥ 1\)/,
    );
  });

  describe('with compression enabled', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ ACCEPT_COMPRESSED_BODIES: 'true', MAX_BODY_BYTES: String(2 * 1024 * 1024) });
    });
    after(async () => h?.close());

    const post = (body: Buffer | string, encoding: string) =>
      fetch(`${h.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });

    it('inflates gzip, deflate and br activities and runs the turn', async () => {
      for (const [encoding, pack] of [
        ['gzip', gzipSync],
        ['deflate', deflateSync],
        ['br', brotliCompressSync],
      ] as const) {
        const res = await post(pack(Buffer.from(activity(`zip-${encoding}`))), encoding);
        expect(res.status, encoding).to.equal(200);
        const { activities } = (await res.json()) as { activities: { text?: string }[] };
        expect(activities.map((a) => a.text).join('\n'), encoding).to.match(/订单/);
      }
    });

    it('answers a corrupt stream with 400 and an unknown coding with 415', async () => {
      const corrupt = await post('hello', 'gzip');
      expect(corrupt.status).to.equal(400);
      expect(((await corrupt.json()) as { message: string }).message).to.equal('the body is not valid gzip data');
      const truncated = await post(gzipSync(Buffer.from(activity('zip-cut'))).subarray(0, 20), 'gzip');
      expect(truncated.status).to.equal(400);
      expect((await post('x', 'compress')).status).to.equal(415);
      expect((await post(gzipSync(gzipSync(Buffer.from(activity('zip-2')))), 'gzip, gzip')).status).to.equal(415);
    });

    it('refuses a gzip bomb by its inflated size (413) without taking the memory', async () => {
      const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024, 0x20), { level: 9 });
      const before = process.memoryUsage().rss;
      const results = await Promise.all(Array.from({ length: 4 }, () => post(bomb, 'gzip')));
      for (const res of results) {
        expect(res.status).to.equal(413);
        expect(((await res.json()) as { message: string }).message).to.match(
          /inflated body is larger than the limit of 2097152 bytes/,
        );
      }
      expect(process.memoryUsage().rss - before).to.be.lessThan(150 * 1024 * 1024);
      // A normal turn still works afterwards.
      expect((await post(gzipSync(Buffer.from(activity('zip-after'))), 'gzip')).status).to.equal(200);
    });
  });

  describe('unverifiable Bot Framework tokens', () => {
    const APP_ID = '6f1d2c3b-0000-4a5b-9c8d-kefu-test-bodies';
    let h: Harness | undefined;
    let silent: net.Server | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
      silent?.close();
      silent = undefined;
    });

    async function forged(): Promise<string> {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT({ serviceurl: 'http://127.0.0.1:9/' })
        .setProtectedHeader({ alg: 'RS256', kid: `kid-${Math.random()}` })
        .setIssuer('https://api.botframework.com')
        .setAudience(APP_ID)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
        .sign(privateKey);
    }

    async function postWith(token: string) {
      return fetch(`${h!.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: activity(`forged-${Math.random()}`),
      });
    }

    it('answers 401 when the signing key endpoint refuses connections', async () => {
      // A port nobody listens on (taken, then released).
      const probe = http.createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((r) => probe.close(() => r()));
      h = await startHarness({
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'unused',
        BotOpenIdMetadata: `http://127.0.0.1:${port}/openid-${Math.random()}`,
      });
      const res = await postWith(await forged());
      expect(res.status).to.equal(401);
      expect((await postWith('not-a-jwt')).status).to.equal(401);
    });

    it('answers 401 when the signing key endpoint never answers, within the lookup timeout', async () => {
      silent = net.createServer(() => undefined);
      await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', r));
      const port = (silent.address() as AddressInfo).port;
      h = await startHarness({
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'unused',
        BotOpenIdMetadata: `http://127.0.0.1:${port}/openid-${Math.random()}`,
      });
      const started = Date.now();
      const res = await postWith(await forged());
      expect(res.status).to.equal(401);
      expect(Date.now() - started).to.be.within(9_000, 15_000);
    });
  });
});
