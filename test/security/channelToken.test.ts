/**
 * Files a channel serves only to the bot (Teams inline images) are fetched with the bot's token,
 * and that token is never sent anywhere else.
 */
import { expect } from 'chai';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { botChannelToken, isTokenHost } from '../../bot/security/channelToken.js';
import { AttachmentIntake } from '../../bot/intake.js';
import { DirEvidenceStore } from '../../bot/store/index.js';
import { PNG_1X1 } from '../support/kefuHarness.js';

const KEY = Symbol('ConnectorClient');
function contextWithToken(token: string): TurnContext {
  const state = new Map<symbol, unknown>([[KEY, { credentials: { getToken: async () => token } }]]);
  return {
    adapter: { ConnectorClientKey: KEY },
    turnState: { get: (k: symbol) => state.get(k) },
  } as unknown as TurnContext;
}

describe('channel token for channel-served files', () => {
  it('knows the Bot Framework file hosts and nothing that merely looks like them', () => {
    expect(isTokenHost(new URL('https://smba.trafficmanager.net/apac/v3/attachments/1/views/original'))).to.equal(true);
    expect(isTokenHost(new URL('https://directline.botframework.com/attachments/x'))).to.equal(true);
    expect(isTokenHost(new URL('https://smba.trafficmanager.net.evil.example/x'))).to.equal(false);
    expect(isTokenHost(new URL('http://smba.trafficmanager.net/x'))).to.equal(false);
    expect(isTokenHost(new URL('https://example.com/botframework.com'))).to.equal(false);
  });

  it('gives the bot token for those hosts only, and none in anonymous mode', async () => {
    const ctx = contextWithToken('tok-123');
    expect(await botChannelToken(false)(ctx, new URL('https://smba.trafficmanager.net/x'))).to.equal('tok-123');
    expect(await botChannelToken(false)(ctx, new URL('https://cdn.example.com/x'))).to.equal(undefined);
    expect(await botChannelToken(true)(ctx, new URL('https://smba.trafficmanager.net/x'))).to.equal(undefined);
  });

  it('sends the token with the download, so a file that needs it is taken', async () => {
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      // Not chained: restify, loaded in this process, patches writeHead to return nothing.
      if (req.headers.authorization !== 'Bearer tok-123') {
        res.writeHead(401);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG_1X1);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.png`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-token-'));
    const intake = (token?: string) =>
      new AttachmentIntake({
        evidence: new DirEvidenceStore(dir),
        maxBytes: 1024 * 1024,
        resolvers: [],
        allowLoopback: true,
        now: () => new Date(),
        channelToken: async () => token,
      });
    try {
      const ctx = contextWithToken('unused');
      expect(await intake(undefined).take(ctx, { contentUrl: url }, 'photo_item', ['image'])).to.deep.equal({
        ok: false,
        reason: 'fetch_failed',
      });
      const taken = await intake('tok-123').take(ctx, { contentUrl: url }, 'photo_item', ['image']);
      expect(taken.ok).to.equal(true);
      expect(seen).to.deep.equal([undefined, 'Bearer tok-123']);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
