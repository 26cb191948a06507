/**
 * Erase and purge are complete. The inventory below is every place kefu keeps a shopper's data
 * on the embedded backend: the SQLite tables (cases with their transcripts, conversation state,
 * the handoff queue, evidence, and any table added later: all are searched), the evidence
 * directory, the Direct Line's uploads directory, the Direct Line's transcripts, and `.tmp`
 * leftovers of interrupted writes in both directories. After "删除我的数据" and after
 * `kefu purge`, none of them holds the shopper's id, phone or ID number, or a file of theirs. And
 * erasing in one conversation leaves the shopper's other open conversation working.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../bot/cli/main.js';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DirectLineChat, PNG_1X1, startHarness, type Harness, type Reply } from '../support/kefuHarness.js';
import { DATABASE_URL, REDIS_URL, dropRedisPrefix, testId } from '../store/backends.js';
import { evidenceRows } from './evidenceRows.js';

const PHONE = '13812345678';
const ID_NUMBER = '110101199003074578';
const GENERIC_ERROR = /系统出了点问题|something went wrong/;
const texts = (replies: Reply[]) => replies.map((r) => r.text ?? '').join('\n');
const slotOf = (replies: Reply[]) => replies.at(-1)?.channelData?.prompt?.slot as string | undefined;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every row of every SQLite table, as text. */
function sqliteText(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'kefu.sqlite'), { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables, 'the tables searched').to.include.members(['cases', 'state', 'handoff_queue']);
    return tables.map((t) => `${t}: ${JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())}`).join('\n');
  } finally {
    db.close();
  }
}

/** A stale leftover of a write interrupted an hour and more ago. */
function leftover(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `${PHONE} half-written`);
  const old = new Date(Date.now() - 2 * 3600_000);
  utimesSync(file, old, old);
  return file;
}

/** u-lihua's story 1 over the widget: a case, her phone and ID number, a photo uploaded. */
async function fillEverything(h: Harness): Promise<{ open: DirectLineChat; other: DirectLineChat }> {
  const open = await DirectLineChat.open(h.app.url, 'u-lihua');
  expect(slotOf(await open.say({ text: `洗发水瓶子破了，漏了一箱。我手机${PHONE}，身份证${ID_NUMBER}` }))).to.equal(
    'order_id',
  );
  expect(texts(await open.say({ text: '284716350192837465' }))).to.include('已为您创建工单');
  expect(texts(await open.upload(PNG_1X1, 'image/png', 'photo.png'))).to.match(/已收到/);
  const other = await DirectLineChat.open(h.app.url, 'u-lihua');
  await other.say({ text: `你好，我的电话是${PHONE}` });
  leftover(path.join(h.dataDir, 'evidence', 'ab'), 'abcd.1234.tmp');
  leftover(path.join(h.dataDir, 'directline-uploads'), 'x.json.5678.tmp');
  // The inventory is not empty to begin with, so "empty afterwards" means something.
  expect(evidenceRows(h.dataDir), 'the photo, a row of the SQLite file').to.have.length(1);
  expect(filesUnder(path.join(h.dataDir, 'evidence')).length).to.be.greaterThan(0);
  expect(filesUnder(path.join(h.dataDir, 'directline-uploads')).length).to.be.greaterThan(1);
  expect(sqliteText(h.dataDir)).to.include('u-lihua').and.to.include(PHONE);
  return { open, other };
}

function expectNothingOfHers(dataDir: string): void {
  const rows = sqliteText(dataDir);
  for (const secret of ['u-lihua', PHONE, ID_NUMBER, '284716350192837465'])
    expect(rows, `SQLite still holds ${secret}`).to.not.include(secret);
  expect(evidenceRows(dataDir), 'evidence in the SQLite file').to.deep.equal([]);
  expect(filesUnder(path.join(dataDir, 'evidence')), 'evidence directory').to.deep.equal([]);
  expect(filesUnder(path.join(dataDir, 'directline-uploads')), 'uploads directory').to.deep.equal([]);
}

