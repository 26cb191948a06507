/**
 * A shopper's own data: "我的数据"/"my data" shows what kefu keeps (with the full record as JSON);
 * "删除我的数据"/"delete my data" asks first, then deletes their cases, the files only those cases
 * used and this conversation's memory, and leaves other shoppers' data alone. Retention purges old
 * cases by the same rules, on a timer inside serve and by `kefu purge`. Shoppers here talk through
 * the embedded Direct Line with a token, as signed-in shoppers do (see identity.test.ts for the
 * refusal everyone else gets).
 */
import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../bot/cli/main.js';
import { evidenceRows } from './evidenceRows.js';
import { startHarness, dataUrlAttachment, PNG_1X1, type Harness, type Reply } from '../support/kefuHarness.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);
const say = (h: Harness, conversation: string, shopper: string, body: Record<string, unknown>) =>
  h.say(conversation, shopper, body, 'directline');
const texts = (replies: Reply[]) => replies.map((r) => r.text ?? '').join('\n');

/** The evidence kept on the embedded backend: rows of the SQLite file, and files in the evidence directory. */
function evidenceFiles(dataDir: string): string[] {
  const rows = evidenceRows(dataDir);
  const dir = path.join(dataDir, 'evidence');
  if (!existsSync(dir)) return rows;
  return [
    ...rows,
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.endsWith('.json'))
      .map((e) => e.name),
  ];
}

/** Stories 1 (u-lihua) and 2 (u-wangfang) up to the first photo: a case with one file. */
async function caseWithPhoto(h: Harness, conversation: string, shopper: 'u-lihua' | 'u-wangfang', photo: Buffer) {
  if (shopper === 'u-lihua') {
    await say(h, conversation, shopper, { text: '洗发水瓶子破了，漏了一箱' });
    await say(h, conversation, shopper, { text: '284716350192837465' });
  } else {
    await say(h, conversation, shopper, { text: '买的进口零食生产日期可疑，快过期了，商家说批次不同拒绝处理' });
    await say(h, conversation, shopper, { text: '301928374650112233' });
    await say(h, conversation, shopper, { text: '日本卡乐比薯条三兄弟 18袋装' });
  }
  const replies = await say(h, conversation, shopper, {
    attachments: [dataUrlAttachment(photo, photo === PNG_1X1 ? 'image/png' : 'image/jpeg', 'photo')],
  });
  expect(texts(replies)).to.match(/已收到/);
}

