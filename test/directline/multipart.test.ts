/**
 * The streaming upload reader: the same bytes come out whatever the chunking (a delimiter split
 * across chunks, one byte at a time), files land in the given directory and nowhere else, and
 * every refusal leaves that directory empty.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { receiveMultipart, type MultipartLimits } from '../../bot/directline/multipart.js';
import { DirectLineError } from '../../bot/directline/errors.js';

const B = 'xYz-boundary';
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a', 'hex'),
  Buffer.from(`\r\n--${B.slice(0, 5)} almost a delimiter \r\n-`),
  Buffer.alloc(3000, 9),
]);

function body(parts: { headers: string; data: Buffer }[], close = true): Buffer {
  const out: Buffer[] = [Buffer.from('preamble to ignore\r\n')];
  for (const p of parts) out.push(Buffer.from(`--${B}\r\n${p.headers}\r\n\r\n`), p.data, Buffer.from('\r\n'));
  if (close) out.push(Buffer.from(`--${B}--\r\nepilogue`));
  return Buffer.concat(out);
}

async function* chunks(data: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('embedded Direct Line: streaming multipart reader', () => {
  let dir: string;
  let limits: MultipartLimits;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-mp-'));
    limits = {
      dir: path.join(dir, 'incoming'),
      maxFileBytes: 10_000,
      maxFiles: 2,
      maxBytes: 30_000,
      maxFieldBytes: 1000,
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const upload = body([
    {
      headers:
        'Content-Disposition: form-data; name="activity"; filename="blob"\r\nContent-Type: application/vnd.microsoft.activity',
      data: Buffer.from('{"type":"message","text":"看"}'),
    },
    {
      headers: `Content-Disposition: form-data; name="file"; filename="x.png"; filename*=UTF-8''%E7%93%B6%E5%AD%90.png\r\nContent-Type: image/png`,
      data: PNG,
    },
    { headers: 'Content-Disposition: form-data; name="note"', data: Buffer.from('ignored field') },
  ]);

  for (const size of [1, 7, 64, 100_000]) {
    it(`reads the same parts in chunks of ${size} bytes`, async () => {
      const got = await receiveMultipart(chunks(upload, size), `multipart/form-data; boundary="${B}"`, limits);
      expect(got.activity?.toString()).to.equal('{"type":"message","text":"看"}');
      expect(got.files.map((f) => [f.name, f.declaredType, f.bytes])).to.deep.equal([
        ['瓶子.png', 'image/png', PNG.length],
      ]);
      expect(readFileSync(got.files[0]!.path).equals(PNG)).to.equal(true);
      expect(got.files[0]!.head.equals(PNG.subarray(0, 64))).to.equal(true);
      expect(path.dirname(got.files[0]!.path)).to.equal(limits.dir);
      await got.discard();
      expect(readdirSync(limits.dir)).to.deep.equal([]);
    });
  }

  const refusals: [string, () => Buffer, number, RegExp][] = [
    [
      'a file over its limit',
      () =>
        body([
          { headers: 'Content-Disposition: form-data; name="file"; filename="big.png"', data: Buffer.alloc(12_000) },
        ]),
      413,
      /'big.png' is 11.7 KB; the limit is 9.8 KB per file/,
    ],
    [
      'too many files',
      () =>
        body(
          Array.from({ length: 3 }, (_, i) => ({
            headers: `Content-Disposition: form-data; name="file"; filename="${i}.png"`,
            data: PNG,
          })),
        ),
      413,
      /at most 2 are allowed/,
    ],
    [
      'a request over the limit',
      () =>
        body([
          { headers: 'Content-Disposition: form-data; name="file"; filename="a.png"', data: PNG },
          { headers: 'Content-Disposition: form-data; name="pad"', data: Buffer.alloc(40_000) },
        ]),
      413,
      /^the upload is larger than the limit/,
    ],
    [
      'an activity part over its limit',
      () => body([{ headers: 'Content-Disposition: form-data; name="activity"', data: Buffer.alloc(2000, 0x20) }]),
      413,
      /'activity' part is larger/,
    ],
    [
      'a body cut before its closing boundary',
      () => body([{ headers: 'Content-Disposition: form-data; name="file"; filename="a.png"', data: PNG }], false),
      400,
      /ended before its closing boundary/,
    ],
    ['endless part headers', () => Buffer.from(`--${B}\r\n${'X: y\r\n'.repeat(5000)}`), 400, /part headers too long/],
  ];
  for (const [what, make, status, message] of refusals) {
    it(`refuses ${what} (${status}) and leaves no file`, async () => {
      limits.maxBytes = what === 'endless part headers' ? 100_000 : limits.maxBytes;
      const err = await receiveMultipart(chunks(make(), 512), `multipart/form-data; boundary=${B}`, limits).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(DirectLineError);
      expect((err as DirectLineError).status).to.equal(status);
      expect((err as DirectLineError).message).to.match(message);
      expect(readdirSync(dir).flatMap((d) => readdirSync(path.join(dir, d)))).to.deep.equal([]);
    });
  }

  it('refuses a content type without a boundary', async () => {
    const err = await receiveMultipart(chunks(upload, 100), 'multipart/form-data', limits).catch((e: unknown) => e);
    expect((err as DirectLineError).status).to.equal(400);
  });
});
