/**
 * Exactly once per activity id: a channel that redelivers an activity (same id, same
 * conversation) gets the first answer again, and nothing happens twice. The telling case: a
 * photo sent for "the item" and redelivered must not become the package photo too. Holds on
 * the embedded store and across two instances sharing Redis + PostgreSQL, also when both get
 * the same activity at the same moment.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL, dropRedisPrefix, testId } from '../store/backends.js';
import { startHarness, type Harness, type Reply } from '../support/kefuHarness.js';
import { ORDER_ID } from '../scale/driver.js';
import { FIXTURES } from '../dialogs/transcriptRunner.js';

const slot = (replies: Reply[]) =>
  [...replies].reverse().find((r) => r.channelData?.prompt)?.channelData?.prompt?.slot as string | undefined;

/** Brings a conversation to the item photo question. */
async function toPhotoStep(h: Harness, conv: string): Promise<void> {
  await h.say(conv, 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
  expect(slot(await h.say(conv, 'u-lihua', { text: ORDER_ID }))).to.equal('photo_item');
}

async function evidenceKinds(h: Harness, conv: string): Promise<string[]> {
  const cases = await h.app.stores.cases.list({ conversationId: conv });
  expect(cases, `${conv}: one case`).to.have.length(1);
  return cases[0]!.evidence.map((e) => e.kind).sort();
}

const photo = (id: string) => ({ id, attachments: [FIXTURES['photo.jpg']()] });

describe('exactly once per activity id', function () {
  this.timeout(60_000);

  describe('embedded store', () => {
    let h: Harness;
    before(async () => (h = await startHarness()));
    after(async () => h?.close());

    it('a redelivered photo gets the same answer and is stored once, as the item photo', async () => {
      await toPhotoStep(h, 'once-1');
      const first = await h.say('once-1', 'u-lihua', photo('photo-once-1'));
      expect(slot(first)).to.equal('photo_package');
      const again = await h.say('once-1', 'u-lihua', photo('photo-once-1'));
      expect(again.map((r) => r.text)).to.deep.equal(first.map((r) => r.text));
      expect(await evidenceKinds(h, 'once-1')).to.deep.equal(['photo_item']);
      // A new activity (new id) with the same picture is a new message: the package photo.
      const next = await h.say('once-1', 'u-lihua', photo('photo-once-2'));
      expect(slot(next)).not.to.equal('photo_package');
      expect(await evidenceKinds(h, 'once-1')).to.deep.equal(['photo_item', 'photo_package']);
    });

    it('holds after a restart (the ledger is in the store, not in memory)', async () => {
      await toPhotoStep(h, 'once-2');
      const first = await h.say('once-2', 'u-lihua', photo('photo-once-r'));
      await h.restart();
      const again = await h.say('once-2', 'u-lihua', photo('photo-once-r'));
      expect(again.map((r) => r.text)).to.deep.equal(first.map((r) => r.text));
      expect(await evidenceKinds(h, 'once-2')).to.deep.equal(['photo_item']);
    });

    it('the same activity id in another conversation is another activity', async () => {
      await toPhotoStep(h, 'once-3');
      expect(slot(await h.say('once-3', 'u-lihua', photo('photo-once-1')))).to.equal('photo_package');
      expect(await evidenceKinds(h, 'once-3')).to.deep.equal(['photo_item']);
    });
  });

  describe('two instances on Redis + PostgreSQL', () => {
    const id = testId();
    const env = { REDIS_URL, DATABASE_URL, REDIS_PREFIX: `kefu-test:${id}:`, DATABASE_SCHEMA: `kefu_test_${id}` };
    let a: Harness;
    let b: Harness;
    before(async () => {
      a = await startHarness(env);
      b = await startHarness(env);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      const redis = new Redis(REDIS_URL);
      await dropRedisPrefix(redis, env.REDIS_PREFIX);
      redis.disconnect();
      const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
      await pool.end();
    });

    it('a photo handled by one instance and redelivered to the other is stored once', async () => {
      await toPhotoStep(a, 'once-s1');
      const first = await a.say('once-s1', 'u-lihua', photo('photo-s1'));
      expect(slot(first)).to.equal('photo_package');
      const again = await b.say('once-s1', 'u-lihua', photo('photo-s1'));
      expect(again.map((r) => r.text)).to.deep.equal(first.map((r) => r.text));
      expect(await evidenceKinds(b, 'once-s1')).to.deep.equal(['photo_item']);
    });

    it('the same activity on both instances at once is handled once; both get its answer', async () => {
      await toPhotoStep(a, 'once-s2');
      const [ra, rb] = await Promise.all([
        a.say('once-s2', 'u-lihua', photo('photo-s2')),
        b.say('once-s2', 'u-lihua', photo('photo-s2')),
      ]);
      expect(ra.map((r) => r.text)).to.deep.equal(rb.map((r) => r.text));
      expect(slot(ra)).to.equal('photo_package');
      expect(await evidenceKinds(a, 'once-s2')).to.deep.equal(['photo_item']);
    });
  });
});