describe("privacy: a shopper's data", function () {
  this.timeout(60_000);
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h?.close());

  it('shows a shopper what is kept about them, and only theirs', async () => {
    await caseWithPhoto(h, 'mine-1', 'u-lihua', PNG_1X1);
    await caseWithPhoto(h, 'other-1', 'u-wangfang', JPEG);
    const replies = await say(h, 'mine-2', 'u-lihua', { text: '我的数据' });
    const withFile = replies.find((r) => r.attachments?.some((a) => a.contentType === 'application/json'));
    expect(withFile, texts(replies)).to.not.equal(undefined);
    const data = withFile!.attachments![0]!.content as {
      shopperId: string;
      cases: { id: string; orderId?: string; transcript: { text: string }[] }[];
    };
    expect(data.shopperId).to.equal('u-lihua');
    expect(data.cases).to.have.length(1);
    expect(data.cases[0]!.orderId).to.equal('284716350192837465');
    expect(data.cases[0]!.transcript.some((t) => t.text.includes('洗发水'))).to.equal(true);
    expect(withFile!.text).to.include(data.cases[0]!.id);
  });

  it('answers "my data" mid-complaint and then asks the pending question again', async () => {
    await say(h, 'mid-1', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    const replies = await say(h, 'mid-1', 'u-lihua', { text: 'my data' });
    expect(replies.some((r) => r.attachments?.some((a) => a.contentType === 'application/json'))).to.equal(true);
    expect(replies.at(-1)!.channelData?.prompt?.slot).to.equal('order_id');
  });

  it('deletes cases, their files and the conversation state only after a yes', async () => {
    await caseWithPhoto(h, 'del-1', 'u-lihua', PNG_1X1);
    await caseWithPhoto(h, 'keep-1', 'u-wangfang', JPEG);
    expect(evidenceFiles(h.dataDir)).to.have.length(2);

    const ask = await say(h, 'del-1', 'u-lihua', { text: '删除我的数据' });
    expect(ask.at(-1)!.channelData?.prompt).to.deep.include({ slot: 'confirm_delete', kind: 'confirm' });
    const no = await say(h, 'del-1', 'u-lihua', { text: '不' });
    expect(texts(no)).to.include('没有删除');
    expect(await h.app.stores.cases.list({ shopperId: 'u-lihua' })).to.have.length(1);

    const caseId = (await h.app.stores.cases.list({ shopperId: 'u-lihua' }))[0]!.id;
    const stateOf = async () =>
      JSON.stringify(
        await h.app.stores.state.read([`directline/conversations/${h.directLineConversation('del-1', 'u-lihua')}/`]),
      );
    expect(await stateOf()).to.include(caseId);
    await say(h, 'del-1', 'u-lihua', { text: '删除我的数据' });
    const yes = await say(h, 'del-1', 'u-lihua', { text: '是的' });
    expect(await stateOf()).to.not.include(caseId);
    expect(texts(yes)).to.match(/已删除：1 条投诉记录、1 个文件/);
    expect(await h.app.stores.cases.list({ shopperId: 'u-lihua' })).to.deep.equal([]);
    expect(await h.app.stores.cases.list({ shopperId: 'u-wangfang' })).to.have.length(1);
    expect(evidenceFiles(h.dataDir)).to.have.length(1);

    // The conversation forgot the case: asking for its status finds nothing, a new complaint starts fresh.
    const after = await say(h, 'del-1', 'u-lihua', { text: '我的数据' });
    expect(texts(after)).to.include('没有保存');
  });

  it("keeps a file another shopper's case also uses", async () => {
    await caseWithPhoto(h, 'same-a', 'u-lihua', PNG_1X1);
    await caseWithPhoto(h, 'same-b', 'u-wangfang', PNG_1X1);
    await say(h, 'same-en', 'u-lihua', { locale: 'en-US', text: 'delete my data' });
    const yes = await say(h, 'same-en', 'u-lihua', { locale: 'en-US', text: 'yes' });
    expect(texts(yes)).to.match(/Deleted: 1 complaint record\(s\), 0 file\(s\)/);
    const other = (await h.app.stores.cases.list({ shopperId: 'u-wangfang' }))[0]!;
    expect(await h.app.stores.evidence.get(other.evidence[0]!.storageKey)).to.not.equal(undefined);
  });

  it('purges cases older than the retention period with `kefu purge`, keeping recent ones', async () => {
    await caseWithPhoto(h, 'old-1', 'u-lihua', PNG_1X1);
    await caseWithPhoto(h, 'new-1', 'u-wangfang', JPEG);
    const old = (await h.app.stores.cases.list({ shopperId: 'u-lihua' }))[0]!;
    const dataDir = h.dataDir;
    await h.app.close();
    // Age the first case by rewriting its row's document (the store stamps updatedAt itself).
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dataDir, 'kefu.sqlite'));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[];
    const table = tables
      .map((t) => t.name)
      .find(
        (n) =>
          /case/i.test(n) &&
          (db.prepare(`PRAGMA table_info(${n})`).all() as { name: string }[]).some((c) => c.name === 'doc'),
      )!;
    const row = db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).get(old.id) as { doc: string };
    const doc = JSON.parse(row.doc) as { updatedAt: string };
    doc.updatedAt = new Date(Date.now() - 400 * 86_400_000).toISOString();
    const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    db.prepare(`UPDATE ${table} SET doc = ?${cols.includes('updated_at') ? ', updated_at = ?' : ''} WHERE id = ?`).run(
      ...[JSON.stringify(doc), ...(cols.includes('updated_at') ? [doc.updatedAt] : []), old.id],
    );
    db.close();

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
    await h.restart();
    expect(await h.app.stores.cases.get(old.id)).to.equal(undefined);
    expect(await h.app.stores.cases.list({ shopperId: 'u-wangfang' })).to.have.length(1);
    expect(evidenceFiles(dataDir)).to.have.length(1);
  });
});
