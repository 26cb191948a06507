/**
 * Nobody reads or deletes a shopper's data but the shopper. "我的数据", "删除我的数据" and "where is
 * my case" act only for a shopper a token proves (the embedded Direct Line's, or a verified
 * channel's: see test/security/auth.test.ts); a bare `from.id` on the anonymous /api/messages is
 * politely sent to the signed-in chat. The Direct Line asks for the conversation's token on every
 * route of a conversation, and serves uploaded files only with it (or the URL it signed).
 */
import { expect } from 'chai';
import os from 'node:os';
import { DirectLineChat, startHarness, PNG_1X1, type Harness, type Reply } from '../support/kefuHarness.js';

const texts = (replies: Reply[]) => replies.map((r) => r.text ?? '').join('\n');
const SIGN_IN = /为了保护您的隐私.*登录后/;

/** u-wangfang, signed in through the widget, opens a case. */
async function herCase(h: Harness): Promise<string> {
  await h.say('wf', 'u-wangfang', { text: '买的进口零食生产日期可疑，快过期了，商家说批次不同拒绝处理' }, 'directline');
  await h.say('wf', 'u-wangfang', { text: '301928374650112233' }, 'directline');
  await h.say('wf', 'u-wangfang', { text: '日本卡乐比薯条三兄弟 18袋装' }, 'directline');
  const [c] = await h.app.stores.cases.list({ shopperId: 'u-wangfang' });
  expect(c, 'her case').to.not.equal(undefined);
  return c!.id;
}