describe('privacy: erase and purge are complete', function () {
  this.timeout(60_000);
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h?.close());

  it("erase empties every place the shopper's data is kept", async () => {
    const { open, other } = await fillEverything(h);
    const upload = (await (
      await fetch(`${h.app.url}/v3/directline/conversations/${open.conversationId}/activities`, {
        headers: { authorization: `Bearer ${open.token}` },
      })
    ).json()) as { activities: { attachments?: { contentUrl: string }[] }[] };
    const photoUrl = upload.activities.flatMap((a) => a.attachments ?? [])[0]!.contentUrl;
    expect((await fetch(photoUrl)).status).to.equal(200);

    const ask = await other.say({ text: '删除我的数据' });
    expect(ask.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'confirm_delete' });
    expect(texts(await other.say({ text: '是的' }))).to.match(/已删除：1 条投诉记录/);

    expectNothingOfHers(h.dataDir);
    for (const chat of [open, other]) {
      const { activities } = await h.app.directLine.store.activitiesSince(chat.conversationId, 0);
      const said = JSON.stringify(activities);
      for (const secret of [PHONE, ID_NUMBER, '284716350192837465', 'directline/attachments'])
        expect(said, `the Direct Line transcript still holds ${secret}`).to.not.include(secret);
    }
    expect((await fetch(photoUrl)).status, 'the uploaded photo is gone').to.equal(404);
  });

  it("leaves the shopper's other open conversation working", async () => {
    const { open, other } = await fillEverything(h);
    await other.say({ text: '删除我的数据' });
    await other.say({ text: '是的' });
    // The open conversation was waiting for a photo of a case that no longer exists.
    const next = await open.upload(PNG_1X1, 'image/png', 'photo.png');
    expect(texts(next)).to.not.match(GENERIC_ERROR);
    expect(next.length).to.be.greaterThan(0);
    // It starts over, and a new complaint works from the first step.
    const fresh = await open.say({ text: '洗发水瓶子破了，漏了一箱' });
    expect(texts(fresh)).to.not.match(GENERIC_ERROR);
    expect(slotOf(fresh)).to.equal('order_id');
    // The asking conversation goes on too.
    expect(texts(await other.say({ text: '我的数据' }))).to.include('没有保存');
  });

  it('`kefu purge` empties every place once the data is older than the retention period', async () => {
    await fillEverything(h);
    const dataDir = h.dataDir;
    await h.app.close();
    // Age everything by 400 days: case documents, state rows, upload records and file times.
    const aged = new Date(Date.now() - 400 * 86_400_000);
    const db = new Database(path.join(dataDir, 'kefu.sqlite'));
    for (const row of db.prepare('SELECT id, doc FROM cases').all() as { id: string; doc: string }[]) {
      const doc = JSON.parse(row.doc) as { updatedAt: string };
      doc.updatedAt = aged.toISOString();
      const cols = (db.prepare('PRAGMA table_info(cases)').all() as { name: string }[]).map((c) => c.name);
      db.prepare(`UPDATE cases SET doc = ?${cols.includes('updated_at') ? ', updated_at = ?' : ''} WHERE id = ?`).run(
        ...[JSON.stringify(doc), ...(cols.includes('updated_at') ? [doc.updatedAt] : []), row.id],
      );
    }
    db.prepare('UPDATE state SET updated_at = ?').run(aged.getTime());
    db.close();
    for (const file of filesUnder(path.join(dataDir, 'directline-uploads'))) {
      if (file.endsWith('.json'))
        writeFileSync(
          file,
          JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), createdAt: aged.toISOString() }),
        );
    }
    for (const file of filesUnder(dataDir)) utimesSync(file, aged, aged);

    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => (printed += d.toString()));
    const code = await main(['purge', '--days', '365'], {
      stdin: new PassThrough(),
      stdout: out,
      stderr: out,
      env: { KEFU_DATA_DIR: dataDir, PATH: process.env.PATH },
    });
    expect(code, printed).to.equal(0);
    expect(printed).to.match(/purged 1 case\(s\) and 1 file\(s\)/);
    expectNothingOfHers(dataDir);
    await h.restart();
  });

  it('erases on Redis + PostgreSQL too: cases, state keys and the shared Direct Line transcripts', async () => {
    await h.close();
    const id = testId();
    const prefix = `kefu-erase-${id}:`;
    const schema = `kefu_erase_${id}`;
    h = await startHarness({ REDIS_URL, DATABASE_URL, REDIS_PREFIX: prefix, DATABASE_SCHEMA: schema });
    const redis = new Redis(REDIS_URL);
    const pool = new pg.Pool({ connectionString: DATABASE_URL });
    try {
      const open = await DirectLineChat.open(h.app.url, 'u-lihua');
      await open.say({ text: `洗发水瓶子破了，漏了一箱。我手机${PHONE}` });
      expect(texts(await open.say({ text: '284716350192837465' }))).to.include('已为您创建工单');
      const other = await DirectLineChat.open(h.app.url, 'u-lihua');
      await other.say({ text: '删除我的数据' });
      expect(texts(await other.say({ text: '是的' }))).to.match(/已删除：1 条投诉记录/);

      expect(await h.app.stores.cases.list({ shopperId: 'u-lihua' })).to.deep.equal([]);
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".cases`);
      expect(rows[0].n).to.equal(0);
      // Every Redis key of the deployment: nothing of hers in state or in the Direct Line.
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).to.be.greaterThan(0);
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? await redis.get(key)
            : type === 'list'
              ? (await redis.lrange(key, 0, -1)).join()
              : type === 'hash'
                ? JSON.stringify(await redis.hgetall(key))
                : type === 'set'
                  ? (await redis.smembers(key)).join()
                  : '';
        for (const secret of [PHONE, '284716350192837465'])
          expect(value ?? '', `${key} holds ${secret}`).to.not.include(secret);
      }
      expect(await redis.exists(`${prefix}directline/conversations/${open.conversationId}/`)).to.equal(0);
      // The other conversation still answers.
      expect(texts(await open.say({ text: '洗发水瓶子破了，漏了一箱' }))).to.not.match(GENERIC_ERROR);
    } finally {
      // Closed here, before its keys and schema are dropped (so not again by afterEach).
      const app = h;
      h = undefined as unknown as Harness;
      await app.close();
      await dropRedisPrefix(redis, prefix);
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await pool.end();
      redis.disconnect();
    }
  });
});
