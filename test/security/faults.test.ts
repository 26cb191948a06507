/**
 * Faults end in a clear error and a recovery, and nothing the shopper was already told is lost:
 * the process killed mid-turn, the disk full, the disk read-only, the database locked, and the
 * rule table replaced by a broken one. The acknowledged step is "已为您创建工单" (the case is
 * written before its number is shown), so after each fault that case must still be there and the
 * conversation must carry on from it.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { IN_FILE_MAX } from '../../bot/store/index.js';
import { startHarness, dataUrlAttachment, PNG_1X1, ROOT, type Harness, type Reply } from '../support/kefuHarness.js';
import { FROM_SOURCE } from '../support/runKefu.js';
import { captureLog } from './logCapture.js';

// A turn that could not be saved says so (error.not_saved), never that anything was kept.
const GENERIC_ERROR = /消息没有保存，请稍后重新发送|was not saved\. Please send it again/;
const texts = (replies: Reply[]) => replies.map((r) => r.text ?? '').join('\n');
const slotOf = (replies: Reply[]) => replies.at(-1)?.channelData?.prompt?.slot as string | undefined;

/** Story 1 to the acknowledged step: the case exists and its number was shown. */
async function openShampooCase(say: (body: Record<string, unknown>) => Promise<Reply[]>): Promise<Reply[]> {
  expect(slotOf(await say({ text: '洗发水瓶子破了，漏了一箱' }))).to.equal('order_id');
  const ack = await say({ text: '284716350192837465' });
  expect(texts(ack)).to.include('已为您创建工单');
  expect(slotOf(ack)).to.equal('photo_item');
  return ack;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('security: faults', function () {
  this.timeout(60_000);

  describe('the process killed mid-turn', () => {
    let child: ChildProcess | undefined;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-kill-'));
    after(() => {
      child?.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function serve(): Promise<string> {
      child = spawn(process.execPath, [path.join(ROOT, 'bot/kefu.js'), 'serve', '--port', '0'], {
        cwd: ROOT,
        env: {
          ...process.env,
          KEFU_DATA_DIR: dataDir,
          LOG_LEVEL: 'warn',
          NODE_ENV: 'development',
          MicrosoftAppId: '',
          AGENT_TOKENS: '',
          ...FROM_SOURCE,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', () => undefined);
      const port = await waitFor('kefu serve to listen', () => /localhost:(\d+)\/api\/messages/.exec(out)?.[1], 600);
      return `http://127.0.0.1:${port}`;
    }

    it('keeps the case and the conversation step acknowledged before SIGKILL', async () => {
      let url = await serve();
      let seq = 0;
      const post = (body: Record<string, unknown>) =>
        fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `k${++seq}`,
            channelId: 'test',
            serviceUrl: 'http://127.0.0.1:9/',
            deliveryMode: 'expectReplies',
            from: { id: 'u-lihua' },
            recipient: { id: 'kefu' },
            conversation: { id: 'kill-1' },
            ...body,
          }),
        });
      const say = async (body: Record<string, unknown>) =>
        ((await (await post(body)).json()) as { activities: Reply[] }).activities;
      await openShampooCase(say);

      // Mid-turn: the photo is on its way in when the process dies.
      const inFlight = post({ attachments: [dataUrlAttachment(PNG_1X1, 'image/png', 'photo.png')] }).catch(
        () => undefined,
      );
      // Listening before the kill: the exit may come before the failed request is noticed.
      const exited = new Promise((r) => child!.once('exit', r));
      child!.kill('SIGKILL');
      await inFlight;
      await exited;

      url = await serve();
      // The case is on disk (reading the file: an anonymous request may not ask for its data).
      const db = new Database(path.join(dataDir, 'kefu.sqlite'), { readonly: true });
      const stored = db.prepare('SELECT complaint FROM cases WHERE shopper_id = ?').all('u-lihua') as {
        complaint: string;
      }[];
      db.close();
      expect(stored.map((c) => c.complaint)).to.deep.equal(['damaged_packaging']);
      // The pending question is asked again, and the conversation carries on from the case.
      const again = await say({ text: '?' });
      expect(['photo_item', 'photo_package']).to.include(slotOf(again));
      const next = await say({ attachments: [dataUrlAttachment(PNG_1X1, 'image/png', 'photo.png')] });
      expect(texts(next)).to.include('已收到');
    });
  });

  describe('storage faults (in process)', () => {
    let h: Harness;
    let mountPoint: string | undefined;
    const captured = captureLog('error');

    afterEach(async () => {
      await h?.close().catch(() => undefined);
      if (mountPoint) {
        try {
          execFileSync('umount', [mountPoint]);
        } catch {
          /* already gone */
        }
        rmSync(mountPoint, { recursive: true, force: true });
        mountPoint = undefined;
      }
    });

    /** A small tmpfs of our own, so "disk full" and "read-only" are real; skipped where mounting is not allowed. */
    function tinyDisk(ctx: Mocha.Context, size: string): string {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-disk-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
      } catch {
        rmSync(dir, { recursive: true, force: true });
        ctx.skip();
      }
      mountPoint = dir;
      return dir;
    }

    it('disk full: a clear error to the shopper, then recovery without losing the case', async function () {
      const disk = tinyDisk(this, '3m');
      h = await startHarness({ KEFU_DATA_DIR: path.join(disk, 'data') }, { log: captured.log });
      const say = (body: Record<string, unknown>) => h.say('full-1', 'u-lihua', body);
      await openShampooCase(say);
      const caseId = (await h.app.stores.cases.list({ shopperId: 'u-lihua' }))[0]!.id;

      const filler = path.join(disk, 'filler');
      try {
        writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
      } catch {
        /* ENOSPC: the disk is now full, which is the point */
      }
      const photo = Buffer.concat([PNG_1X1, Buffer.alloc(64 * 1024, 1)]);
      const failed = await say({ attachments: [dataUrlAttachment(photo, 'image/png', 'photo.png')] });
      expect(texts(failed)).to.match(GENERIC_ERROR);
      expect((await fetch(`${h.app.url}/healthz`)).status).to.equal(200);

      rmSync(filler);
      const retried = await say({ attachments: [dataUrlAttachment(photo, 'image/png', 'photo.png')] });
      expect(texts(retried)).to.include('已收到');
      const stored = (await h.app.stores.cases.get(caseId))!;
      expect(stored.evidence.map((e) => e.kind)).to.deep.equal(['photo_item']);
    });

    it('disk read-only: a clear error, then recovery when it is writable again', async function () {
      h = await startHarness({}, { log: captured.log });
      // The evidence volume goes read-only (a read-only filesystem mounted over it).
      const evidenceDir = path.join(h.dataDir, 'evidence');
      mkdirSync(evidenceDir, { recursive: true });
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', evidenceDir], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
      mountPoint = evidenceDir;
      const say = (body: Record<string, unknown>) => h.say('ro-1', 'u-lihua', body);
      await openShampooCase(say);
      const caseId = (await h.app.stores.cases.list({ shopperId: 'u-lihua' }))[0]!.id;

      // Too large to be a row of the SQLite file: it goes to the evidence directory.
      const photo = Buffer.concat([PNG_1X1, Buffer.alloc(IN_FILE_MAX, 1)]);
      const failed = await say({ attachments: [dataUrlAttachment(photo, 'image/png', 'photo.png')] });
      expect(texts(failed)).to.match(GENERIC_ERROR);
      execFileSync('umount', [evidenceDir]);
      mountPoint = undefined;

      const retried = await say({ attachments: [dataUrlAttachment(photo, 'image/png', 'photo.png')] });
      expect(texts(retried)).to.include('已收到');
      expect((await h.app.stores.cases.get(caseId))!.evidence).to.have.length(1);
    });

    it('database locked by another process: a clear error after the busy timeout, then recovery', async () => {
      h = await startHarness({}, { log: captured.log });
      const say = (body: Record<string, unknown>) => h.say('lock-1', 'u-lihua', body);
      await openShampooCase(say);
      const caseId = (await h.app.stores.cases.list({ shopperId: 'u-lihua' }))[0]!.id;

      const other = new Database(path.join(h.dataDir, 'kefu.sqlite'));
      other.exec('BEGIN EXCLUSIVE');
      try {
        const failed = await say({ attachments: [dataUrlAttachment(PNG_1X1, 'image/png', 'photo.png')] });
        expect(texts(failed)).to.match(GENERIC_ERROR);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      const retried = await say({ attachments: [dataUrlAttachment(PNG_1X1, 'image/png', 'photo.png')] });
      expect(texts(retried)).to.include('已收到');
      expect((await h.app.stores.cases.get(caseId))!.evidence).to.have.length(1);
    });

    it('a broken rule table never replaces the last good one; a fixed one is picked up', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-rules-'));
      mkdirSync(dir, { recursive: true });
      const rulesFile = path.join(dir, 'rules.yaml');
      copyFileSync(path.join(ROOT, 'data/rules.yaml'), rulesFile);
      const log = captureLog('info');
      h = await startHarness({ RULES_FILE: rulesFile }, { log: log.log });
      try {
        const health = async () => ((await (await fetch(`${h.app.url}/healthz`)).json()) as { rules: string }).rules;
        const good = await health();
        writeFileSync(rulesFile, 'rules:\n  - id: BROKEN\n    when: { complaint: [not_a_complaint ]\n');
        await waitFor('the broken table to be rejected', () =>
          log.lines().some((l) => l.includes('rule table rejected')),
        );
        expect(await health()).to.equal(good);
        // The conversation still gets a decision from the last good table.
        const say = (body: Record<string, unknown>) => h.say('rules-1', 'u-lihua', body);
        await openShampooCase(say);
        await say({ attachments: [dataUrlAttachment(PNG_1X1, 'image/png', 'photo.png')] });
        await say({ text: '跳过' });
        await say({ text: '跳过' });
        const decided = await say({ text: '还没联系商家' });
        const triage = decided.find((r) => r.channelData?.triage)?.channelData?.triage as {
          tableHash: string;
          remedy: string;
        };
        expect(triage.tableHash).to.equal(good);
        expect(triage.remedy).to.equal('reship');

        writeFileSync(rulesFile, `${readFileSync(path.join(ROOT, 'data/rules.yaml'), 'utf8')}\n# fixed\n`);
        const fixed = await waitFor('the fixed table to be served', async () =>
          (await health()) !== good ? health() : undefined,
        );
        expect(fixed).to.not.equal(good);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
