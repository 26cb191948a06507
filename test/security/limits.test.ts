/**
 * Input limits at the edge: the shape of an activity (attachments per message, nesting, prototype
 * keys, field types), messages per conversation and requests per client address. Each refusal is
 * a 4xx or a polite reply, and is logged once.
 */
import { expect } from 'chai';
import { TokenBuckets } from '../../bot/security/rateLimit.js';
import { checkActivity } from '../../bot/security/activityGuard.js';
import { startHarness, dataUrlAttachment, PNG_1X1, type Harness } from '../support/kefuHarness.js';
import { captureLog } from './logCapture.js';

function activity(extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:9/',
    deliveryMode: 'expectReplies',
    from: { id: 'u-limits' },
    recipient: { id: 'kefu' },
    conversation: { id: 'limits-1' },
    text: '你好',
    ...extra,
  };
}

async function postRaw(h: Harness, body: string, headers: Record<string, string> = {}) {
  return fetch(`${h.app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('security: input limits', function () {
  this.timeout(30_000);

  describe('token buckets', () => {
    it('allow a burst of perMinute, then refill at perMinute per minute', () => {
      let now = 0;
      const b = new TokenBuckets(3, () => now);
      expect([b.take('k'), b.take('k'), b.take('k'), b.take('k')]).to.deep.equal([true, true, true, false]);
      expect(b.retryAfter('k')).to.equal(20);
      expect(b.take('other')).to.equal(true);
      now += 20_000;
      expect([b.take('k'), b.take('k')]).to.deep.equal([true, false]);
    });

    it('forget the least recently used key past maxKeys', () => {
      const b = new TokenBuckets(1, () => 0, 2);
      b.take('a');
      b.take('b');
      b.take('c'); // evicts a
      expect(b.take('a')).to.equal(true);
      expect(b.take('c')).to.equal(false);
    });
  });

  describe('activity shape', () => {
    it('accepts an ordinary message and names what is wrong otherwise', () => {
      expect(checkActivity(activity())).to.equal(undefined);
      expect(checkActivity(activity({ conversation: undefined }))?.message).to.match(/conversation/);
      expect(checkActivity(activity({ text: 42 }))?.message).to.match(/"text" to be a string/);
      expect(checkActivity(activity({ attachments: 'x' }))?.error).to.equal('bad_activity');
      expect(
        checkActivity(
          JSON.parse('{"type":"message","conversation":{"id":"c"},"channelData":{"__proto__":{"admin":true}}}'),
        )?.error,
      ).to.equal('forbidden_key');
    });
  });

  describe('over HTTP', () => {
    let h: Harness;
    const captured = captureLog('info');
    before(async () => {
      h = await startHarness(
        { RATE_LIMIT_CONVERSATION: '3', RATE_LIMIT_ADDRESS: '4', TRUST_PROXY: '1' },
        { log: captured.log },
      );
    });
    after(async () => h?.close());

    it('refuses more than 5 attachments in one message with 413 and takes 5', async () => {
      const file = dataUrlAttachment(PNG_1X1, 'image/png', 'p.png');
      const six = await postRaw(
        h,
        JSON.stringify(activity({ conversation: { id: 'att-6' }, attachments: Array(6).fill(file) })),
      );
      expect(six.status).to.equal(413);
      expect(((await six.json()) as { error: string }).error).to.equal('too_many_attachments');
      const five = await h.say('att-5', 'u-att', { attachments: Array(5).fill(file) });
      expect(five.length).to.be.greaterThan(0);
    });

    it('refuses JSON nested 10,000 deep and prototype keys with 400, and the server keeps serving', async () => {
      const deep = `{"type":"message","conversation":{"id":"deep"},"channelData":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const res = await postRaw(h, deep);
      expect(res.status).to.equal(400);
      expect(((await res.json()) as { error: string }).error).to.equal('too_deep');
      const proto = await postRaw(h, JSON.stringify(activity()).replace('"text"', '"__proto__":{"polluted":1},"text"'));
      expect(proto.status).to.equal(400);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect((await h.say('after-deep', 'u1', { text: '你好' })).length).to.be.greaterThan(0);
    });

    it('answers a conversation that floods once, politely, then drops the rest; others are unaffected', async () => {
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await h.say('flood', 'u-flood', { text: `你好 ${i}` }));
      expect(
        replies.slice(0, 3).every((r) => r.length > 0 && r.every((a) => a.channelData?.refused === undefined)),
      ).to.equal(true);
      expect(replies[3]!.map((a) => a.channelData?.refused)).to.deep.equal(['rate_limited']);
      expect(replies[3]![0]!.text).to.match(/太快|too quickly/);
      expect(replies[4]).to.deep.equal([]);
      expect(
        (await h.say('calm', 'u-calm', { text: '你好' })).every((a) => a.channelData?.refused === undefined),
      ).to.equal(true);
      expect(captured.lines().filter((l) => l.includes('rate limit reached (conversation)'))).to.have.length(1);
    });

    it('refuses a client address over its limit with 429 and Retry-After, logged once', async () => {
      const from = (ip: string, n: number) =>
        postRaw(h, JSON.stringify(activity({ conversation: { id: `addr-${ip}-${n}` } })), { 'x-forwarded-for': ip });
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await from('203.0.113.7', i)).status);
      expect(statuses).to.deep.equal([200, 200, 200, 200, 429, 429, 429]);
      const refused = await from('203.0.113.7', 99);
      expect(Number(refused.headers.get('retry-after'))).to.be.greaterThan(0);
      expect((await from('198.51.100.2', 0)).status).to.equal(200);
      expect(captured.lines().filter((l) => l.includes('rate limit reached (client address)'))).to.have.length(1);
    });
  });
});
