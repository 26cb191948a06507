import { expect } from 'chai';
import { TokenSigner } from '../../bot/directline/tokens.js';
import { call, startConversation, StreamReader, type Conversation } from './client.js';
import { startHarness, type Harness } from './echoBot.js';

const SECRET = 'shop-secret-for-tests-0123456789';

describe('embedded Direct Line: tokens', () => {
  let h: Harness;
  let zhang: Conversation;
  let li: Conversation;
  beforeEach(async () => {
    h = await startHarness({ secret: SECRET });
    zhang = await startConversation(h.baseUrl, 'u-zhang', SECRET);
    li = await startConversation(h.baseUrl, 'u-li', SECRET);
  });
  afterEach(async () => h.close());

  const activities = (conv: Conversation) =>
    `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`;

  it('mints tokens only for the holder of the secret', async () => {
    const anonymous = await call(`${h.baseUrl}/v3/directline/tokens/generate`, {
      method: 'POST',
      json: { user: { id: 'u-zhang' } },
    });
    expect(anonymous.status).to.equal(403);
    const wrong = await call(`${h.baseUrl}/v3/directline/tokens/generate`, {
      method: 'POST',
      token: 'not-the-secret',
      json: {},
    });
    expect(wrong.status).to.equal(403);
    const noAuthStart = await call(`${h.baseUrl}/v3/directline/conversations`, { method: 'POST', json: {} });
    expect(noAuthStart.status).to.equal(401);
  });

  it("never lets one shopper's token read or post to another's conversation", async () => {
    const read = await call<{ error: { message: string } }>(activities(li), { token: zhang.token });
    expect(read.status).to.equal(403);
    expect(read.body.error.message).to.contain('another conversation');
    const post = await call(activities(li), { token: zhang.token, json: { type: 'message', text: 'spoof' } });
    expect(post.status).to.equal(403);
    const reconnect = await call(`${h.baseUrl}/v3/directline/conversations/${li.conversationId}`, {
      token: zhang.token,
    });
    expect(reconnect.status).to.equal(403);
    const upload = await call(`${h.baseUrl}/v3/directline/conversations/${li.conversationId}/upload?userId=u-li`, {
      token: zhang.token,
      body: new FormData(),
    });
    expect(upload.status).to.equal(403);
    // Nothing reached Li's conversation.
    const own = await call<{ activities: { text?: string }[] }>(activities(li), { token: li.token });
    expect(own.body.activities.map((a) => a.text)).to.not.include('spoof');
    expect(h.received).to.have.length(0);
  });

  it('refuses a stream URL for another conversation and a conversation token as stream token', async () => {
    const zhangStream = new URL(zhang.streamUrl).searchParams.get('t')!;
    const crossed = li.streamUrl.replace(/t=[^&]+/, `t=${zhangStream}`);
    let error = await StreamReader.open(crossed).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(error).to.equal('stream refused: HTTP 403');
    const withConvToken = zhang.streamUrl.replace(/t=[^&]+/, `t=${zhang.token}`);
    error = await StreamReader.open(withConvToken).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(error).to.equal('stream refused: HTTP 403');
  });

  it('refuses an expired token, also for refresh', async () => {
    const signer = new TokenSigner(SECRET);
    const { token } = await signer.sign(
      { conversationId: zhang.conversationId, userId: 'u-zhang', scope: 'conv' },
      -60,
    );
    const read = await call<{ error: { code: string; message: string } }>(activities(zhang), { token });
    expect(read.status).to.equal(403);
    expect(read.body.error.code).to.equal('TokenExpired');
    expect(read.body.error.message).to.contain('expired');
    const refresh = await call(`${h.baseUrl}/v3/directline/tokens/refresh`, { method: 'POST', token });
    expect(refresh.status).to.equal(403);
  });

  it('refuses a token signed with another key', async () => {
    const { token } = await new TokenSigner('some-other-secret').sign(
      { conversationId: zhang.conversationId, userId: 'u-zhang', scope: 'conv' },
      600,
    );
    expect((await call(activities(zhang), { token })).status).to.equal(403);
  });

  it('refreshes a valid token into a new one for the same conversation and user', async () => {
    const refreshed = await call<{ token: string; conversationId: string; expires_in: number }>(
      `${h.baseUrl}/v3/directline/tokens/refresh`,
      { method: 'POST', token: zhang.token },
    );
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.conversationId).to.equal(zhang.conversationId);
    expect(refreshed.body.expires_in).to.equal(600);
    const posted = await call(activities(zhang), {
      token: refreshed.body.token,
      json: { type: 'message', text: 'after refresh' },
    });
    expect(posted.status).to.equal(200);
    expect(h.received.at(-1)).to.deep.include({ text: 'after refresh' });
    expect((h.received.at(-1)!.from as { id: string }).id).to.equal('u-zhang');
  });

  it('lets the secret holder start a conversation for a user directly', async () => {
    const started = await call<Conversation>(`${h.baseUrl}/v3/directline/conversations`, {
      method: 'POST',
      token: SECRET,
      json: { user: { id: 'u-wang' } },
    });
    expect(started.status).to.equal(201);
    const posted = await call(`${h.baseUrl}/v3/directline/conversations/${started.body.conversationId}/activities`, {
      token: started.body.token,
      json: { type: 'message', text: 'hi' },
    });
    expect(posted.status).to.equal(200);
    expect((h.received.at(-1)!.from as { id: string }).id).to.equal('u-wang');
  });
});
