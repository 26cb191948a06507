/**
 * Attachment URLs are a stranger's instruction to open a connection: kefu follows them only to
 * allowed hosts over https, only when every address the name resolves to is public (checked at
 * connect time), and reads at most the size limit. A listening local server counts connections,
 * so "refused" means no connection was made, not just an error message.
 */
import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { TurnContext } from 'botbuilder';
import { isPublicAddress } from '../../bot/security/addresses.js';
import { safeFetch, urlRefusal } from '../../bot/security/safeFetch.js';
import { AttachmentIntake } from '../../bot/intake.js';
import { MemoryEvidenceStore } from '../handoff/memoryStores.js';
import { PNG_1X1, startHarness, type Harness } from '../support/kefuHarness.js';

const policy = (extra: Partial<Parameters<typeof safeFetch>[1]> = {}) => ({
  allowedHosts: ['botframework.com'],
  allowLoopback: false,
  maxBytes: 1024 * 1024,
  timeoutMs: 3000,
  ...extra,
});

describe('security: attachment fetching (SSRF)', function () {
  this.timeout(20_000);
  let tcp: net.Server;
  let connections = 0;
  let port = 0;

  before(async () => {
    tcp = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    port = (tcp.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => tcp.close(() => r())));
  beforeEach(() => (connections = 0));

  it('classifies addresses: private, loopback, link-local, CGNAT, IPv6 and IPv4-mapped IPv6 are not public', () => {
    for (const ip of [
      '10.0.0.1',
      '127.0.0.1',
      '169.254.169.254',
      '172.16.5.4',
      '192.168.0.1',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::7f00:1',
    ]) {
      expect(isPublicAddress(ip), ip).to.equal(false);
    }
    for (const ip of ['8.8.8.8', '52.114.128.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(isPublicAddress(ip), ip).to.equal(true);
  });

  it('refuses a name on an allowed host that resolves to loopback, without connecting', async () => {
    const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
    const out = await safeFetch(`https://smba.botframework.com:${port}/v3/attachments/x`, policy({ lookup }));
    expect(out).to.include({ ok: false, reason: 'refused' });
    expect(connections).to.equal(0);
    // The same URL with a lookup that is allowed to answer loopback does connect: the refusal above is the guard's.
    const local = await safeFetch(
      `https://smba.botframework.com:${port}/v3/attachments/x`,
      policy({ lookup, allowLoopback: true }),
    );
    expect(local.ok).to.equal(false);
    expect(connections).to.equal(1);
  });

  it('refuses when any one of several addresses is private (rebinding through round-robin)', async () => {
    const lookup = async () => [
      { address: '52.114.128.1', family: 4 },
      { address: '::ffff:10.0.0.8', family: 6 },
    ];
    expect(await safeFetch('https://files.botframework.com/a', policy({ lookup }))).to.include({ reason: 'refused' });
  });

  it('refuses hosts off the list, plain http, credentials in URLs and private literals before any DNS', () => {
    expect(urlRefusal('https://evil.example/a.png', policy())).to.match(/not on the allowed list/);
    expect(urlRefusal('https://botframework.com.evil.example/a.png', policy())).to.match(/not on the allowed list/);
    expect(urlRefusal('http://smba.botframework.com/a.png', policy())).to.match(/scheme http/);
    expect(urlRefusal('https://u:p@smba.botframework.com/a.png', policy())).to.match(/credentials/);
    expect(urlRefusal('https://169.254.169.254/latest/meta-data', policy())).to.match(/not public/);
    expect(urlRefusal('https://[::ffff:7f00:1]/', policy())).to.match(/not public/);
    expect(urlRefusal('file:///etc/passwd', policy())).to.match(/scheme file/);
    expect(urlRefusal('https://smba.botframework.com/a.png', policy())).to.equal(undefined);
  });

  describe('through the intake, with a local file server (the test-only loopback allowance)', () => {
    let files: http.Server;
    let base = '';
    let sent = 0;
    before(async () => {
      files = http.createServer((req, res) => {
        if (req.url === '/big') {
          res.writeHead(200, { 'content-type': 'image/png' });
          const chunk = Buffer.alloc(64 * 1024);
          const pump = () => {
            while (sent < 50 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
            if (sent < 50 * 1024 * 1024) res.once('drain', pump);
            else res.end();
          };
          pump();
        } else if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://169.254.169.254/' });
          res.end();
        } else {
          res.writeHead(200, { 'content-type': 'image/png' });
          res.end(PNG_1X1);
        }
      });
      await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    });
    after(
      () =>
        new Promise<void>((r) => {
          files.close(() => r());
          files.closeAllConnections();
        }),
    );

    const intake = (allowLoopback: boolean) =>
      new AttachmentIntake({
        evidence: new MemoryEvidenceStore(),
        maxBytes: 256 * 1024,
        resolvers: [],
        allowLoopback,
        now: () => new Date(),
        fetchTimeoutMs: 5000,
      });
    const ctx = {} as TurnContext;

    it('fetches and stores a real image when the URL is allowed', async () => {
      const r = await intake(true).take(ctx, { contentUrl: `${base}/ok.png`, contentType: 'image/png' }, 'photo_item', [
        'image',
      ]);
      expect(r.ok && r.item.bytes).to.equal(PNG_1X1.length);
    });

    it('refuses the same URL without the test-only allowance', async () => {
      expect(await intake(false).take(ctx, { contentUrl: `${base}/ok.png` }, 'photo_item', ['image'])).to.deep.equal({
        ok: false,
        reason: 'fetch_failed',
      });
    });

    it('stops reading a huge body at the limit instead of downloading it (and says only "not received")', async () => {
      sent = 0;
      const r = await intake(true).take(ctx, { contentUrl: `${base}/big` }, 'photo_item', ['image']);
      expect(r).to.deep.equal({ ok: false, reason: 'fetch_failed' });
      expect(sent).to.be.lessThan(20 * 1024 * 1024);
    });

    it('does not follow redirects', async () => {
      expect(await intake(true).take(ctx, { contentUrl: `${base}/redirect` }, 'photo_item', ['image'])).to.deep.equal({
        ok: false,
        reason: 'fetch_failed',
      });
    });
  });

  describe('through the running bot, in local anonymous mode', () => {
    let files: http.Server;
    let hits = 0;
    let h: Harness;
    before(async () => {
      files = http.createServer((req, res) => {
        hits += 1;
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(req.url === '/page' ? '<html>admin</html>' : PNG_1X1);
      });
      await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    });
    after(async () => {
      await h?.close();
      await new Promise<void>((r) => {
        files.close(() => r());
        files.closeAllConnections();
      });
    });

    /** Each URL sent at the same step (story 1's photo) of its own conversation: the reply texts. */
    async function repliesTo(urls: string[], conversation: string): Promise<string[]> {
      const out: string[] = [];
      for (const [i, contentUrl] of urls.entries()) {
        await h.say(`${conversation}-${i}`, 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
        await h.say(`${conversation}-${i}`, 'u-lihua', { text: '284716350192837465' });
        const replies = await h.say(`${conversation}-${i}`, 'u-lihua', {
          attachments: [{ contentType: 'image/png', contentUrl, name: 'p.png' }],
        });
        out.push(replies.map((r) => r.text ?? '').join('\n'));
      }
      return out;
    }

    it('fetches no loopback, private or link-local target, and answers every failed fetch alike', async () => {
      h = await startHarness();
      const port = (files.address() as AddressInfo).port;
      const closed = await new Promise<number>((r) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as AddressInfo).port;
          s.close(() => r(p));
        });
      });
      hits = 0;
      const answers = await repliesTo(
        [
          `http://127.0.0.1:${port}/ok.png`,
          `http://localhost:${port}/ok.png`,
          `http://127.0.0.1:${port}/page`,
          `http://127.0.0.1:${closed}/ok.png`,
          `http://[::1]:${port}/ok.png`,
          'http://10.0.0.8/ok.png',
          'http://169.254.169.254/latest/meta-data',
          `https://smba.trafficmanager.net.127.0.0.1.invalid:${port}/ok.png`,
        ],
        'ssrf-app-1',
      );
      expect(hits, 'connections to the loopback file server').to.equal(0);
      expect(new Set(answers).size, answers.join('\n---\n')).to.equal(1);
      expect(answers[0]).to.include('文件没有接收成功');
    });

    it("fetches from the tests' loopback server only with the explicit test allowance", async () => {
      await h?.close();
      h = await startHarness({}, { allowLoopbackAttachments: true });
      const port = (files.address() as AddressInfo).port;
      const [answer] = await repliesTo([`http://127.0.0.1:${port}/ok.png`], 'ssrf-app-2');
      expect(answer).to.match(/已收到/);
    });
  });
});
