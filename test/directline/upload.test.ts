import { expect } from 'chai';
import { call, startConversation, StreamReader, type Conversation } from './client.js';
import { startHarness, type Harness } from './echoBot.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
const PDF = Buffer.from('%PDF-1.4\n%fake but starts right\n');
const LIMIT = 64 * 1024;

function form(files: { name: string; type: string; data: Buffer }[], activity?: Record<string, unknown>): FormData {
  const f = new FormData();
  if (activity !== undefined)
    f.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
  for (const file of files) f.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  return f;
}

describe('embedded Direct Line: uploads', () => {
  let h: Harness;
  let conv: Conversation;
  beforeEach(async () => {
    h = await startHarness({ maxUploadBytes: LIMIT });
    conv = await startConversation(h.baseUrl, 'u-zhang');
  });
  afterEach(async () => h.close());

  const upload = (body: FormData) =>
    call<{ id?: string; error?: { code: string; message: string } }>(
      `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/upload?userId=u-zhang`,
      { token: conv.token, body },
    );

  it('stores a photo, streams the message with its URL, and lets the bot read it in-process', async () => {
    const stream = await StreamReader.open(conv.streamUrl);
    const res = await upload(
      form([{ name: '瓶子.png', type: 'image/png', data: PNG }], {
        type: 'message',
        text: '看照片',
        from: { id: 'u-zhang' },
        channelData: { clientActivityID: 'up1' },
      }),
    );
    expect(res.status).to.equal(200);
    await stream.until(() => stream.texts().some((t) => t.startsWith('got ')));
    expect(stream.texts()).to.include(`got 瓶子.png:image/png:${PNG.length}`);
    const echo = stream.activities.find((a) => a.id === res.body.id)!;
    expect(echo.text).to.equal('看照片');
    expect(echo.channelData).to.deep.equal({ clientActivityID: 'up1' });
    const [attachment] = echo.attachments as { contentUrl: string; contentType: string }[];
    expect(attachment!.contentType).to.equal('image/png');
    const served = await fetch(attachment!.contentUrl);
    expect(served.headers.get('content-type')).to.equal('image/png');
    expect(served.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).to.equal(true);
    stream.close();
  });

  it('resolves only URLs it issued, never fetching others', async () => {
    await upload(form([{ name: 'a.pdf', type: 'application/pdf', data: PDF }]));
    const contentUrl = (h.received[0]!.attachments as { contentUrl: string }[])[0]!.contentUrl;
    expect(await h.directLine.resolveAttachment(contentUrl)).to.deep.equal({
      data: PDF,
      contentType: 'application/pdf',
    });
    const foreign = contentUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'http://evil.example');
    expect(await h.directLine.resolveAttachment(foreign)).to.equal(undefined);
    expect(
      await h.directLine.resolveAttachment('http://127.0.0.1:1/v3/directline/attachments/../../etc/passwd'),
    ).to.equal(undefined);
    expect(await h.directLine.resolveAttachment('not a url')).to.equal(undefined);
  });

  it('refuses a file over the size limit with a message naming file and limit', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(LIMIT)]);
    const res = await upload(form([{ name: 'huge.png', type: 'image/png', data: big }]));
    expect(res.status).to.equal(413);
    expect(res.body.error!.message).to.equal(
      `'huge.png' is ${(big.length / 1024).toFixed(1)} KB; the limit is 64.0 KB per file`,
    );
    expect(h.received).to.have.length(0);
  });

  it('refuses a request far over the limit before reading it all', async () => {
    const res = await upload(form([{ name: 'a.png', type: 'image/png', data: Buffer.alloc(LIMIT * 8) }]));
    expect(res.status).to.equal(413);
    expect(res.body.error!.message).to.match(/^the upload is larger than the limit/);
  });

  it('refuses a forbidden type even when it claims to be an image', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const res = await upload(form([{ name: 'photo.png', type: 'image/png', data: html }]));
    expect(res.status).to.equal(415);
    expect(res.body.error!.message).to.equal(
      "'photo.png' is not an allowed file type (expected one of: JPEG image, PNG image, WebP image, GIF image, MP4 video, PDF document)",
    );
    expect(h.received).to.have.length(0);
  });

  it('refuses a file whose content contradicts its declared type', async () => {
    const res = await upload(form([{ name: 'scan.png', type: 'image/png', data: PDF }]));
    expect(res.status).to.equal(415);
    expect(res.body.error!.message).to.equal("'scan.png' is declared as image/png but its content is a PDF document");
  });

  it('refuses a whole upload when one of its files is refused', async () => {
    const res = await upload(
      form([
        { name: 'ok.png', type: 'image/png', data: PNG },
        { name: 'evil.exe', type: 'application/octet-stream', data: Buffer.from('MZ\x90\x00') },
      ]),
    );
    expect(res.status).to.equal(415);
    expect(res.body.error!.message).to.contain("'evil.exe' is not an allowed file type");
    const polled = await call<{ activities: unknown[] }>(
      `${h.baseUrl}/v3/directline/conversations/${conv.conversationId}/activities`,
      { token: conv.token },
    );
    expect(
      polled.body.activities.filter((a) => (a as { attachments?: unknown }).attachments !== undefined),
    ).to.have.length(0);
  });

  it('still receives every file when the app parses bodies globally with restify', async () => {
    await h.close();
    h = await startHarness({ maxUploadBytes: LIMIT }, undefined, true);
    conv = await startConversation(h.baseUrl, 'u-li');
    const res = await upload(
      form(
        [
          { name: 'one.png', type: 'image/png', data: PNG },
          { name: 'two.pdf', type: 'application/pdf', data: PDF },
        ],
        { type: 'message', text: 'two files' },
      ),
    );
    expect(res.status).to.equal(200);
    const got = h.received.at(-1)!;
    expect(got.text).to.equal('two files');
    expect(
      (got.attachments as { name: string; contentType: string }[]).map((a) => `${a.name} ${a.contentType}`),
    ).to.deep.equal(['one.png image/png', 'two.pdf application/pdf']);
  });
});
