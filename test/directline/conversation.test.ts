import { expect } from 'chai';
import { call, startConversation, StreamReader, type StreamedActivity } from './client.js';
import { startHarness, type Harness } from './echoBot.js';

describe('embedded Direct Line: conversations', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it('starts a conversation from a generated token bound to the user', async () => {
    const conv = await startConversation(h.baseUrl, 'u-zhang');
    expect(conv.streamUrl).to.match(
      new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${conv.conversationId}/stream\\?`),
    );
    expect(conv.expires_in).to.equal(600);
    // botframework-directlinejs reads the user id from the token's `user` claim.
    const claims = JSON.parse(Buffer.from(conv.token.split('.')[1]!, 'base64url').toString()) as {
      user: string;
      conv: string;
    };
    expect(claims).to.include({ user: 'u-zhang', conv: conv.conversationId });
  });

  it('keeps the locale given when the token was minted, since Web Chat starts with an empty body', async () => {
    const generated = await call<{ token: string }>(`${h.baseUrl}/v3/directline/tokens/generate`, {
      json: { user: { id: 'u-emily' }, locale: 'en-US' },
    });
    const started = await call<{ conversationId: string; token: string }>(`${h.baseUrl}/v3/directline/conversations`, {
      method: 'POST',
      token: generated.body.token,
    });
    expect(started.status).to.equal(201);
    expect((await h.directLine.store.getConversation(started.body.conversationId))?.locale).to.equal('en-US');
    // A refreshed token keeps it too.
    const refreshed = await call<{ token: string }>(`${h.baseUrl}/v3/directline/tokens/refresh`, {
      method: 'POST',
      token: started.body.token,
    });
    const claims = JSON.parse(Buffer.from(refreshed.body.token.split('.')[1]!, 'base64url').toString()) as {
      loc?: string;
    };
    expect(claims.loc).to.equal('en-US');
  });

  it('streams the greeting, the echo of the post and the reply, in order', async () => {
    const conv = await startConversation(h.baseUrl, 'u-zhang');
    const stream = await StreamReader.open(conv.streamUrl);
    await stream.until(() => stream.texts().includes('welcome u-zhang'));
    const posted = await call<{ id: string }>(
      `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`,
      {
        token: conv.token,
        json: {
          type: 'message',
          text: '洗发水瓶子破了',
          from: { id: 'someone-else' },
          channelData: { clientActivityID: 'c1' },
        },
      },
    );
    expect(posted.status).to.equal(200);
    expect(posted.body.id).to.equal(`${conv.conversationId}|0000001`);
    await stream.until(() => stream.texts().includes('echo: 洗发水瓶子破了'));
    expect(stream.texts()).to.deep.equal(['welcome u-zhang', '洗发水瓶子破了', 'echo: 洗发水瓶子破了']);
    const echo = stream.activities[1]!;
    // The echo carries the client's id for Web Chat to match, and the token's user, not the claimed one.
    expect(echo).to.deep.include({ id: posted.body.id });
    expect(echo.from.id).to.equal('u-zhang');
    expect(echo.channelData).to.deep.equal({ clientActivityID: 'c1' });
    expect(stream.activities[2]!.from.role).to.equal('bot');
    expect(stream.watermark).to.equal('3');
    // The bot saw a directline activity whose serviceUrl leads back here; clients never see it.
    expect(h.received[0]).to.deep.include({ channelId: 'directline', serviceUrl: h.directLine.serviceUrl() });
    expect(stream.activities.every((a: StreamedActivity) => a.serviceUrl === undefined)).to.equal(true);
    stream.close();
  });

  it('serves the same activities by polling, after a watermark', async () => {
    const conv = await startConversation(h.baseUrl, 'u-li');
    const url = `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`;
    await call(url, { token: conv.token, json: { type: 'message', text: 'one' } });
    await call(url, { token: conv.token, json: { type: 'message', text: 'two' } });
    const all = await call<{ activities: StreamedActivity[]; watermark: string }>(`${url}?watermark=`, {
      token: conv.token,
    });
    const texts = all.body.activities.map((a) => a.text);
    expect(texts).to.include.members(['one', 'echo: one', 'two', 'echo: two']);
    const after = await call<{ activities: StreamedActivity[]; watermark: string }>(
      `${url}?watermark=${all.body.watermark}`,
      { token: conv.token },
    );
    expect(after.body).to.deep.equal({ activities: [], watermark: all.body.watermark });
    const lastTwo = await call<{ activities: StreamedActivity[] }>(
      `${url}?watermark=${Number(all.body.watermark) - 2}`,
      { token: conv.token },
    );
    expect(lastTwo.body.activities.map((a) => a.text)).to.deep.equal(['two', 'echo: two']);
  });

  it('delivers proactive messages sent later by the bot', async () => {
    const conv = await startConversation(h.baseUrl, 'u-wang');
    const stream = await StreamReader.open(conv.streamUrl);
    await call(`${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`, {
      token: conv.token,
      json: { type: 'message', text: 'burst 2' },
    });
    await stream.until(() => stream.texts().includes('burst armed'));
    await h.releaseBurst();
    await stream.until(() => stream.texts().includes('proactive 2'));
    expect(stream.texts().slice(-2)).to.deep.equal(['proactive 1', 'proactive 2']);
    stream.close();
  });

  it('resumes a dropped stream after its watermark with nothing lost or repeated', async () => {
    const conv = await startConversation(h.baseUrl, 'u-chen');
    const first = await StreamReader.open(conv.streamUrl);
    await call(`${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`, {
      token: conv.token,
      json: { type: 'message', text: 'burst 5' },
    });
    await first.until(() => first.texts().includes('burst armed'));
    expect(h.directLine.disconnectStreams(conv.conversationId)).to.equal(1);
    await first.closed();
    // Sent while no stream is open: they must arrive on the next one.
    await h.releaseBurst();
    const again = await call<{ streamUrl: string; token: string }>(
      `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}?watermark=${first.watermark}`,
      { token: conv.token },
    );
    expect(again.status).to.equal(200);
    expect(again.body.streamUrl).to.contain(`watermark=${first.watermark}`);
    const second = await StreamReader.open(again.body.streamUrl);
    await second.until(() => second.texts().includes('proactive 5'));
    expect(second.texts()).to.deep.equal(['proactive 1', 'proactive 2', 'proactive 3', 'proactive 4', 'proactive 5']);
    const ids = [...first.activities, ...second.activities].map((a) => a.id);
    expect(new Set(ids).size).to.equal(ids.length);
    second.close();
  });

  it('refuses connector calls without the key the bot was given', async () => {
    const conv = await startConversation(h.baseUrl, 'u-li');
    const res = await call(
      `${h.baseUrl}/directline/connector/wrong-key/v3/conversations/${conv.conversationId}/activities`,
      { json: { type: 'message', text: 'spoof' } },
    );
    expect(res.status).to.equal(401);
    const good = await call(`${h.directLine.serviceUrl()}/v3/conversations/${conv.conversationId}/activities`, {
      json: { type: 'message', text: 'agent reply' },
    });
    expect(good.status).to.equal(200);
  });
});