describe('privacy: only the shopper reads or deletes their data', function () {
  this.timeout(60_000);
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h?.close());

  it('refuses "my data" to a bare from.id on /api/messages, showing nothing of hers', async () => {
    const caseId = await herCase(h);
    // She also has a case from a local anonymous chat (the Emulator, channel `test`).
    await h.say('her-emulator', 'u-wangfang', { text: '买的进口零食生产日期可疑，快过期了，商家说批次不同拒绝处理' });
    await h.say('her-emulator', 'u-wangfang', { text: '301928374650112233' });
    await h.say('her-emulator', 'u-wangfang', { text: '日本卡乐比薯条三兄弟 18袋装' });
    const ids = (await h.app.stores.cases.list({ shopperId: 'u-wangfang' })).map((c) => c.id);
    expect(ids).to.have.length(2).and.include(caseId);
    // Claiming her id on either channel, even her Direct Line conversation: only the Direct Line itself can say that.
    for (const body of [
      { text: '我的数据', channelId: 'directline', conversation: { id: h.directLineConversation('wf', 'u-wangfang') } },
      { text: '我的数据' },
    ]) {
      const replies = await h.say('thief-1', 'u-wangfang', body);
      for (const secret of [...ids, '301928374650112233'])
        expect(JSON.stringify(replies), `the reply shows ${secret}`).to.not.include(secret);
      expect(replies.some((r) => r.attachments?.length)).to.equal(false);
      expect(texts(replies)).to.match(SIGN_IN);
    }
  });

  it('refuses "delete my data" to a bare from.id, deleting nothing', async () => {
    await herCase(h);
    const thief = { channelId: 'directline', conversation: { id: h.directLineConversation('wf', 'u-wangfang') } };
    const ask = await h.say('thief-2', 'u-wangfang', { text: '删除我的数据', ...thief });
    const yes = await h.say('thief-2', 'u-wangfang', { text: '是的', ...thief });
    expect(await h.app.stores.cases.list({ shopperId: 'u-wangfang' }), 'her cases').to.have.length(1);
    expect(texts(yes)).to.not.match(/已删除/);
    expect(texts(ask)).to.match(SIGN_IN);
    // An anonymous shopper mid-complaint hears the refusal and carries on at the same question.
    await h.say('anon-1', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    const refused = await h.say('anon-1', 'u-lihua', { text: '删除我的数据' });
    expect(texts(refused)).to.match(SIGN_IN);
    expect(refused.at(-1)!.channelData?.prompt?.slot).to.equal('order_id');
  });

  it('refuses the case list ("where is my refund") to a bare from.id', async () => {
    const caseId = await herCase(h);
    const replies = await h.say('thief-3', 'u-wangfang', { text: '我的退款到哪了' });
    expect(texts(replies)).to.match(SIGN_IN);
    expect(texts(replies)).to.not.include(caseId);
    // She herself, signed in, gets the list.
    const mine = await h.say('wf-2', 'u-wangfang', { text: '我的退款到哪了' }, 'directline');
    expect(texts(mine)).to.include(caseId);
  });

  it('asks for the conversation token on every conversation route, also without a Direct Line secret', async () => {
    await herCase(h);
    const id = h.directLineConversation('wf', 'u-wangfang')!;
    const base = `${h.app.url}/v3/directline/conversations/${id}`;
    const read = await fetch(`${base}/activities`);
    expect(read.status).to.equal(401);
    expect(await read.text()).to.not.include('301928374650112233');
    expect((await fetch(base)).status, 'reconnect').to.equal(401);
    const post = await fetch(`${base}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: '我的数据' }),
    });
    expect(post.status).to.equal(401);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG_1X1)], { type: 'image/png' }), 'a.png');
    expect((await fetch(`${base}/upload`, { method: 'POST', body: form })).status, 'upload').to.equal(401);
  });

  it('serves an uploaded file only with its signed URL or the conversation token', async () => {
    const chat = await DirectLineChat.open(h.app.url, 'u-lihua');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG_1X1)], { type: 'image/png' }), 'photo.png');
    const up = await fetch(`${h.app.url}/v3/directline/conversations/${chat.conversationId}/upload?userId=u-lihua`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.token}` },
      body: form,
    });
    expect(up.status).to.equal(200);
    const page = (await (
      await fetch(`${h.app.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
        headers: { authorization: `Bearer ${chat.token}` },
      })
    ).json()) as { activities: { attachments?: { contentUrl: string }[] }[] };
    const signed = page.activities.flatMap((a) => a.attachments ?? [])[0]!.contentUrl;
    const bare = signed.replace(/\?.*$/, '');
    expect((await fetch(signed)).status, 'the signed URL').to.equal(200);
    expect((await fetch(bare)).status, 'no token').to.equal(403);
    expect((await fetch(`${bare}?t=forged`)).status, 'a forged signature').to.equal(403);
    expect(
      (await fetch(bare, { headers: { authorization: `Bearer ${chat.token}` } })).status,
      'the conversation token',
    ).to.equal(200);
    const other = await DirectLineChat.open(h.app.url, 'u-other');
    expect(
      (await fetch(bare, { headers: { authorization: `Bearer ${other.token}` } })).status,
      "another conversation's token",
    ).to.equal(403);
  });
});

describe('privacy: open-mode tokens from the network', function () {
  this.timeout(60_000);
  let h: Harness;
  after(async () => h?.close());

  it('gives a caller on another machine a random user, never the id it asks for', async () => {
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    // Without a LAN address there is no "other machine" to call from; loopback then stands in for
    // the control case only.
    h = await startHarness({ HOST: '0.0.0.0', ALLOW_ANONYMOUS_NETWORK: '1' }, { host: '0.0.0.0' });
    await herCase(h);
    const local = await DirectLineChat.open(h.app.url, 'u-wangfang');
    expect(
      (await h.app.directLine.store.getConversation(local.conversationId))?.userId,
      'the demo picker on this machine',
    ).to.equal('u-wangfang');
    if (lan === undefined) return;
    const remote = await DirectLineChat.open(`http://${lan}:${h.app.port}`, 'u-wangfang');
    const user = (await h.app.directLine.store.getConversation(remote.conversationId))?.userId;
    expect(user).to.match(/^dl_/);
    const replies = await remote.say({ text: '我的数据' });
    expect(texts(replies)).to.include('没有保存');
    // Starting a conversation directly (no token) from the network: the same.
    const started = await fetch(`http://${lan}:${h.app.port}/v3/directline/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: 'u-wangfang' } }),
    });
    const { conversationId } = (await started.json()) as { conversationId: string };
    expect((await h.app.directLine.store.getConversation(conversationId))?.userId).to.match(/^dl_/);
  });
});
