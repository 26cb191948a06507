/**
 * The in-memory Direct Line store is bounded: a conversation keeps its last N activities, all
 * conversations together stay under a byte budget (the least recently active go first), and an
 * activity is checked before it is stored, so one token posting for a while cannot take the
 * process's memory. Watermarks keep counting, so clients never see an activity twice.
 */
import { expect } from 'chai';
import { MemoryDirectLineStore } from '../../bot/directline/index.js';
import { call, startConversation } from './client.js';
import { startHarness, type Harness } from './echoBot.js';

type Polled = { activities: { id: string; text?: string; from: { role?: string } }[]; watermark: string };

describe('embedded Direct Line: bounded memory', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('keeps the last activities of a conversation, with watermarks that keep counting', async () => {
    h = await startHarness({ memory: { perConversation: 10 } });
    const conv = await startConversation(h.baseUrl, 'u-wang');
    const url = `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`;
    for (let i = 1; i <= 20; i++)
      expect((await call(url, { token: conv.token, json: { type: 'message', text: `m${i}` } })).status).to.equal(200);
    const polled = await call<Polled>(url, { token: conv.token });
    // 20 posts, 20 echoes and the greeting: 41 activities were appended, the last 10 are kept.
    expect(polled.body.watermark).to.equal('41');
    expect(polled.body.activities).to.have.length(10);
    expect(polled.body.activities.at(-1)!.text).to.equal('echo: m20');
    expect(polled.body.activities.map((a) => a.id.split('|')[1])).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => String(31 + i).padStart(7, '0')),
    );
    // A client that already had the first 38 gets exactly the 3 after them.
    const after = await call<Polled>(`${url}?watermark=38`, { token: conv.token });
    expect(after.body.activities.map((a) => a.text)).to.deep.equal(['echo: m19', 'm20', 'echo: m20']);
  });

  it('stays under its byte budget, dropping the least recently active conversation first', async () => {
    h = await startHarness({ memory: { totalBytes: 1024 * 1024 } });
    const store = h.directLine.store as MemoryDirectLineStore;
    const pad = 'x'.repeat(150_000);
    const convs = [];
    for (let c = 0; c < 4; c++) {
      const conv = await startConversation(h.baseUrl, `u-${c}`);
      convs.push(conv);
      const url = `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`;
      for (let i = 0; i < 3; i++)
        expect(
          (await call(url, { token: conv.token, json: { type: 'message', text: `c${c} m${i}`, channelData: { pad } } }))
            .status,
        ).to.equal(200);
    }
    // The first conversation, idle longest, is gone; the latest one is whole.
    const first = await call(`${h.baseUrl}/v3/directline/conversations/${convs[0]!.conversationId}/activities`, {
      token: convs[0]!.token,
    });
    expect(first.status).to.equal(404);
    expect(store.bytes).to.be.at.most(1024 * 1024);
    const last = await call<Polled>(`${h.baseUrl}/v3/directline/conversations/${convs[3]!.conversationId}/activities`, {
      token: convs[3]!.token,
    });
    expect(last.body.activities.filter((a) => a.from.role === 'user').map((a) => a.text)).to.deep.equal([
      'c3 m0',
      'c3 m1',
      'c3 m2',
    ]);
  });

  it('checks an activity before storing it: too deep, too long or with too many attachments is refused and not kept', async () => {
    h = await startHarness();
    const conv = await startConversation(h.baseUrl, 'u-li');
    const url = `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`;
    const deep = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${conv.token}`, 'content-type': 'application/json' },
      body: `{"type":"message","value":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    });
    expect(deep.status).to.equal(400);
    const long = await call<{ error: { message: string } }>(url, {
      token: conv.token,
      json: { type: 'message', text: 'x'.repeat(100_001) },
    });
    expect(long.status).to.equal(413);
    expect(long.body.error.message).to.match(/at most 100000/);
    const many = await call(url, {
      token: conv.token,
      json: {
        type: 'message',
        attachments: Array(6).fill({ contentType: 'image/png', contentUrl: 'https://x.example/a.png' }),
      },
    });
    expect(many.status).to.equal(413);
    const proto = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${conv.token}`, 'content-type': 'application/json' },
      body: '{"type":"message","channelData":{"__proto__":{"x":1}}}',
    });
    expect(proto.status).to.equal(400);
    const polled = await call<Polled>(url, { token: conv.token });
    expect(polled.body.activities.filter((a) => a.from.role === 'user')).to.deep.equal([]);
    expect(h.received).to.have.length(0);
  });

  it('unit: a single conversation never loses its newest activity to the byte budget', async () => {
    const store = new MemoryDirectLineStore({ totalBytes: 10_000, perConversation: 100 });
    await store.createConversation({ id: 'c', userId: 'u', createdAt: '2026-01-01T00:00:00Z' });
    for (let i = 0; i < 50; i++) await store.append('c', { type: 'message', text: 'y'.repeat(1000) });
    const { activities, watermark } = await store.activitiesSince('c', 0);
    expect(watermark).to.equal(50);
    expect(store.bytes).to.be.at.most(10_000);
    expect(activities.at(-1)!.id).to.equal('c|0000049');
    expect(activities.length).to.be.within(1, 10);
  });
});
