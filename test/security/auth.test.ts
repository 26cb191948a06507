/**
 * Bot Framework authentication with app credentials set: a channel token signed by a key from the
 * (local, test) OpenID key set is accepted; missing, forged, expired and wrong-audience tokens are
 * refused with 401 before the bot sees the activity.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { AGENT_TOKEN, DirectLineChat, startHarness, type Harness } from '../support/kefuHarness.js';
import { captureConsole } from '../support/quietConsole.js';

const APP_ID = '6f1d2c3b-0000-4a5b-9c8d-kefu-test-app';
const SERVICE_URL = 'http://127.0.0.1:9/';

describe('security: Bot Framework authentication', function () {
  this.timeout(30_000);
  let keys: http.Server;
  let h: Harness;
  let good: CryptoKey;
  let forger: CryptoKey;
  let metadataFetches = 0;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    good = pair.privateKey;
    forger = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'kefu-test-key', use: 'sig', endorsements: ['test'] };
    keys = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openid') {
        metadataFetches += 1;
        res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` }));
      } else res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => keys.listen(0, '127.0.0.1', r));
    const port = (keys.address() as AddressInfo).port;
    h = await startHarness({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'test-password-not-used',
      BotOpenIdMetadata: `http://127.0.0.1:${port}/openid`,
    });
  });

  after(async () => {
    await h?.close();
    await new Promise<void>((r) => keys.close(() => r()));
  });

  function token(key: CryptoKey, claims: { aud?: string; exp?: number; iss?: string } = {}) {
    return new SignJWT({ serviceurl: SERVICE_URL })
      .setProtectedHeader({ alg: 'RS256', kid: 'kefu-test-key' })
      .setIssuer(claims.iss ?? 'https://api.botframework.com')
      .setAudience(claims.aud ?? APP_ID)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(key);
  }

  async function post(authorization?: string, text = '你好') {
    const activity = {
      type: 'message',
      id: 'a1',
      channelId: 'test',
      serviceUrl: SERVICE_URL,
      deliveryMode: 'expectReplies',
      text,
      from: { id: 'u-auth' },
      recipient: { id: APP_ID },
      conversation: { id: `auth-${Math.random()}` },
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    return fetch(`${h.app.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
  }

  it('accepts a token signed by a key of the configured key set and runs the turn', async () => {
    const res = await post(`Bearer ${await token(good)}`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { activities: { text?: string }[] };
    expect(body.activities.map((a) => a.text).join('\n')).to.match(/你好|您好|客服/);
    expect(metadataFetches).to.be.greaterThan(0);
  });

  /** A refused request: 401, and what botbuilder printed about it is that authentication failure. */
  async function refused(authorization?: string, why = /AuthenticationError/) {
    const { result, printed } = await captureConsole(() => post(authorization));
    expect(result.status).to.equal(401);
    expect(printed)
      .to.match(why)
      .and.match(/statusCode: 401/);
  }

  it('refuses a request without a token', async () => {
    await refused(undefined, /Unauthorized Access/);
  });

  it('refuses a forged token (right key id, wrong key)', async () => {
    await refused(`Bearer ${await token(forger)}`, /invalid signature/);
  });

  it('refuses an expired token', async () => {
    await refused(
      `Bearer ${await token(good, { exp: Math.floor(Date.now() / 1000) - 3600 })}`,
      /The token has expired/,
    );
  });

  it('refuses a token for another bot', async () => {
    await refused(
      `Bearer ${await token(good, { aud: 'someone-else' })}`,
      /Invalid AppId passed on token: someone-else/,
    );
  });

  it('refuses a token from another issuer', async () => {
    await refused(`Bearer ${await token(good, { iss: 'https://evil.example' })}`, /No valid identity/);
  });

  it("answers a verified channel's shopper about their own data", async () => {
    const res = await post(`Bearer ${await token(good)}`, '我的数据');
    expect(res.status).to.equal(200);
    const { activities } = (await res.json()) as {
      activities: { text?: string; attachments?: { contentType: string; content?: { shopperId?: string } }[] }[];
    };
    const exported = activities.flatMap((a) => a.attachments ?? []).find((a) => a.contentType === 'application/json');
    expect(exported?.content?.shopperId, JSON.stringify(activities)).to.equal('u-auth');
  });

  it('runs the embedded Direct Line with app credentials too (the widget needs no anonymous endpoint)', async () => {
    const chat = await DirectLineChat.open(h.app.url, 'u-widget');
    const replies = await chat.say({ text: '我的数据' });
    expect(replies.map((r) => r.text).join('\n')).to.include('没有保存');
  });

  it("reaches the widget's Direct Line proactively with app credentials (an agent takes the case)", async () => {
    const chat = await DirectLineChat.open(h.app.url, 'u-widget-2');
    await chat.say({ text: '洗发水瓶子破了，漏了一箱' });
    await chat.say({ text: '转人工' });
    const [queued] = await h.app.stores.cases.list({ shopperId: 'u-widget-2' });
    expect(queued?.status).to.equal('escalated');
    const claim = await fetch(`${h.app.url}/api/agent/cases/${queued!.id}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(claim.status).to.equal(200);
    const sent = await fetch(`${h.app.url}/api/agent/cases/${queued!.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '您好，我来处理' }),
    });
    expect(sent.status).to.equal(201);
    let seen = '';
    for (let i = 0; i < 50 && !seen.includes('您好，我来处理'); i++) {
      seen += (await chat.read()).map((a) => `${a.text ?? ''}\n`).join('');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).to.include('人工客服 li 已接入');
    expect(seen).to.include('客服 li：您好，我来处理');
  });
});
