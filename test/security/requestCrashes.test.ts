/**
 * No request can crash kefu: the red-team reproductions against the real `kefu serve` in a child
 * process, so a request that kills the process shows up as an exit. After each one the process
 * still serves a shopper's turn, and nothing was written to the system temp directory.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { ROOT } from '../support/kefuHarness.js';
import { filesUnder, startKefuProcess, type KefuProcess } from '../support/kefuProcess.js';

const activity = (extra: Record<string, unknown> = {}) => ({
  type: 'message',
  id: `c${Math.random()}`,
  channelId: 'test',
  serviceUrl: 'http://127.0.0.1:9/',
  deliveryMode: 'expectReplies',
  from: { id: 'u-crash' },
  recipient: { id: 'kefu' },
  conversation: { id: 'crash-1' },
  text: '你好',
  ...extra,
});

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function multipart(
  boundary: string,
  parts: { name: string; filename?: string; type?: string; data: Buffer }[],
): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
      p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A request on its own connection (Connection: close), as a browser's upload may be: the status, or why none came. */
function sendAlone(url: string, headers: Record<string, string>, body: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => undefined);
    req.on('close', () => resolve('no answer'));
    req.end(body);
  });
}

describe('security: no request can crash kefu (real process)', function () {
  this.timeout(90_000);
  let kefu: KefuProcess;
  const rulesDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-crash-rules-'));
  const rulesFile = path.join(rulesDir, 'rules.yaml');

  // 611 KB that inflate to 600 MB. Made before kefu starts: gzipping blocks this process for
  // seconds, which would let kept-alive connections to kefu go stale under the client.
  let bomb: Buffer;
  before(async () => {
    bomb = gzipSync(Buffer.alloc(600 * 1024 * 1024, 0x20), { level: 9 });
    copyFileSync(path.join(ROOT, 'data/rules.yaml'), rulesFile);
    kefu = await startKefuProcess({ RULES_FILE: rulesFile });
  });
  // A test that crashed kefu must not fail the next ones for it: each starts on a live process.
  beforeEach(async () => {
    if (kefu.exited() === undefined) return;
    await kefu.close();
    kefu = await startKefuProcess({ RULES_FILE: rulesFile });
  });
  after(async () => {
    await kefu?.close();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  /** The process is alive and a shopper still gets an answer. */
  async function stillServes(): Promise<void> {
    await new Promise((r) => setTimeout(r, 200));
    expect(kefu.exited(), `kefu exited:\n${kefu.output().slice(-3000)}`).to.equal(undefined);
    const res = await fetch(`${kefu.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity()),
    });
    expect(res.status).to.equal(200);
    const { activities } = (await res.json()) as { activities: { text?: string }[] };
    expect(activities.length).to.be.greaterThan(0);
  }

  const post = (route: string, body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${kefu.url}${route}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('refuses the 5-byte "gzip" body with 415 and lives (it used to exit with Z_DATA_ERROR)', async () => {
    const res = await post('/api/messages', 'hello', {
      'content-encoding': 'gzip',
      'content-type': 'application/json',
    });
    expect(res.status).to.equal(415);
    expect(((await res.json()) as { message: string }).message).to.match(
      /compressed request bodies .* are not accepted/,
    );
    await stillServes();
  });

  it('refuses a gzip bomb by its encoding without inflating it, on every POST route', async () => {
    const before = kefu.rss();
    for (const route of [
      '/api/messages',
      '/v3/directline/conversations',
      '/api/agent/cases/x/claim',
      '/api/lead/rules/preview',
    ]) {
      const res = await post(route, bomb, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
      expect(res.status, route).to.equal(415);
    }
    expect(kefu.rss() - before).to.be.lessThan(100 * 1024 * 1024);
    await stillServes();
  });

  it('refuses multipart on every route but uploads, writing nothing to the system temp directory', async () => {
    const boundary = 'kefu-crash-boundary';
    const body = multipart(boundary, [
      { name: 'file', filename: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(2 * 1024 * 1024, 7) },
    ]);
    const conv = (await (await fetch(`${kefu.url}/v3/directline/conversations`, { method: 'POST' })).json()) as {
      conversationId: string;
      token: string;
    };
    const routes = [
      '/api/messages',
      `/v3/directline/conversations/${conv.conversationId}/activities`,
      '/v3/directline/conversations',
      '/v3/directline/tokens/generate',
      '/api/agent/cases/x/messages',
    ];
    for (const route of routes) {
      const res = await post(route, body, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        authorization: `Bearer ${conv.token}`,
      });
      expect(res.status, route).to.equal(415);
    }
    expect(kefu.tempFiles()).to.deep.equal([]);
    await stillServes();
  });

  it('streams an upload to the data directory after the token check, and leaves no temp file either way', async () => {
    const conv = (await (await fetch(`${kefu.url}/v3/directline/conversations`, { method: 'POST' })).json()) as {
      conversationId: string;
      token: string;
    };
    const boundary = 'kefu-upload-boundary';
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(300_000, 3)]);
    const route = `/v3/directline/conversations/${conv.conversationId}/upload`;
    const headers = {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      authorization: `Bearer ${conv.token}`,
    };
    // Without a token nothing is read, and nothing is written.
    const anonymous = await post(
      route,
      multipart(boundary, [{ name: 'file', filename: 'a.png', type: 'image/png', data: png }]),
      { ...headers, authorization: 'Bearer forged' },
    );
    expect(anonymous.status).to.equal(403);
    const ok = await post(
      route,
      multipart(boundary, [{ name: 'file', filename: 'a.png', type: 'image/png', data: png }]),
      headers,
    );
    expect(ok.status).to.equal(200);
    const refused = await post(
      route,
      multipart(boundary, [
        { name: 'file', filename: 'a.png', type: 'image/png', data: png },
        { name: 'file', filename: 'x.exe', data: Buffer.from('MZ\x90\x00') },
      ]),
      headers,
    );
    expect(refused.status).to.equal(415);
    const cut = await post(
      route,
      multipart(boundary, [{ name: 'file', filename: 'a.png', type: 'image/png', data: png }]).subarray(0, 200_000),
      headers,
    );
    expect(cut.status).to.equal(400);
    // Refused while the client is still sending: it gets the answer, not a reset connection.
    const big = multipart(boundary, [
      { name: 'file', filename: 'b.png', type: 'image/png', data: Buffer.concat([png, Buffer.alloc(4 * 1024 * 1024)]) },
    ]);
    expect(await sendAlone(`${kefu.url}${route}`, { ...headers, authorization: 'Bearer forged' }, big)).to.equal(403);
    const seven = multipart(
      boundary,
      Array.from({ length: 7 }, (_, i) => ({
        name: 'file',
        filename: `${i}.png`,
        type: 'image/png',
        data: Buffer.concat([png, Buffer.alloc(600_000)]),
      })),
    );
    expect(await sendAlone(`${kefu.url}${route}`, headers, seven)).to.equal(413);
    const files = filesUnder(path.join(kefu.dataDir, 'directline-uploads'));
    expect(
      files.filter((f) => f.startsWith('.incoming')),
      'temp files left behind',
    ).to.deep.equal([]);
    expect(files.filter((f) => !f.endsWith('.json'))).to.have.length(1);
    expect(kefu.tempFiles()).to.deep.equal([]);
    await stillServes();
  });

  it('answers a 50,000-deep JSON activity on Direct Line routes with 400, not 500', async () => {
    const conv = (await (await fetch(`${kefu.url}/v3/directline/conversations`, { method: 'POST' })).json()) as {
      conversationId: string;
      token: string;
    };
    const deep = `{"type":"message","text":"hi","channelData":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${conv.token}` };
    const res = await post(`/v3/directline/conversations/${conv.conversationId}/activities`, deep, headers);
    expect(res.status).to.equal(400);
    expect(JSON.stringify(await res.json())).to.match(/nested more than/);
    for (const route of ['/v3/directline/conversations', '/v3/directline/tokens/generate']) {
      const other = await post(route, deep, headers);
      expect(other.status, route).to.be.within(400, 499);
    }
    await stillServes();
  });

  it('does not keep what one token floods the Direct Line with: refused posts are not stored, memory stays flat', async () => {
    const conv = (await (await fetch(`${kefu.url}/v3/directline/conversations`, { method: 'POST' })).json()) as {
      conversationId: string;
      token: string;
    };
    const url = `${kefu.url}/v3/directline/conversations/${conv.conversationId}/activities`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${conv.token}` };
    // 120,000 characters: more than an activity's text may have (the bot would refuse it too).
    const body = JSON.stringify({ type: 'message', text: 'x'.repeat(120_000) });
    const before = kefu.rss();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < 600) {
          sent += 1;
          const res = await post(url.slice(kefu.url.length), body, headers);
          expect(res.status).to.equal(413);
        }
      }),
    );
    const polled = (await (await fetch(url, { headers })).json()) as { activities: { from: { role?: string } }[] };
    expect(polled.activities.filter((a) => a.from.role === 'user')).to.deep.equal([]);
    // The old store kept every one of them (about 0.4 MB each, never freed).
    expect(kefu.rss() - before).to.be.lessThan(150 * 1024 * 1024);
    await stillServes();
  });

  it('keeps the last good rule table when rules.yaml is replaced by a directory, deleted, or broken', async () => {
    const health = async () => ((await (await fetch(`${kefu.url}/healthz`)).json()) as { rules: string }).rules;
    const good = await health();
    const text = readFileSync(rulesFile, 'utf8');
    const rejections = () =>
      kefu
        .output()
        .split('\n')
        .filter((l) => l.includes('rule table rejected')).length;

    unlinkSync(rulesFile);
    mkdirSync(rulesFile);
    await waitFor('the directory to be rejected', () => rejections() >= 1);
    await stillServes();
    expect(await health()).to.equal(good);

    rmSync(rulesFile, { recursive: true });
    await waitFor('the deletion to be rejected', () => rejections() >= 2);
    writeFileSync(rulesFile, 'rules: [');
    await waitFor('the broken table to be rejected', () => rejections() >= 3);
    await stillServes();
    expect(await health()).to.equal(good);

    writeFileSync(rulesFile, `${text}\n# edited\n`);
    await waitFor('the fixed table to be served', async () => (await health()) !== good);
    await stillServes();
  });
});
